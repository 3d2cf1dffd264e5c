package org.listkeeper.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;

import org.h2.tools.Server;
import org.listkeeper.store.StoreConfiguration;

/**
 * An H2 database served over TCP on loopback, which a test can stop and start again on the same port
 * and files: a real outage of the list store, not a mock.
 */
public final class H2ServerFixture implements AutoCloseable {
    private final Path directory;
    private final int port;
    private Server server;

    public H2ServerFixture(Path directory) throws IOException {
        this.directory = directory;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            this.port = socket.getLocalPort();
        }
    }

    public H2ServerFixture start() throws SQLException {
        server = Server.createTcpServer("-tcpPort", String.valueOf(port), "-baseDir", directory.toString(), "-ifNotExists").start();
        return this;
    }

    public void stop() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    public String jdbcUrl() {
        return "jdbc:h2:tcp://127.0.0.1:" + port + "/listkeeper";
    }

    /** A store configuration with a short connection timeout, so an outage shows quickly. */
    public StoreConfiguration configuration() {
        return StoreConfiguration.of(jdbcUrl(), "sa", "", 4, Duration.ofSeconds(1));
    }

    @Override
    public void close() {
        stop();
    }
}
