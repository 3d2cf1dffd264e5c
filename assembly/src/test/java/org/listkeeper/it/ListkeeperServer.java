package org.listkeeper.it;

import org.listkeeper.james.ListBatchTransportQueues;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.mail.internet.MimeMessage;

import org.apache.james.GuiceJamesServer;
import org.apache.james.MemoryJamesServerMain;
import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.dnsservice.api.InMemoryDNSService;
import org.apache.james.modules.data.MemoryUsersRepositoryModule;
import org.apache.james.modules.protocols.SmtpGuiceProbe;
import org.apache.james.modules.server.DataRoutesModules;
import org.apache.james.modules.server.MailRepositoriesRoutesModule;
import org.apache.james.modules.server.NoJwtModule;
import org.apache.james.modules.server.WebAdminServerModule;
import org.apache.james.server.core.configuration.Configuration;
import org.apache.james.utils.WebAdminGuiceProbe;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import com.icegreen.greenmail.store.FolderException;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

/**
 * An in-process James 3.8.1 (SMTP, spool, WebAdmin; no IMAP/POP/JMAP) configured from the repository's
 * {@code conf/} folder, with Listkeeper loaded as an extension, every port on loopback, an in-memory DNS,
 * and a GreenMail SMTP sink as RemoteDelivery's gateway. One server per test class.
 */
final class ListkeeperServer implements BeforeAllCallback, AfterAllCallback {
    /** One message as the sink received it for one envelope recipient. */
    static final class Delivery {
        final String recipient;
        final MimeMessage message;

        Delivery(String recipient, MimeMessage message) {
            this.recipient = recipient;
            this.message = message;
        }

