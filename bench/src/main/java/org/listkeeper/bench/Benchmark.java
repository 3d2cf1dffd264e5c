package org.listkeeper.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.listkeeper.testing.smtp.SmtpSink;

/**
 * Listkeeper fan-out against plain James relay, on one server in one run: the list case posts N messages
 * to a list of M members (bulk delivery); the baseline case sends the same N messages straight to the same M
 * recipients (RCPT TO × M); the personalized case posts them to a list with personalized delivery (a copy per
 * member, VERP, the member's footer and one-click link). Cases alternate for several rounds. Usage:
 * {@code bench/run [--quick] [--rounds 3]
 * [--out DIR] [--shape 1000x100]... [--cases list,baseline,personalized] [--jvm-option OPTION]... [--dkim] [--nodes N]}; with
 * {@code --dkim} list delivery signs every copy (RSA-2048); with {@code --nodes N} the cases run on one cluster node and
 * then on N, on one ActiveMQ broker and one PostgreSQL ({@link ClusterUnderTest}).
 */
public final class Benchmark {
    /** One (members, posts) shape with the server heap it runs under. */
    static final class Shape {
        final int members;
        final int posts;
        final String heap;
        /** Cluster nodes; 0 for the single-node server. */
        final int nodes;

        Shape(int members, int posts, String heap) {
            this(members, posts, heap, 0);
        }

        Shape(int members, int posts, String heap, int nodes) {
            this.members = members;
            this.posts = posts;
            this.heap = heap;
            this.nodes = nodes;
        }

        @Override
        public String toString() {
            return members + " x " + posts + (nodes == 0 ? "" : nodes == 1 ? ", 1 cluster node" : ", " + nodes + " cluster nodes");
        }
    }

    /** The figures of one case in one round. */
    static final class CaseResult {
        String shape;
        String kind;
        int round;
        /** An unrecorded warm-up round: in the results file for the record, never in a median. */
        boolean warmup;
        int members;
        int posts;
        long pairsExpected;
        long pairsReceived;
        long lost;
        long duplicates;
        double seconds;
        double deliveriesPerSecond;
        double postsPerSecond;
        double cpuSeconds;
        double cpuMsPerDelivery;
        double firstP50;
        double firstP90;
        double firstMax;
        double lastP50;
        double lastP90;
        double lastMax;
        double peakRssMiB;
        double peakHeapMiB;
        /** SMTP connections the relay took and messages it accepted during the case (the one destination: the relay). */
        int connections;
        int transactions;
        /** Cluster nodes the case ran on; 0 for the single-node server on its embedded defaults. */
        int nodes;
        /** CPU of the cluster's broker and PostgreSQL over the case. */
        double serviceCpuSeconds;

        String json() {
            return String.format(Locale.ROOT, "{\"shape\":\"%s\",\"case\":\"%s\",\"round\":%d,\"warmup\":%b,\"members\":%d,\"posts\":%d,"
                    + "\"pairsExpected\":%d,\"pairsReceived\":%d,\"lost\":%d,\"duplicates\":%d,\"seconds\":%.3f,"
                    + "\"deliveriesPerSecond\":%.1f,\"postsPerSecond\":%.3f,\"serverCpuSeconds\":%.2f,\"cpuMsPerDelivery\":%.4f,"
                    + "\"latencyFirstSeconds\":{\"p50\":%.3f,\"p90\":%.3f,\"max\":%.3f},"
                    + "\"latencyLastSeconds\":{\"p50\":%.3f,\"p90\":%.3f,\"max\":%.3f},\"peakRssMiB\":%.0f,\"peakHeapMiB\":%.0f,"
                    + "\"relayConnections\":%d,\"relayTransactions\":%d,\"nodes\":%d,\"brokerAndDatabaseCpuSeconds\":%.2f}",
                shape, kind, round, warmup, members, posts, pairsExpected, pairsReceived, lost, duplicates, seconds, deliveriesPerSecond,
                postsPerSecond, cpuSeconds, cpuMsPerDelivery, firstP50, firstP90, firstMax, lastP50, lastP90, lastMax, peakRssMiB,
                peakHeapMiB, connections, transactions, nodes, serviceCpuSeconds);
        }
    }

