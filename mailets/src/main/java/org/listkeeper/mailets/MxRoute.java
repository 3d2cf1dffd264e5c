package org.listkeeper.mailets;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.dnsservice.api.TemporaryResolutionException;
import org.listkeeper.delivery.Endpoint;
import org.listkeeper.delivery.Route;
import org.listkeeper.delivery.SmtpException;

/**
 * Direct delivery through James's {@link DNSService}: a domain's MX hosts by priority (as James orders them), each
 * host's addresses in turn, and the domain's own address when it has no MX (RFC 5321 section 5.1).
 */
final class MxRoute implements Route {
    private final DNSService dns;
    private final int port;

    MxRoute(DNSService dns, int port) {
        this.dns = dns;
        this.port = port;
    }

    @Override
    public List<Endpoint> endpoints(String domain) throws SmtpException {
        Collection<String> hosts;
        try {
            hosts = dns.findMXRecords(domain);
        } catch (TemporaryResolutionException e) {
            throw SmtpException.unreachable(domain, e);
        }
        boolean implicit = hosts == null || hosts.isEmpty();
        List<String> candidates = implicit ? List.of(domain) : new ArrayList<>(hosts);
        List<Endpoint> endpoints = new ArrayList<>();
        for (String host : candidates) {
            try {
                for (InetAddress address : dns.getAllByName(host)) {
                    endpoints.add(Endpoint.of(host, address, port));
                }
            } catch (UnknownHostException e) {
                // this host has no address now: the next one may
            }
        }
        if (endpoints.isEmpty()) {
            if (implicit) {
                throw new NoRouteException(domain, "no MX record and no address");
            }
            throw SmtpException.unreachable(domain, new UnknownHostException("none of the MX hosts " + candidates + " has an address"));
        }
        return endpoints;
    }

    @Override
    public String destination(String domain) {
        return domain;
    }

    @Override
    public String toString() {
        return "MX delivery on port " + port;
    }
}