        String header(String name) {
            try {
                return message.getHeader(name, null);
            } catch (javax.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }

        /** The decoded text of a single-part text message (its transfer encoding undone). */
        String text() {
            try {
                Object content = message.getContent();
                return content instanceof String ? (String) content : body();
            } catch (IOException | javax.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }

        String body() {
            try {
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                message.writeTo(out);
                return out.toString(StandardCharsets.UTF_8);
            } catch (IOException | javax.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public String toString() {
            return recipient + ": " + header("Subject");
        }
    }

    /** Builds a server with test-specific configuration on top of the repository's. */
    static final class Builder {
        private UnaryOperator<String> mailetContainer = UnaryOperator.identity();
        private final List<String> extensionModules = new ArrayList<>();
        private String listkeeperProperties;
        private Path extensionJar;
        private boolean publicWebPages;
        private final java.util.Map<String, List<String>> txtRecords = new java.util.LinkedHashMap<>();
        private final java.util.Map<String, String[]> hosts = new java.util.LinkedHashMap<>();
        private final java.util.Map<String, List<String>> mxRecords = new java.util.LinkedHashMap<>();
        private java.time.Clock clock;
        private boolean queuesDroppingDelays;

        /** Queues that ignore enqueue delays, as James's RabbitMQ queue does ({@link DelayDroppingQueues}). */
        Builder queuesDroppingDelays() {
            this.queuesDroppingDelays = true;
            return this;
        }

        /** The clock of the whole server (James binds {@link java.time.Clock}; Listkeeper reads the time only from it). */
        Builder clock(java.time.Clock clock) {
            this.clock = clock;
            return this;
        }

        /** A host the in-memory DNS knows: its address and its MX hosts (best first; empty for none). */
        Builder host(String name, String address, String... mxHosts) {
            hosts.put(name, new String[] {address});
            mxRecords.put(name, List.of(mxHosts));
            return this;
        }

        /** A TXT record the in-memory DNS answers with (such as a {@code _dmarc} policy). */
        Builder txtRecord(String name, String value) {
            txtRecords.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
            return this;
        }

        Builder mailetContainer(UnaryOperator<String> transformation) {
            UnaryOperator<String> previous = mailetContainer;
            this.mailetContainer = xml -> transformation.apply(previous.apply(xml));
            return this;
        }

        Builder extensionModule(Class<?> module) {
            extensionModules.add(module.getName());
            return this;
        }

        /** Loads Listkeeper from this jar in {@code extensions-jars/}, as James does in production. */
        Builder extensionJar(Path jar) {
            this.extensionJar = jar;
            return this;
        }

        /** The sample {@code conf/listkeeper.properties} with {@code public.base.url} set: the public routes exposed there. */
        Builder publicBaseUrl(String url) {
            try {
                Path conf = Paths.get(System.getProperty("listkeeper.conf.dir", "../conf"));
                return listkeeperProperties(Files.readString(conf.resolve("listkeeper.properties")) + "\npublic.base.url=" + url + "\n");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** {@code public.base.url} set to this server's own web pages (their port is chosen at start). */
        Builder publicWebPages() {
            this.publicWebPages = true;
            return this;
        }

        Builder listkeeperProperties(String properties) {
            this.listkeeperProperties = properties;
            return this;
        }

        ListkeeperServer build() {
            return new ListkeeperServer(this);
        }
    }

    private final Builder builder;
    private Path workingDirectory;
    private GreenMail sink;
    private GuiceJamesServer server;
    private WebAdminClient webAdmin;
    private int smtpPort;
    private int webPort;

    private ListkeeperServer(Builder builder) {
        this.builder = builder;
    }

    static Builder builder() {
        return new Builder();
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        stop();
    }

    void start() throws Exception {
        workingDirectory = Files.createTempDirectory("listkeeper-it");
        int sinkPort = freePort();
        sink = new GreenMail(new ServerSetup(sinkPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        sink.start();
        writeConfiguration(sinkPort);
        server = createServer();
        server.start();
        smtpPort = server.getProbe(SmtpGuiceProbe.class).getSmtpPort().getValue();
        webAdmin = new WebAdminClient(server.getProbe(WebAdminGuiceProbe.class).getWebAdminPort().getValue());
    }

    /** A server on this working directory, not started: for tests of start-up itself. */
    GuiceJamesServer createServer() throws IOException {
        InMemoryDNSService dns = new InMemoryDNSService()
            .registerMxRecord("localhost", "127.0.0.1")
            .registerMxRecord("127.0.0.0", "127.0.0.0")
            .registerMxRecord("255.0.0.0", "255.0.0.0");
        for (java.util.Map.Entry<String, String[]> host : builder.hosts.entrySet()) {
            dns.registerRecord(host.getKey(), List.of(InetAddress.getByName(host.getValue()[0])), builder.mxRecords.get(host.getKey()), List.of());
        }
        for (java.util.Map.Entry<String, List<String>> txt : builder.txtRecords.entrySet()) {
            dns.registerRecord(txt.getKey(), List.of(), List.of(), txt.getValue());
        }
        GuiceJamesServer server = GuiceJamesServer.forConfiguration(Configuration.builder().workingDirectory(workingDirectory.toFile()).build())
            .combineWith(MemoryJamesServerMain.SMTP_ONLY_MODULE, new MemoryUsersRepositoryModule(),
                new WebAdminServerModule(), new DataRoutesModules(), new MailRepositoriesRoutesModule(), new NoJwtModule())
            .overrideWith(binder -> binder.bind(DNSService.class).toInstance(dns))
            .overrideWith(binder -> com.google.inject.multibindings.Multibinder.newSetBinder(binder, org.apache.james.utils.GuiceProbe.class)
                .addBinding().to(MetricsProbe.class));
        if (builder.extensionJar == null) {
            // the transport queues and SMTP server as the packaged server has them: list batches marked, deliveries
            // reported, half-closed connections answered (a stock James with the extension jar keeps James's own)
            server = server.overrideWith(new TransportQueuesModule(builder.queuesDroppingDelays), new org.listkeeper.server.HalfCloseSmtpModule());
        }
        if (builder.clock != null) {
            server = server.overrideWith(binder -> binder.bind(java.time.Clock.class).toInstance(builder.clock));
        }
        return server;
    }

    /** Prepares the working directory without starting anything: for tests of start-up itself. */
    void prepare() throws Exception {
        workingDirectory = Files.createTempDirectory("listkeeper-it");
        int sinkPort = freePort();
        sink = new GreenMail(new ServerSetup(sinkPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        sink.start();
        writeConfiguration(sinkPort);
    }

    void stop() throws IOException {
        try {
            if (server != null) {
                server.stop();
            }
        } finally {
            if (sink != null) {
                sink.stop();
            }
            deleteRecursively(workingDirectory);
        }
    }

    private void writeConfiguration(int sinkPort) throws IOException {
        Path source = Paths.get(System.getProperty("listkeeper.conf.dir", "../conf"));
        Path conf = Files.createDirectories(workingDirectory.resolve("conf"));
        Files.writeString(conf.resolve("smtpserver.xml"), replace(read(source, "smtpserver.xml"),
            "<bind>0.0.0.0:25</bind>", "<bind>127.0.0.1:0</bind>",
            "<gracefulShutdown>true</gracefulShutdown>", "<gracefulShutdown>false</gracefulShutdown>"));
        Files.writeString(conf.resolve("webadmin.properties"), replace(read(source, "webadmin.properties"),
            "port=8000", "port=0"));
        String mailetContainer = replace(read(source, "mailetcontainer.xml"),
            "<outgoingQueue>outgoing</outgoingQueue>",
            "<outgoingQueue>outgoing</outgoingQueue><gateway>127.0.0.1</gateway><gatewayPort>" + sinkPort + "</gatewayPort>",
            "<queue>listkeeper-delivery</queue>",
            "<queue>listkeeper-delivery</queue><gateway>127.0.0.1</gateway><gatewayPort>" + sinkPort + "</gatewayPort>",
            "<retryBaseDelay>15s</retryBaseDelay>", "<retryBaseDelay>500ms</retryBaseDelay>",
            "<retryMaxDelay>1h</retryMaxDelay>", "<retryMaxDelay>8s</retryMaxDelay>",
            "<delayTime>5000, 60000, 300000, 900000, 3600000</delayTime>", "<delayTime>500, 1000, 2000, 4000, 8000</delayTime>",
            "<retryBaseDelay>5s</retryBaseDelay>", "<retryBaseDelay>300ms</retryBaseDelay>",
            "<retryMaxDelay>10m</retryMaxDelay>", "<retryMaxDelay>3s</retryMaxDelay>")
            .replace("file://", "memory://");
        Files.writeString(conf.resolve("mailetcontainer.xml"), builder.mailetContainer.apply(mailetContainer));
        String extensions = read(source, "extensions.properties");
        if (!builder.extensionModules.isEmpty()) {
            extensions = replace(extensions, "guice.extension.module=org.listkeeper.james.ListkeeperModule",
                "guice.extension.module=org.listkeeper.james.ListkeeperModule," + String.join(",", builder.extensionModules));
        }
        Files.writeString(conf.resolve("extensions.properties"), extensions);
        if (builder.extensionJar != null) {
            Path jars = Files.createDirectories(workingDirectory.resolve("extensions-jars"));
            Files.copy(builder.extensionJar, jars.resolve(builder.extensionJar.getFileName()));
        }
        String listkeeper = builder.listkeeperProperties != null ? builder.listkeeperProperties : read(source, "listkeeper.properties");
        if (!listkeeper.contains("parking.repository=")) {
            listkeeper += "\nparking.repository=file://var/mail/listkeeper/parked/\n";
        }
        if (!listkeeper.contains("held.repository=")) {
            listkeeper += "\nheld.repository=file://var/mail/listkeeper/held/\n";
        }
        // the web pages on a port of this server's own, so that test classes never meet on 8080
        webPort = freePort();
        listkeeper = listkeeper.replaceAll("(?m)^\\s*web\\.port\\s*=.*$", "") + "\nweb.port=" + webPort + "\n";
        if (builder.publicWebPages) {
            listkeeper = listkeeper.replaceAll("(?m)^\\s*public\\.base\\.url\\s*=.*$", "") + "public.base.url=http://127.0.0.1:" + webPort + "\n";
        }
        Files.writeString(conf.resolve("listkeeper.properties"), listkeeper.replace("file://", "memory://"));
    }

    private static String read(Path directory, String name) throws IOException {
        return Files.readString(directory.resolve(name));
    }

    /** Replaces each (old, new) pair, failing when the sample configuration no longer contains {@code old}. */
    static String replace(String text, String... pairs) {
        String result = text;
        for (int i = 0; i < pairs.length; i += 2) {
            if (!result.contains(pairs[i])) {
                throw new IllegalStateException("The sample configuration no longer contains " + pairs[i]);
            }
            result = result.replace(pairs[i], pairs[i + 1]);
        }
        return result;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (directory == null || !Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.deleteIfExists(path);
            }
        }
    }

    // ---- accessors and helpers for tests

    GuiceJamesServer james() {
        return server;
    }

    Path workingDirectory() {
        return workingDirectory;
    }

    int smtpPort() {
        return smtpPort;
    }

    /** The port of Listkeeper's public web pages. */
    int webPort() {
        return webPort;
    }

    WebAdminClient webAdmin() {
        return webAdmin;
    }

    /**
     * Creates a list with the given JSON settings and its members (role member). Unless the settings say otherwise
     * the list accepts posts from nonmembers: most tests post from addresses that are not on the roster.
     */
    void createList(String list, String settingsJson, String... members) {
        String settings = settingsJson.contains("defaultNonmemberAction") || !settingsJson.strip().startsWith("{")
            ? settingsJson
            : settingsJson.strip().equals("{}") ? "{\"defaultNonmemberAction\":\"accept\"}"
            : settingsJson.strip().replaceFirst("^\\{", "{\"defaultNonmemberAction\":\"accept\",");
        webAdmin.expect(204, webAdmin.put("/lists/" + list, settings));
        for (String member : members) {
            webAdmin.expect(204, webAdmin.put("/lists/" + list + "/members/" + member, ""));
        }
    }

    SmtpClient.Result post(String from, List<String> recipients, String message) throws IOException {
        return SmtpClient.send(smtpPort, from, recipients, message);
    }

    /** Every message the sink received, one per envelope recipient. */
    List<Delivery> deliveries() {
        // GreenMail adds users and messages from its own threads while we read: read again when it did meanwhile
        for (int attempt = 1; ; attempt++) {
            try {
                return readDeliveries();
            } catch (java.util.ConcurrentModificationException e) {
                if (attempt == 10) {
                    throw e;
                }
            }
        }
    }

    private List<Delivery> readDeliveries() {
        List<Delivery> result = new ArrayList<>();
        for (GreenMailUser user : sink.getManagers().getUserManager().listUser()) {
            try {
                for (StoredMessage stored : sink.getManagers().getImapHostManager().getInbox(user).getMessages()) {
                    result.add(new Delivery(user.getEmail().toLowerCase(Locale.ROOT), stored.getMimeMessage()));
                }
            } catch (FolderException e) {
                throw new IllegalStateException(e);
            }
        }
        return result;
    }

    /** Every message the sink received for {@code recipient}. */
    List<Delivery> deliveriesTo(String recipient) {
        return deliveries().stream().filter(d -> d.recipient.equalsIgnoreCase(recipient)).collect(Collectors.toList());
    }

    /** Waits until {@code recipient} received {@code count} messages, then that no more arrive for a while. */
    List<Delivery> awaitDeliveriesTo(String recipient, int count) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
            .until(() -> deliveriesTo(recipient).size() >= count);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
            .until(() -> deliveriesTo(recipient).size() == count);
        return deliveriesTo(recipient);
    }

    /** The deliveries whose Message-ID is {@code messageId}. */
    List<Delivery> deliveriesOf(String messageId) {
        return deliveries().stream().filter(d -> messageId.equals(d.header("Message-ID"))).collect(Collectors.toList());
    }

    /** Waits until {@code count} deliveries of {@code messageId} arrived, then that no more arrive for a while. */
    List<Delivery> awaitDeliveries(String messageId, int count) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
            .until(() -> deliveriesOf(messageId).size() >= count);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
            .until(() -> deliveriesOf(messageId).size() == count);
        return deliveriesOf(messageId);
    }

    /** James's memory queues wrapped as the packaged server wraps its durable ones ({@link ListBatchTransportQueues}). */
    static final class TransportQueuesModule extends com.google.inject.AbstractModule {
        private final boolean droppingDelays;

        TransportQueuesModule(boolean droppingDelays) {
            this.droppingDelays = droppingDelays;
        }

        @Override
        protected void configure() {
            bind(ListBatchTransportQueues.StoreHandle.class).in(com.google.inject.Scopes.SINGLETON);
        }

        @com.google.inject.Provides
        @com.google.inject.Singleton
        org.apache.james.queue.api.MailQueueFactory<?> mailQueueFactory(org.apache.james.queue.memory.MemoryMailQueueFactory memory,
                                                                     ListBatchTransportQueues.StoreHandle store, java.time.Clock clock) {
            return new ListBatchTransportQueues(droppingDelays ? new DelayDroppingQueues(memory) : memory, store, clock);
        }
    }
}
