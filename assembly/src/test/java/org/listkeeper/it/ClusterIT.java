package org.listkeeper.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.listkeeper.testing.smtp.RecordingSmtpSink;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Two packaged servers in cluster mode, each a JVM of its own with its own data directory and ports, on one ActiveMQ
 * 5.17 broker (a JVM of its own, KahaDB on disk) and one PostgreSQL: the load is shared, a node killed during fan-out
 * or the broker stopped during posting loses nothing, and what one node's REST changes the other routes at once.
 *
 * <p>The poster behaves as a sending MTA would with both nodes behind one MX name: it alternates between them, and
 * what got no {@code 250} it sends again, to the other node if one is down.</p>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {
    private static final int BATCH_SIZE = 10;
    private static final java.util.concurrent.ScheduledExecutorService WATCHDOG = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    private static final Duration RETRY_BASE = Duration.ofSeconds(1);
    private static final Pattern FAN_OUT = Pattern.compile("Fan-out of \\S+ to (\\S+): \\d+ recipients");

    @TempDir
    static Path directory;

    private EmbeddedPostgres postgres;
    private BrokerProcess broker;
    private RecordingSmtpSink sink;
    private ServerProcess a;
    private ServerProcess b;
    private List<ServerProcess> nodes;
    private Path calls;

    @BeforeAll
    void startCluster() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE listkeeper");
        }
        String jdbcUrl = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/listkeeper?user=postgres&password=postgres";
        broker = new BrokerProcess(directory.resolve("broker"));
        broker.start();
        sink = RecordingSmtpSink.start();
        Path conf = Files.createDirectories(directory.resolve("conf"));
        Path sampleConf = Paths.get(System.getProperty("listkeeper.conf.dir", "../conf"));
        Files.writeString(conf.resolve("mailetcontainer.xml"), ListkeeperServer.replace(
            Files.readString(sampleConf.resolve("mailetcontainer.xml")), "<batchSize>500</batchSize>", "<batchSize>" + BATCH_SIZE + "</batchSize>",
            "moderation,dmarc,list-headers", "moderation,dmarc,stall,cluster-flaky,list-headers",
            "<retryBaseDelay>5s</retryBaseDelay>", "<retryBaseDelay>" + RETRY_BASE.toMillis() + "ms</retryBaseDelay>"));
        // the test's handlers, in a directory of their own on the nodes' class path
        Files.writeString(conf.resolve("extensions.properties"), ListkeeperServer.replace(
            Files.readString(sampleConf.resolve("extensions.properties")), "guice.extension.module=org.listkeeper.james.ListkeeperModule",
            "guice.extension.module=org.listkeeper.james.ListkeeperModule,org.listkeeper.it.ClusterHandlers"));
        Path handlers = Files.createDirectories(directory.resolve("handlers/org/listkeeper/it"));
        try (java.util.stream.Stream<Path> classes = Files.list(Paths.get("target/test-classes/org/listkeeper/it"))) {
            for (Path file : (Iterable<Path>) classes.filter(f -> f.getFileName().toString().startsWith("ClusterHandlers"))::iterator) {
                Files.copy(file, handlers.resolve(file.getFileName()));
            }
        }
        calls = Files.createDirectories(directory.resolve("calls"));
        a = node("a", jdbcUrl, conf);
        b = node("b", jdbcUrl, conf);
        nodes = List.of(a, b);
        // one after the other: the first creates the list store's tables
        a.start();
        b.start();
    }

    private ServerProcess node(String id, String jdbcUrl, Path conf) throws IOException {
        return new ServerProcess(directory.resolve("node-" + id), List.of("--relay", "127.0.0.1:" + sink.port(), "--conf", conf.toString(),
            "--broker", broker.url(), "--jdbc-url", jdbcUrl, "--node-id", id))
            .withClasses(directory.resolve("handlers"), Map.of("listkeeper.test.calls", calls.toString()));
    }

    @AfterAll
    void stopCluster() throws Exception {
        for (ServerProcess node : nodes == null ? List.<ServerProcess>of() : nodes) {
            node.keepLog("ClusterIT-node-" + (node == a ? "a" : "b") + ".log");
            node.close();
        }
        if (broker != null) {
            broker.close();
        }
        if (sink != null) {
            sink.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    @Order(1)
    void aListCreatedThroughOneNodeShouldTakeMailAtTheOtherWithinFiveSeconds() throws Exception {
        WebAdminClient webA = new WebAdminClient(a.webAdminPort);
        webA.expect(204, webA.put("/lists/news@lists.example.org", "{\"footer\":\"\",\"defaultNonmemberAction\":\"accept\"}"));
        long created = System.nanoTime();
        webA.expect(204, webA.put("/lists/news@lists.example.org/members/reader@members.example", ""));
        long routedAfter;
        try (SmtpClient client = new SmtpClient(b.smtpPort)) {
            while (true) {
                client.command("MAIL FROM:<poster@example.com>");
                SmtpClient.Reply reply = client.command("RCPT TO:<news@lists.example.org>");
                client.command("RSET");
                if (reply.code == 250) {
                    routedAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - created);
                    break;
                }
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - created)).as("node B still refuses: %s", reply).isLessThan(5_000);
                TimeUnit.MILLISECONDS.sleep(50);
            }
        }
        System.out.printf("cluster test: node B routed the list created through node A after %d ms%n", routedAfter);
        assertThat(routedAfter).isLessThan(5_000);

        assertThat(send(b, post("news@lists.example.org", "<news-1@example.com>"), "news@lists.example.org")).isEqualTo(250);
        await().atMost(Duration.ofSeconds(30)).until(() -> sink.count("<news-1@example.com>", "reader@members.example") == 1);
    }

    @Test
    @Order(2)
    void aHeldPostAcceptedOnBothNodesAtOnceShouldBeDeliveredOnce() throws Exception {
        int posts = 10;
        WebAdminClient webA = new WebAdminClient(a.webAdminPort);
        WebAdminClient webB = new WebAdminClient(b.webAdminPort);
        webA.expect(204, webA.put("/lists/guarded@lists.example.org", "{\"footer\":\"\",\"moderatorNotification\":\"none\","
            + "\"notifyHeldPoster\":false}"));
        List<String> members = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            members.add("member" + i + "@members.example");
            webA.expect(204, webA.put("/lists/guarded@lists.example.org/members/" + members.get(i), ""));
        }
        for (int post = 0; post < posts; post++) {
            String message = "From: outsider@outside.example\nTo: guarded@lists.example.org\nSubject: held " + post
                + "\nMessage-ID: " + messageId("guarded", post) + "\n\nplease let this through\n";
            assertThat(send(nodes.get(post % 2), message, "guarded@lists.example.org")).isEqualTo(250);
        }
        // held on whichever node took each post; every node lists them all
        await().atMost(Duration.ofSeconds(60)).until(() -> held(webA).size() == posts);
        assertThat(held(webB)).containsExactlyInAnyOrderElementsOf(held(webA));

        java.util.concurrent.ExecutorService moderators = java.util.concurrent.Executors.newFixedThreadPool(2);
        List<Integer> statuses = new CopyOnWriteArrayList<>();
        try {
            for (String id : held(webA)) {
                java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
                List<java.util.concurrent.Future<?>> accepts = new ArrayList<>();
                for (WebAdminClient web : List.of(webA, webB)) {
                    accepts.add(moderators.submit(() -> {
                        together.await();
                        statuses.add(web.post("/lists/guarded@lists.example.org/held/" + id + "?action=accept", "").statusCode());
                        return null;
                    }));
                }
                for (java.util.concurrent.Future<?> accept : accepts) {
                    accept.get(60, TimeUnit.SECONDS);
                }
            }
        } finally {
            moderators.shutdownNow();
        }
        System.out.printf("cluster test: answers to the accepts sent to both nodes at once: %s%n", statuses);
        assertThat(statuses).hasSize(2 * posts).allSatisfy(status -> assertThat(status).isIn(200, 409));
        assertEveryPostOnce("guarded", posts, members, 0);
        assertThat(held(webA)).isEmpty();
        assertThat(held(webB)).isEmpty();
    }

    private static List<String> held(WebAdminClient web) throws IOException {
        List<String> ids = new ArrayList<>();
        for (com.fasterxml.jackson.databind.JsonNode post : new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(web.expect(200, web.get("/lists/guarded@lists.example.org/held")).body())) {
            ids.add(post.get("id").asText());
        }
        return ids;
    }

    @Test
    @Order(3)
    void postsSentToBothNodesShouldReachEveryMemberOnceWithTheWorkShared() throws Exception {
        int posts = 200;
        List<String> members = list("shared@lists.example.org", 50);
        Set<Integer> accepted = ConcurrentHashMap.newKeySet();
        postAll("shared", posts, accepted, new AtomicInteger(), 0, new AtomicBoolean(true));

        assertEveryPostOnce("shared", posts, members, 0);
        int fanOutsA = fanOuts(a, "shared@lists.example.org");
        int fanOutsB = fanOuts(b, "shared@lists.example.org");
        System.out.printf("cluster test: fan-outs of 200 posts: node A %d, node B %d%n", fanOutsA, fanOutsB);
        assertThat(fanOutsA).isPositive();
        assertThat(fanOutsB).isPositive();
        assertThat(fanOutsA + fanOutsB).isGreaterThanOrEqualTo(posts);
    }

    @Test
    @Order(4)
    void aNodeKilledThreeTimesDuringFanOutShouldLoseNothingAndTheOtherShouldFinishItsPosts() throws Exception {
        int posts = 120;
        int kills = 3;
        long seed = Long.getLong("crash.seed", System.nanoTime());
        Random random = new Random(seed);
        List<String> members = list("crash@lists.example.org", 50);
        Set<Integer> accepted = ConcurrentHashMap.newKeySet();
        AtomicInteger resent = new AtomicInteger();
        // a steady stream of posts (one every 300 ms), so that fan-out is under way whenever a kill comes
        // new posts wait while node A is down and restarting (posts already sent are retried meanwhile, on node B), so
        // that posts are left for the next kill however long node B takes over node A's work
        AtomicBoolean posting = new AtomicBoolean(true);
        Thread poster = new Thread(() -> postAll("crash", posts, accepted, resent, 300, posting), "poster");
        poster.start();

        int killsDuringFanOut = 0;
        for (int kill = 1; kill <= kills; kill++) {
            int after = posts * kill / (kills + 2) + random.nextInt(posts / (kills + 2));
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(20)).until(() -> accepted.size() >= after);
            TimeUnit.MILLISECONDS.sleep(random.nextInt(300));
            AtomicInteger partial = new AtomicInteger();
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(2))
                .until(() -> partial.updateAndGet(ignored -> partiallyDelivered("crash", accepted, members)) > 0);
            posting.set(false);
            a.kill();
            killsDuringFanOut++;
            Set<Integer> acceptedBeforeKill = Set.copyOf(accepted);
            System.out.printf("cluster test: SIGKILL of node A with %d posts accepted, %d partially delivered%n",
                acceptedBeforeKill.size(), partial.get());
            // node B alone finishes every post accepted so far, node A's included, while node A is down
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                .until(() -> acceptedBeforeKill.stream().allMatch(post -> deliveredTo("crash", post, members) == members.size()));
            a.start();
            posting.set(true);
        }
        poster.join(TimeUnit.MINUTES.toMillis(5));
        assertThat(accepted).hasSize(posts);
        int duplicates = assertEveryPostOnce("crash", posts, members, kills * BATCH_SIZE);
        System.out.printf("cluster test: seed=%d kills=%d (during fan-out %d) duplicates=%d re-sent by the poster=%d%n", seed, kills,
            killsDuringFanOut, duplicates, resent.get());
        assertThat(killsDuringFanOut).isEqualTo(kills);
    }

    @Test
    @Order(5)
    void theBrokerStoppedForTwentySecondsShouldCostNothingButTemporaryRefusals() throws Exception {
        int posts = 60;
        List<String> members = list("outage@lists.example.org", 10);
        Set<Integer> accepted = ConcurrentHashMap.newKeySet();
        List<String> replies = new CopyOnWriteArrayList<>();
        for (int post = 0; post < 20; post++) {
            assertThat(send(nodes.get(post % 2), post("outage@lists.example.org", messageId("outage", post)), "outage@lists.example.org"))
                .isEqualTo(250);
            accepted.add(post);
        }
        broker.stop();
        long stopped = System.nanoTime();
        int post = 20;
        while (TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - stopped) < 20) {
            long sent = System.nanoTime();
            ServerProcess node = nodes.get(post % 2);
            // a send that hangs: keep what the node was doing
            java.util.concurrent.ScheduledFuture<?> watchdog = WATCHDOG.schedule(() -> node.keepThreadDump("ClusterIT-outage-threads-"
                + System.currentTimeMillis() + ".txt"), 20, TimeUnit.SECONDS);
            int code = send(node, post("outage@lists.example.org", messageId("outage", post)), "outage@lists.example.org");
            watchdog.cancel(false);
            replies.add(code + " after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent) + " ms");
            if (code == 250) {
                accepted.add(post);
                post++;
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
        broker.start();
        System.out.printf("cluster test: replies while the broker was stopped: %s%n", replies);
        assertThat(replies).as("a post that cannot be queued is refused for now").anySatisfy(reply -> assertThat(reply).startsWith("451 "))
            .noneSatisfy(reply -> assertThat(reply).startsWith("250 "));
        for (; post < posts; post++) {
            int p = post;
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).until(() ->
                send(nodes.get(p % 2), post("outage@lists.example.org", messageId("outage", p)), "outage@lists.example.org") == 250);
            accepted.add(post);
        }
        assertEveryPostOnce("outage", posts, members, 0);
    }

    @Test
    @Order(6)
    void aPostTakenByANodeKilledBeforeItsFanOutShouldBeDeliveredByTheOther() throws Exception {
        List<String> members = list("stalled@lists.example.org", 20);
        String messageId = messageId("stalled", 0);
        String message = "From: poster@example.com\nTo: stalled@lists.example.org\nSubject: [stall] taken and not fanned out\n"
            + "Message-ID: " + messageId + "\n\nbody\n";
        assertThat(send(a, message, "stalled@lists.example.org")).isEqualTo(250);
        // whichever node took it from the spool stops before its fan-out
        await().atMost(Duration.ofSeconds(30)).until(() -> a.log().contains("Stalling " + messageId) || b.log().contains("Stalling " + messageId));
        ServerProcess taker = a.log().contains("Stalling " + messageId) ? a : b;
        ServerProcess other = taker == a ? b : a;

        taker.kill();
        long killed = System.nanoTime();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
            .until(() -> deliveredTo("stalled", 0, members) == members.size());
        System.out.printf("cluster test: the post node %s took and did not fan out reached every member through the other node"
            + " %d ms after the kill%n", taker == a ? "A" : "B", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed));
        assertThat(fanOuts(taker, "stalled@lists.example.org")).isZero();
        assertThat(fanOuts(other, "stalled@lists.example.org")).isEqualTo(1);
        taker.start();
        assertEveryPostOnce("stalled", 1, members, 0);
    }

    @Test
    @Order(7)
    void aTransientFailureShouldBeRetriedAfterTheConfiguredDelaysWhicheverNodeRetries() throws Exception {
        List<String> members = list("flaky@lists.example.org", 5);
        String messageId = messageId("flaky", 0);
        String message = "From: poster@example.com\nTo: flaky@lists.example.org\nSubject: [flaky] retried\nMessage-ID: " + messageId
            + "\n\nbody\n";
        assertThat(send(a, message, "flaky@lists.example.org")).isEqualTo(250);
        assertEveryPostOnce("flaky", 1, members, 0);

        List<String> lines = Files.readAllLines(calls.resolve(messageId.replaceAll("[^A-Za-z0-9@.-]", "_")));
        System.out.printf("cluster test: calls of the failing handler (epoch ms, node): %s%n", lines);
        assertThat(lines).hasSize(3);
        long first = Long.parseLong(lines.get(0).split(" ")[0]);
        long second = Long.parseLong(lines.get(1).split(" ")[0]);
        long third = Long.parseLong(lines.get(2).split(" ")[0]);
        // retry base 1 s, doubling: 1 s before the first retry, 2 s before the second
        assertThat(second - first).isGreaterThanOrEqualTo(RETRY_BASE.toMillis());
        assertThat(third - second).isGreaterThanOrEqualTo(2 * RETRY_BASE.toMillis());
    }

    @Test
    @Order(8)
    void noMailShouldHaveEndedInTheErrorRepository() throws Exception {
        WebAdminClient web = new WebAdminClient(b.webAdminPort);
        String errors = "/mailRepositories/" + java.net.URLEncoder.encode("var/mail/error/", java.nio.charset.StandardCharsets.UTF_8)
            + "/mails";
        java.net.http.HttpResponse<String> answer = web.get(errors);
        System.out.printf("cluster test: error repository: %d %s%n", answer.statusCode(), answer.body());
        assertThat(answer.statusCode()).isIn(200, 404);
        if (answer.statusCode() == 200) {
            assertThat(answer.body()).isEqualTo("[]");
        }
    }

    // ---- helpers

    private List<String> list(String address, int size) {
        WebAdminClient web = new WebAdminClient(a.webAdminPort);
        web.expect(204, web.put("/lists/" + address, "{\"footer\":\"\",\"defaultNonmemberAction\":\"accept\"}"));
        List<String> members = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            String member = "member" + i + "@members.example";
            members.add(member);
            web.expect(204, web.put("/lists/" + address + "/members/" + member, ""));
        }
        return members;
    }

    private static String messageId(String tag, int post) {
        return "<" + tag + "-" + post + "@example.com>";
    }

    private static String post(String list, String messageId) {
        return "From: poster@example.com\nTo: " + list + "\nSubject: " + messageId + "\nMessage-ID: " + messageId
            + "\n\nbody of " + messageId + "\n";
    }

    /** The SMTP reply to DATA (or RCPT when refused), -1 when the node is down or dropped the connection. */
    private static int send(ServerProcess node, String message, String list) {
        try {
            SmtpClient.Result result = SmtpClient.send(node.smtpPort, "poster@example.com", List.of(list), message);
            return result.dataReply != null ? result.dataReply.code : result.rcptReplies.get(0).code;
        } catch (IOException e) {
            Matcher code = Pattern.compile("server said (\\d{3})").matcher(String.valueOf(e.getMessage()));
            return code.find() ? Integer.parseInt(code.group(1)) : -1;
        }
    }

    /** Sends posts 0..count-1 alternately to both nodes, each until a node answered 250, as an MTA with two MX hosts. */
    private void postAll(String tag, int count, Set<Integer> accepted, AtomicInteger resent, long pauseMillis, AtomicBoolean posting) {
        String list = tag + "@lists.example.org";
        for (int post = 0; post < count; post++) {
            sleep(pauseMillis);
            while (!posting.get()) {
                sleep(50);
            }
            for (int attempt = 0; !accepted.contains(post); attempt++) {
                if (attempt > 0) {
                    resent.incrementAndGet();
                    sleep(100);
                }
                if (send(nodes.get((post + attempt) % 2), post(list, messageId(tag, post)), list) == 250) {
                    accepted.add(post);
                }
            }
        }
    }

    /** Waits for every post at every member; asserts none lost and at most {@code allowedDuplicates}; returns the duplicates. */
    private int assertEveryPostOnce(String tag, int posts, List<String> members, int allowedDuplicates) {
        int expected = posts * members.size();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).until(() -> pairs(tag).size() >= expected);
        // anything late would come within a few seconds
        sleep(3_000);
        int lost = 0;
        for (int post = 0; post < posts; post++) {
            lost += members.size() - deliveredTo(tag, post, members);
        }
        int duplicates = pairs(tag).values().stream().mapToInt(count -> count.get() - 1).sum();
        System.out.printf("cluster test %s: %d posts x %d members, lost %d, duplicates %d%n", tag, posts, members.size(), lost, duplicates);
        assertThat(lost).isZero();
        assertThat(pairs(tag)).hasSize(expected);
        assertThat(duplicates).isLessThanOrEqualTo(allowedDuplicates);
        return duplicates;
    }

    private Map<String, AtomicInteger> pairs(String tag) {
        Map<String, AtomicInteger> pairs = new java.util.HashMap<>();
        sink.pairs().forEach((key, count) -> {
            if (key.startsWith("<" + tag + "-")) {
                pairs.put(key, count);
            }
        });
        return pairs;
    }

    private int deliveredTo(String tag, int post, List<String> members) {
        int delivered = 0;
        for (String member : members) {
            delivered += sink.count(messageId(tag, post), member) > 0 ? 1 : 0;
        }
        return delivered;
    }

    private int partiallyDelivered(String tag, Set<Integer> accepted, List<String> members) {
        int partial = 0;
        for (int post : accepted) {
            int delivered = deliveredTo(tag, post, members);
            partial += delivered > 0 && delivered < members.size() ? 1 : 0;
        }
        return partial;
    }

    private static int fanOuts(ServerProcess node, String list) throws IOException {
        Matcher matcher = FAN_OUT.matcher(node.log());
        int count = 0;
        while (matcher.find()) {
            count += matcher.group(1).equals(list) ? 1 : 0;
        }
        return count;
    }

    private static void sleep(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
