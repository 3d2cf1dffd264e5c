package org.listkeeper.delivery;

import java.net.InetAddress;
import java.util.Objects;

/** One SMTP server to connect to: an address and a port, with the host name it was found under (for logs). */
public final class Endpoint {
    private final String host;
    private final InetAddress address;
    private final int port;

    private Endpoint(String host, InetAddress address, int port) {
        this.host = host;
        this.address = address;
        this.port = port;
    }

    public static Endpoint of(String host, InetAddress address, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("Invalid SMTP port " + port);
        }
        return new Endpoint(Objects.requireNonNull(host), Objects.requireNonNull(address), port);
    }

    public String host() {
        return host;
    }

    public InetAddress address() {
        return address;
    }

    public int port() {
        return port;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Endpoint)) {
            return false;
        }
        Endpoint other = (Endpoint) o;
        return port == other.port && address.equals(other.address) && host.equalsIgnoreCase(other.host);
    }

    @Override
    public int hashCode() {
        return Objects.hash(address, port);
    }

    @Override
    public String toString() {
        return host + "[" + address.getHostAddress() + "]:" + port;
    }
}
