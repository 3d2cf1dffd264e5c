package org.listkeeper.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.james.GuiceJamesServer;
import org.apache.james.MemoryJamesServerMain;
import org.apache.james.modules.data.MemoryUsersRepositoryModule;
import org.apache.james.modules.protocols.SmtpGuiceProbe;
import org.apache.james.modules.server.DataRoutesModules;
import org.apache.james.modules.server.MailQueueRoutesModule;
import org.apache.james.modules.server.MailRepositoriesRoutesModule;
import org.apache.james.modules.server.NoJwtModule;
import org.apache.james.modules.server.WebAdminServerModule;
import org.apache.james.server.core.configuration.Configuration;
import org.apache.james.utils.WebAdminGuiceProbe;
import org.listkeeper.internal.Redaction;

import sun.misc.Signal;

/**
 * The single-node Listkeeper server: James's SMTP server, spool and WebAdmin with Listkeeper, on durable
 * embedded defaults (ActiveMQ/KahaDB queues, file mail repositories, H2 list store) under one data
 * directory. No IMAP, POP3 or JMAP.
 */
public final class ListkeeperServerMain {
    /** The system property naming this node, printed in every log line. */
    static final String NODE_PROPERTY = "listkeeper.node";
    private static final java.util.regex.Pattern BROKER_ADDRESS = java.util.regex.Pattern.compile("://\\[?([^\\s/:,()\\]]+)\\]?:(\\d{1,5})");

    private ListkeeperServerMain() {
    }

    public static void main(String[] args) {
        ServerOptions options;
        try {
            options = ServerOptions.parse(args, System.getenv());
        } catch (StartupException e) {
            fail(e);
            return;
        }
        if (options.help) {
            System.out.println(ServerOptions.USAGE);
            return;
        }
        GuiceJamesServer server;
        try {
            server = start(options);
        } catch (StartupException e) {
            fail(e);
            return;
        }
        awaitTermination(server);
    }

    static GuiceJamesServer start(ServerOptions options) throws StartupException {
        prepareDataDirectory(options.data);
        InetAddress bind = address(options.bind);
        checkPortFree(bind, options.smtpPort, "SMTP", "--smtp-port");
        checkPortFree(bind, options.webAdminPort, "WebAdmin", "--webadmin-port");
        if (options.webPort.isPresent()) {
            checkPortFree(bind, options.webPort.getAsInt(), "web pages", "--web-port");
        }
        if (options.jdbcUrl.isPresent()) {
            checkDatabase(options.jdbcUrl.get());
        }
        if (options.broker.isPresent()) {
            checkBroker(options.broker.get());
        }
        // every log line names the node (the logback pattern reads this property)
        System.setProperty(NODE_PROPERTY, options.nodeId);
        ServerConfiguration.write(options, options.data.resolve("conf"));
        QueueModule queues = options.broker.isPresent()
            ? new BrokerQueueModule(BrokerQueueModule.connectionUrl(options.broker.get())) : new DurableQueueModule();

        System.setProperty("james.exit.on.startup.error", "false");
        GuiceJamesServer server = GuiceJamesServer.forConfiguration(Configuration.builder().workingDirectory(options.data.toFile()).build())
            .combineWith(MemoryJamesServerMain.SMTP_ONLY_MODULE, new MemoryUsersRepositoryModule(), new WebAdminServerModule(),
                new DataRoutesModules(), new MailRepositoriesRoutesModule(), new MailQueueRoutesModule(), new NoJwtModule())
            .overrideWith(queues, new HalfCloseSmtpModule());
        try {
            server.start();
        } catch (Exception e) {
            stopQuietly(server);
            throw new StartupException("Cannot start: " + rootMessage(e));
        }
        int smtp = server.getProbe(SmtpGuiceProbe.class).getSmtpPort().getValue();
        int webAdmin = server.getProbe(WebAdminGuiceProbe.class).getWebAdminPort().getValue();
        String web = options.webPort.isPresent() ? ", web pages http://" + options.bind + ":" + options.webPort.getAsInt() + "/" : "";
        String cluster = options.broker.isPresent()
            ? " (cluster node " + options.nodeId + ", broker " + Redaction.of(options.broker.get()) + ")" : "";
        System.out.println("Listkeeper ready: smtp " + options.bind + ":" + smtp + ", webadmin http://" + options.bind + ":" + webAdmin + web
            + cluster);
        System.out.flush();
        return server;
    }