    /** Light load runs on shapes up to this many members (the 1,000 × 100 shape and --quick). */
    static final int LIGHT_LOAD_MAX_MEMBERS = 1_000;
    static final int LIGHT_LOAD_POSTS = 5;
    static final String LIST_ADDRESS = "bench@lists.example.org";
    static final String PERSONALIZED_ADDRESS = "pers@lists.example.org";
    /** One post at a time through the list, each waited for: latency of a list post with no queue behind it. */
    static final String LIGHT_LIST = "light-list";
    /** The same through plain James, the members as RCPTs: what James alone takes for the same delivery. */
    static final String LIGHT_RELAY = "light-relay";

    private Benchmark() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        int rounds = 3;
        int warmup = 2;
        Path out = Path.of("bench", "target", "results");
        Path serverJar = Path.of(System.getProperty("listkeeper.server.jar", "assembly/target/listkeeper-server.jar"));
        List<String> jvmOptions = new ArrayList<>();
        boolean dkim = false;
        List<Shape> only = new ArrayList<>();
        List<String> cases = null;
        int nodes = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick":
                    quick = true;
                    break;
                case "--rounds":
                    rounds = Integer.parseInt(args[++i]);
                    break;
                case "--out":
                    out = Path.of(args[++i]);
                    break;
                case "--server-jar":
                    serverJar = Path.of(args[++i]);
                    break;
                case "--jvm-option":
                    jvmOptions.add(args[++i]);
                    break;
                case "--warmup":
                    warmup = Integer.parseInt(args[++i]);
                    break;
                case "--dkim":
                    dkim = true;
                    break;
                case "--cases":
                    cases = List.of(args[++i].split(","));
                    break;
                case "--shape":
                    only.add(parseShape(args[++i]));
                    break;
                case "--nodes":
                    nodes = Integer.parseInt(args[++i]);
                    break;
                default:
                    System.err.println("Unknown argument " + args[i]);
                    System.exit(2);
            }
        }
        List<Shape> shapes = quick ? List.of(new Shape(200, 20, "512m"))
            : !only.isEmpty() ? only
            : List.of(new Shape(1_000, 100, "512m"), new Shape(10_000, 10, "512m"), new Shape(100_000, 1, "512m"));
        List<CaseResult> results;
        if (nodes > 0) {
            // one node, then N, on the same kind of cluster: the cost of sharing the work
            results = new ArrayList<>();
            for (int count : nodes == 1 ? List.of(1) : List.of(1, nodes)) {
                results.addAll(run(shapes, cases == null ? List.of("list") : cases, quick ? 0 : warmup, rounds, serverJar, out,
                    jvmOptions, false, count, results));
            }
        } else {
            results = run(shapes, cases, quick ? 0 : warmup, rounds, serverJar, out, jvmOptions, dkim);
        }

        long lost = results.stream().mapToLong(r -> r.lost).sum();
        long duplicates = results.stream().mapToLong(r -> r.duplicates).sum();
        System.out.println(Files.readString(out.resolve("results.md")));
        System.out.println("lost=" + lost + " duplicates=" + duplicates);
        System.exit(lost == 0 && duplicates == 0 ? 0 : 1);
    }

    /** {@code MEMBERSxPOSTS}, for example {@code 1000x100}; the server heap stays 512m. */
    private static Shape parseShape(String text) {
        String[] parts = text.split("x", -1);
        if (parts.length != 2) {
            System.err.println("--shape takes MEMBERSxPOSTS, for example 1000x100, not " + text);
            System.exit(2);
        }
        return new Shape(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), "512m");
    }

    /**
     * The cases of a shape when none were asked for: list and baseline everywhere, and personalized delivery where a
     * copy per member stays affordable (up to 1,000 members: the 1,000 × 100 shape and --quick).
     */
    static List<String> defaultCases(Shape shape) {
        return shape.members <= 1_000 ? List.of("list", "baseline", "personalized") : List.of("list", "baseline");
    }

    /** {@code --conf DIR}: the sample mailet container with list delivery signing with a new RSA-2048 key. */
    private static List<String> dkimConfiguration(Path directory) throws Exception {
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        Path key = directory.resolve("dkim.pem");
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n" + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'})
            .encodeToString(generator.generateKeyPair().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        Path conf = Files.createDirectories(directory.resolve("conf"));
        String sample = Files.readString(Path.of("conf", "mailetcontainer.xml"));
        String anchor = "<queue>listkeeper-delivery</queue>";
        if (!sample.contains(anchor)) {
            throw new IllegalStateException("conf/mailetcontainer.xml has no " + anchor + " to add dkimKeys to");
        }
        Files.writeString(conf.resolve("mailetcontainer.xml"),
            sample.replace(anchor, anchor + "<dkimKeys>lists.example.org:bench:" + key + "</dkimKeys>"));
        return List.of("--conf", conf.toString());
    }

    /** Runs every shape; {@code askedCases} null means {@link #defaultCases(Shape)}. */
    static List<CaseResult> run(List<Shape> shapes, List<String> askedCases, int warmup, int rounds, Path serverJar, Path out,
                                List<String> jvmOptions) throws Exception {
        return run(shapes, askedCases, warmup, rounds, serverJar, out, jvmOptions, false);
    }

    /**
     * With {@code dkim}, list delivery signs every copy with a fresh RSA-2048 key for lists.example.org (the sample
     * configuration with {@code dkimKeys} set, through {@code --conf}).
     */
    static List<CaseResult> run(List<Shape> shapes, List<String> askedCases, int warmup, int rounds, Path serverJar, Path out,
                                List<String> jvmOptions, boolean dkim) throws Exception {
        return run(shapes, askedCases, warmup, rounds, serverJar, out, jvmOptions, dkim, 0, List.of());
    }

    /**
     * With {@code nodes} above 0, on that many cluster nodes ({@link ClusterUnderTest}); {@code earlier} are results of
     * earlier runs written to the same results files.
     */
    static List<CaseResult> run(List<Shape> shapes, List<String> askedCases, int warmup, int rounds, Path serverJar, Path out,
                                List<String> jvmOptions, boolean dkim, int nodes, List<CaseResult> earlier) throws Exception {
        Files.createDirectories(out);
        List<CaseResult> results = new ArrayList<>();
        for (Shape given : shapes) {
            Shape shape = nodes == 0 ? given : new Shape(given.members, given.posts, given.heap, nodes);
            List<String> cases = askedCases != null ? askedCases : defaultCases(shape);
            Path directory = Files.createTempDirectory("listkeeper-bench");
            Arrivals arrivals = new Arrivals();
            try (SmtpSink sink = SmtpSink.start(arrivals);
                 UnderTest server = nodes == 0 ? new ServerUnderTest(serverJar, directory, sink.port(), shape.heap, jvmOptions,
                     dkim ? dkimConfiguration(directory) : List.of())
                     : new ClusterUnderTest(serverJar, directory, sink.port(), shape.heap, jvmOptions, nodes)) {
                long createStart = System.nanoTime();
                List<String> members = createList(server, LIST_ADDRESS, BULK_LIST, shape.members);
                if (cases.contains("personalized")) {
                    createList(server, PERSONALIZED_ADDRESS, PERSONALIZED_LIST, shape.members);
                }
                System.out.printf(Locale.ROOT, "%s: %d members created over WebAdmin in %.1f s%n", shape, shape.members,
                    (System.nanoTime() - createStart) / 1e9);
                // unrecorded rounds first: James's JIT needs about half a million deliveries to settle, and the
                // figures are meant for a server that has been running
                // (one round for the largest shape, whose baseline alone takes minutes)
                int warmupRounds = shape.members >= 100_000 ? Math.min(1, warmup) : warmup;
                // each node of a cluster gets its share of a round: as many rounds more, so that every node's JVM has
                // delivered as much as a single node's before the recorded rounds
                warmupRounds *= Math.max(1, nodes);
                for (int round = 1; round <= warmupRounds; round++) {
                    for (String kind : cases) {
                        results.add(runCase(server, sink, arrivals, shape, kind, -round, members));
                    }
                    write(out, all(earlier, results));
                }
                for (int round = 1; round <= rounds; round++) {
                    for (String kind : cases) {
                        results.add(runCase(server, sink, arrivals, shape, kind, round, members));
                    }
                    write(out, all(earlier, results));
                }
                if (nodes == 0 && shape.members <= LIGHT_LOAD_MAX_MEMBERS && cases.contains("list")) {
                    // light load: one post at a time, each waited for, to see latency without a queue behind it;
                    // through the list, and through plain James beside it
                    Shape single = new Shape(shape.members, 1, shape.heap);
                    for (int round = 1; round <= LIGHT_LOAD_POSTS; round++) {
                        for (String kind : List.of(LIGHT_LIST, LIGHT_RELAY)) {
                            CaseResult light = runCase(server, sink, arrivals, single, kind, round, members);
                            light.shape = shape.toString();
                            results.add(light);
                        }
                    }
                    write(out, results);
                }
            } finally {
                deleteRecursively(directory);
            }
        }
        return results;
    }

    private static List<CaseResult> all(List<CaseResult> earlier, List<CaseResult> results) {
        List<CaseResult> all = new ArrayList<>(earlier);
        all.addAll(results);
        return all;
    }

    /** Bulk delivery, no footer and no subject prefix: the same bytes as the baseline. */
    private static final String BULK_LIST = "{\"footer\":\"\",\"subjectPrefix\":\"\",\"defaultNonmemberAction\":\"accept\"}";
    /**
     * Personalized delivery as a list would run it: each member's own copy, VERP envelope, footer with the member's
     * one-click link (the default personalized footer), no subject prefix.
     */
    private static final String PERSONALIZED_LIST = "{\"delivery\":\"personalized\",\"subjectPrefix\":\"\","
        + "\"defaultNonmemberAction\":\"accept\"}";

    private static List<String> createList(UnderTest server, String list, String settings, int count) throws Exception {
        if (server.put("/lists/" + list, settings) != 204) {
            throw new IllegalStateException("Cannot create the list " + list);
        }
        List<String> members = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            members.add("m" + i + "@d" + (i % 50) + ".example");
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (String member : members) {
                answers.add(pool.submit(() -> server.put("/lists/" + list + "/members/" + member, "")));
            }
            for (Future<Integer> answer : answers) {
                if (answer.get() != 204) {
                    throw new IllegalStateException("Cannot add a member: HTTP " + answer.get());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return members;
    }

    private static CaseResult runCase(UnderTest server, SmtpSink sink, Arrivals arrivals, Shape shape, String kind, int round,
                                      List<String> members) throws Exception {
        CaseResult result = new CaseResult();
        int connectionsBefore = sink.connections();
        int transactionsBefore = sink.transactions();
        result.shape = shape.toString();
        result.kind = kind;
        result.round = round;
        result.warmup = round < 0;
        result.members = shape.members;
        result.posts = shape.posts;
        result.pairsExpected = (long) shape.members * shape.posts;
        double cpuBefore = server.cpuSeconds();
        double serviceCpuBefore = server.serviceCpuSeconds();
        result.nodes = server.nodes();
        double uptimeBefore = server.uptimeSeconds();
        double[] peakRss = {server.rssMiB()};
        AtomicInteger sampling = new AtomicInteger(1);
        Thread sampler = new Thread(() -> {
            while (sampling.get() == 1) {
                try {
                    peakRss[0] = Math.max(peakRss[0], server.rssMiB());
                    TimeUnit.MILLISECONDS.sleep(200);
                } catch (Exception e) {
                    return;
                }
            }
        }, "rss-sampler");
        sampler.start();

        long start = System.nanoTime();
        List<String> ids = new ArrayList<>();
        List<Long> accepted = new ArrayList<>();
        List<Poster> posters = new ArrayList<>();
        try {
            for (int port : server.smtpPorts()) {
                posters.add(new Poster(port));
            }
            for (int post = 0; post < shape.posts; post++) {
                // to each node in turn, as MTAs would to two MX hosts of equal preference
                Poster poster = posters.get(post % posters.size());
                String id = "<bench-" + shape.members + "-" + kind + "-" + round + "-" + post + "@bench.example>";
                ids.add(id);
                String message = "From: poster@bench.example\nTo: bench@lists.example.org\nSubject: bench " + post
                    + "\nMessage-ID: " + id + "\n\n" + "A post of a few hundred bytes, like most list traffic.\n".repeat(6);
                accepted.add(poster.send("poster@bench.example", recipients(kind, members), message));
            }
        } finally {
            for (Poster poster : posters) {
                poster.close();
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(15);
        while (ids.stream().mapToLong(id -> arrivals.of(id).recipients.size()).sum() < result.pairsExpected
            && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(20);
        }
        long lastArrival = ids.stream().mapToLong(id -> arrivals.of(id).last.get()).max().orElse(Long.MIN_VALUE);
        // nothing arrived: the case ran until its deadline
        long end = lastArrival == Long.MIN_VALUE ? System.nanoTime() : lastArrival;
        TimeUnit.SECONDS.sleep(1);
        sampling.set(0);
        sampler.join();

        result.seconds = (end - start) / 1e9;
        result.cpuSeconds = server.cpuSeconds() - cpuBefore;
        result.serviceCpuSeconds = server.serviceCpuSeconds() - serviceCpuBefore;
        long distinct = 0;
        long received = 0;
        List<Double> first = new ArrayList<>();
        List<Double> last = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            Arrivals.Post post = arrivals.of(ids.get(i));
            for (String member : members) {
                if (post.recipients.containsKey(member)) {
                    distinct++;
                }
            }
            for (Map.Entry<String, AtomicInteger> pair : post.recipients.entrySet()) {
                received += pair.getValue().get();
            }
            if (post.first.get() != Long.MAX_VALUE) {
                first.add((post.first.get() - accepted.get(i)) / 1e9);
                last.add((post.last.get() - accepted.get(i)) / 1e9);
            }
        }
        result.pairsReceived = received;
        result.lost = result.pairsExpected - distinct;
        result.duplicates = received - distinct;
        result.deliveriesPerSecond = distinct / result.seconds;
        result.postsPerSecond = shape.posts / result.seconds;
        result.cpuMsPerDelivery = distinct == 0 ? 0 : result.cpuSeconds * 1000 / distinct;
        Collections.sort(first);
        Collections.sort(last);
        result.firstP50 = percentile(first, 0.5);
        result.firstP90 = percentile(first, 0.9);
        result.firstMax = percentile(first, 1.0);
        result.lastP50 = percentile(last, 0.5);
        result.lastP90 = percentile(last, 0.9);
        result.lastMax = percentile(last, 1.0);
        result.peakRssMiB = peakRss[0];
        result.peakHeapMiB = server.peakHeapMiB(uptimeBefore, server.uptimeSeconds());
        result.connections = sink.connections() - connectionsBefore;
        result.transactions = sink.transactions() - transactionsBefore;
        if (server.outOfMemory()) {
            throw new IllegalStateException("The server ran out of memory in " + shape + " " + kind);
        }
        System.out.println(result.json());
        return result;
    }

    /** Whom a case's posts are sent to: the list's address, or (baseline, light-relay) every member as a RCPT. */
    static List<String> recipients(String kind, List<String> members) {
        switch (kind) {
            case "list":
            case LIGHT_LIST:
                return List.of(LIST_ADDRESS);
            case "personalized":
                return List.of(PERSONALIZED_ADDRESS);
            case "baseline":
            case LIGHT_RELAY:
                return members;
            default:
                throw new IllegalArgumentException("Unknown case " + kind);
        }
    }

    private static double percentile(List<Double> sorted, double p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static void deleteRecursively(Path directory) throws java.io.IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (java.util.stream.Stream<Path> paths = Files.walk(directory)) {
            for (Path path : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        }
    }

    static void write(Path out, List<CaseResult> results) throws Exception {
        StringBuilder json = new StringBuilder("[\n");
        for (int i = 0; i < results.size(); i++) {
            json.append("  ").append(results.get(i).json()).append(i + 1 < results.size() ? ",\n" : "\n");
        }
        Files.writeString(out.resolve("results.json"), json.append("]\n").toString());

        List<CaseResult> recorded = new ArrayList<>();
        List<CaseResult> warmups = new ArrayList<>();
        for (CaseResult r : results) {
            (r.warmup ? warmups : recorded).add(r);
        }
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Machine: %d cores, %.0f GiB RAM, Java %s%n%n", Runtime.getRuntime().availableProcessors(),
            totalMemoryGiB(), System.getProperty("java.version")));
        md.append("| shape (members × posts) | case | deliveries/s | posts/s | server CPU ms/delivery | accept→first p50/p90/max (s) "
            + "| accept→last p50/p90/max (s) | peak RSS MiB | peak heap MiB | lost | dup | relay connections / transactions |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (String shape : recorded.stream().map(r -> r.shape).distinct().toArray(String[]::new)) {
            for (String kind : List.of("list", "baseline", "personalized")) {
                List<CaseResult> cases = of(recorded, shape, kind);
                if (cases.isEmpty()) {
                    continue;
                }
                CaseResult m = median(cases);
                md.append(String.format(Locale.ROOT, "| %s | %s | %.0f | %.2f | %.3f | %.2f / %.2f / %.2f | %.2f / %.2f / %.2f | %.0f | %.0f | %d | %d | %d / %d |%n",
                    shape, kind, m.deliveriesPerSecond, m.postsPerSecond, m.cpuMsPerDelivery, m.firstP50, m.firstP90, m.firstMax,
                    m.lastP50, m.lastP90, m.lastMax, cases.stream().mapToDouble(c -> c.peakRssMiB).max().orElse(0),
                    cases.stream().mapToDouble(c -> c.peakHeapMiB).max().orElse(0),
                    cases.stream().mapToLong(c -> c.lost).sum(), cases.stream().mapToLong(c -> c.duplicates).sum(),
                    m.connections, m.transactions));
            }
            lightRow(md, shape, of(recorded, shape, LIGHT_LIST), "light load through the list");
            lightRow(md, shape, of(recorded, shape, LIGHT_RELAY), "light load, plain James relay");
            List<CaseResult> list = of(recorded, shape, "list");
            List<CaseResult> base = of(recorded, shape, "baseline");
            List<CaseResult> personalized = of(recorded, shape, "personalized");
            if (!list.isEmpty() && !base.isEmpty()) {
                md.append(String.format(Locale.ROOT, "| %s | list/baseline | time ×%.2f | | CPU ×%.2f | | | | | | |%n", shape,
                    median(list).seconds / median(base).seconds, median(list).cpuSeconds / median(base).cpuSeconds));
            }
            if (!list.isEmpty() && !personalized.isEmpty()) {
                md.append(String.format(Locale.ROOT, "| %s | personalized/list (bulk) | time ×%.2f | | CPU ×%.2f | | | | | | |%n", shape,
                    median(personalized).seconds / median(list).seconds, median(personalized).cpuSeconds / median(list).cpuSeconds));
            }
        }
        clusterTable(md, recorded);
        int rounds = recorded.stream().filter(r -> !r.kind.startsWith("light")).mapToInt(r -> r.round).max().orElse(0);
        int warmupRounds = warmups.stream().mapToInt(r -> -r.round).max().orElse(0);
        md.append(String.format(Locale.ROOT, "%nMedian of %d rounds per case (the round with the median wall time), after %d "
            + "warm-up rounds (listed below, not in the medians); cases alternate list, baseline, personalized.%n", rounds, warmupRounds));
        md.append("\nWhat each figure measures:\n\n"
            + "* **list**: N posts to a list of M members (bulk delivery), sent as fast as the server accepts them; "
            + "deliveries/s = (member, post) pairs the relay received ÷ time from the first post sent to the last delivery.\n"
            + "* **baseline**: the same N messages sent straight through the same James to the same M recipients (RCPT TO × M), "
            + "no list.\n"
            + "* **personalized**: N posts to a list with personalized delivery (a copy per member).\n"
            + "* relay connections / transactions: SMTP connections the relay (the one destination) took and messages it "
            + "accepted during the case, for the median round.\n"
            + "* **light load through the list**: one post at a time to the same M-member list, each waited for; "
            + "accept→last is the time from the server's 250 to the relay's receipt of the last member's copy "
            + "(p50/p90/max over the posts).\n"
            + "* **light load, plain James relay**: the same, one message at a time straight to the M recipients through James.\n"
            + "* server CPU: user+system CPU of the server process over the case ÷ deliveries; peak RSS sampled every 200 ms; "
            + "peak heap from the server's GC log; lost/dup: (Message-ID, member) pairs missing / received more than once.\n");
        if (!warmups.isEmpty()) {
            md.append("\nWarm-up rounds (unrecorded in the medians, kept here for the record):\n\n"
                + "| shape | case | round | deliveries/s | server CPU ms/delivery | lost | dup |\n|---|---|---|---|---|---|---|\n");
            for (CaseResult w : warmups) {
                md.append(String.format(Locale.ROOT, "| %s | %s | %d | %.0f | %.3f | %d | %d |%n", w.shape, w.kind, -w.round,
                    w.deliveriesPerSecond, w.cpuMsPerDelivery, w.lost, w.duplicates));
            }
        }
        Files.writeString(out.resolve("results.md"), md.toString());
    }

    /**
     * Cluster runs ({@code --nodes}): per case, the nodes' CPU per delivery and the broker's and PostgreSQL's beside it,
     * and how the nodes' CPU per delivery on N nodes compares with one node.
     */
    private static void clusterTable(StringBuilder md, List<CaseResult> recorded) {
        List<CaseResult> cluster = new ArrayList<>();
        recorded.stream().filter(r -> r.nodes > 0).forEach(cluster::add);
        if (cluster.isEmpty()) {
            return;
        }
        md.append("\nCluster (`--nodes`): nodes on one ActiveMQ broker and one PostgreSQL, posts sent to the nodes in turn; N nodes"
            + " run N times the warm-up rounds of one node, so that each node's JVM has delivered as much before the recorded"
            + " rounds.\n\n"
            + "| members × posts | case | nodes | deliveries/s | nodes' CPU ms/delivery | broker + PostgreSQL CPU ms/delivery | lost | dup |\n"
            + "|---|---|---|---|---|---|---|---|\n");
        for (String kind : cluster.stream().map(r -> r.kind).distinct().toArray(String[]::new)) {
            CaseResult one = null;
            for (int nodes : cluster.stream().filter(r -> r.kind.equals(kind)).mapToInt(r -> r.nodes).distinct().sorted().toArray()) {
                List<CaseResult> cases = new ArrayList<>();
                cluster.stream().filter(r -> r.kind.equals(kind) && r.nodes == nodes).forEach(cases::add);
                CaseResult m = median(cases);
                long delivered = m.pairsReceived - m.duplicates;
                md.append(String.format(Locale.ROOT, "| %d × %d | %s | %d | %.0f | %.3f | %.3f | %d | %d |%n", m.members, m.posts, kind, nodes,
                    m.deliveriesPerSecond, m.cpuMsPerDelivery, delivered == 0 ? 0 : m.serviceCpuSeconds * 1000 / delivered,
                    cases.stream().mapToLong(c -> c.lost).sum(), cases.stream().mapToLong(c -> c.duplicates).sum()));
                if (nodes == 1) {
                    one = m;
                } else if (one != null) {
                    md.append(String.format(Locale.ROOT, "| | %s | %d ÷ 1 | time ×%.2f | CPU/delivery ×%.2f | | | |%n", kind, nodes,
                        m.seconds / one.seconds, m.cpuMsPerDelivery / one.cpuMsPerDelivery));
                }
            }
        }
    }

    private static List<CaseResult> of(List<CaseResult> results, String shape, String kind) {
        List<CaseResult> matching = new ArrayList<>();
        for (CaseResult r : results) {
            if (r.shape.equals(shape) && r.kind.equals(kind)) {
                matching.add(r);
            }
        }
        return matching;
    }

    private static void lightRow(StringBuilder md, String shape, List<CaseResult> light, String label) {
        if (light.isEmpty()) {
            return;
        }
        List<Double> lasts = new ArrayList<>();
        light.forEach(r -> lasts.add(r.lastP50));
        Collections.sort(lasts);
        md.append(String.format(Locale.ROOT, "| %s | %s (%d posts, one at a time) | | | %.3f | | %.2f / %.2f / %.2f | | | %d | %d |%n",
            shape, label, light.size(), light.stream().mapToDouble(c -> c.cpuMsPerDelivery).sorted().toArray()[light.size() / 2],
            percentile(lasts, 0.5), percentile(lasts, 0.9), percentile(lasts, 1.0),
            light.stream().mapToLong(c -> c.lost).sum(), light.stream().mapToLong(c -> c.duplicates).sum()));
    }

    /** The round with the median wall time. */
    private static CaseResult median(List<CaseResult> cases) {
        List<CaseResult> sorted = new ArrayList<>(cases);
        sorted.sort((a, b) -> Double.compare(a.seconds, b.seconds));
        return sorted.get(sorted.size() / 2);
    }

    private static double totalMemoryGiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0;
                }
            }
        } catch (Exception e) {
            // not Linux: leave it out
        }
        return 0;
    }

}
