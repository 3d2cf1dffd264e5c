package org.listkeeper.delivery;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Where mail for a domain goes: the SMTP servers to try, in order. */
public interface Route {
    /**
     * The servers for {@code domain}, best first (by MX priority, then the domain's own address when it has no MX).
     *
     * @throws SmtpException when they cannot be known now (DNS failing): try again later
     * @throws NoRouteException when the domain has no mail server at all
     */
    List<Endpoint> endpoints(String domain) throws SmtpException;

    /**
     * The key under which recipients share transactions and connections: the gateway's one key, or the domain for
     * direct delivery.
     */
    String destination(String domain);

    /** Everything through one relay: {@code host}'s addresses on {@code port}, whatever the recipient's domain. */
    static Route gateway(String host, int port) {
        Objects.requireNonNull(host);
        return new Route() {
            @Override
            public List<Endpoint> endpoints(String domain) throws SmtpException {
                try {
                    List<Endpoint> endpoints = new ArrayList<>();
                    for (InetAddress address : InetAddress.getAllByName(host)) {
                        endpoints.add(Endpoint.of(host, address, port));
                    }
                    return endpoints;
                } catch (UnknownHostException e) {
                    throw new SmtpException(SmtpReply.local(451, "4.4.3 cannot resolve the relay " + host),
                        "Cannot resolve the relay " + host + ": " + e.getMessage(), e);
                }
            }

            @Override
            public String destination(String domain) {
                return host + ":" + port;
            }

            @Override
            public String toString() {
                return "gateway " + host + ":" + port;
            }
        };
    }

    /** A domain with no mail server: its recipients fail for good. */
    final class NoRouteException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String domain;

        public NoRouteException(String domain, String why) {
            super("No mail server for " + domain + ": " + why);
            this.domain = domain;
        }

        public String domain() {
            return domain;
        }
    }
}