    /** Blocks until SIGTERM or SIGINT, then stops taking mail, lets in-flight work finish or re-queue, and exits 0. */
    private static void awaitTermination(GuiceJamesServer server) {
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean();
        Runnable stop = () -> {
            if (stopping.compareAndSet(false, true)) {
                System.out.println("Listkeeper stopping");
                stopQuietly(server);
                System.out.println("Listkeeper stopped");
                stopped.countDown();
            }
        };
        Signal.handle(new Signal("TERM"), signal -> new Thread(stop, "listkeeper-stop").start());
        Signal.handle(new Signal("INT"), signal -> new Thread(stop, "listkeeper-stop").start());
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.exit(0);
    }

    private static void prepareDataDirectory(Path data) throws StartupException {
        try {
            Files.createDirectories(data);
            Path probe = Files.createTempFile(data, ".write-check", ".tmp");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new StartupException("Cannot write to data directory " + data + ": " + describe(e));
        }
    }

    private static InetAddress address(String bind) throws StartupException {
        try {
            return InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw new StartupException("Invalid --bind '" + bind + "': unknown host", 2);
        }
    }

    private static void checkPortFree(InetAddress bind, int port, String what, String option) throws StartupException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(bind, port));
        } catch (IOException e) {
            throw new StartupException(what + " port " + port + " on " + bind.getHostAddress() + " is not available ("
                + describe(e) + "); choose another with " + option);
        }
    }

    private static void checkDatabase(String url) throws StartupException {
        if (!url.startsWith("jdbc:postgresql:") && !url.startsWith("jdbc:h2:")) {
            throw new StartupException("Invalid --jdbc-url '" + url + "': expected jdbc:postgresql://HOST:PORT/DATABASE or jdbc:h2:…", 2);
        }
        DriverManager.setLoginTimeout(5);
        try (Connection ignored = DriverManager.getConnection(url)) {
            // reachable
        } catch (SQLException e) {
            throw new StartupException("Cannot reach the list store at " + Redaction.of(url) + ": " + Redaction.of(describe(e)));
        }
    }

    /**
     * A node whose broker cannot be reached would wait for it for ever while starting (its connection reconnects until
     * it can); say so at once instead. Enough that one of the broker URL's addresses answers.
     */
    static void checkBroker(String broker) throws StartupException {
        java.util.regex.Matcher address = BROKER_ADDRESS.matcher(broker);
        StringBuilder failures = new StringBuilder();
        while (address.find()) {
            String host = address.group(1);
            int port = Integer.parseInt(address.group(2));
            try (java.net.Socket socket = new java.net.Socket()) {
                socket.connect(new InetSocketAddress(host, port), 5_000);
                return;
            } catch (IOException e) {
                failures.append(failures.length() == 0 ? "" : "; ").append(host).append(':').append(port).append(": ").append(describe(e));
            }
        }
        throw new StartupException("Cannot reach the ActiveMQ broker " + Redaction.of(broker) + (failures.length() == 0
            ? ": no HOST:PORT in it" : " (" + failures + ")") + "; start it first, or check --broker");
    }

    private static void stopQuietly(GuiceJamesServer server) {
        try {
            server.stop();
        } catch (RuntimeException e) {
            System.err.println("Listkeeper: error while stopping: " + rootMessage(e));
        }
    }

    private static void fail(StartupException e) {
        System.err.println("Listkeeper: " + e.getMessage());
        System.exit(e.exitCode());
    }

    private static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = describe(root).replaceAll("\\s+", " ");
        return message.length() > 300 ? message.substring(0, 300) + "…" : message;
    }
}
