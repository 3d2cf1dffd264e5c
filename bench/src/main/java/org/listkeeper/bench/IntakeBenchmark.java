package org.listkeeper.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.listkeeper.testing.smtp.RecordingSmtpSink;

/**
 * How long the packaged server takes to accept a message (from the write of its data and final dot to its
 * {@code 250}): a list post beside plain relay through the same James, {@code posts} of each, sequential on two
 * connections, alternating message by message or one kind after the other, after a warm-up. Usage: {@code IntakeBenchmark [--server-jar JAR]
 * [--rounds 3] [--posts 100] [--warmup 100] [--mode alternating|sequential] [--out DIR] [--jvm-option OPTION]...}.
 */
public final class IntakeBenchmark {
    private static final String LIST = "intake@lists.example.org";
    private static final String MEMBER = "reader@members.example";
    private static final String REMOTE = "someone@remote.example";

    private IntakeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path serverJar = Path.of(System.getProperty("listkeeper.server.jar", "assembly/target/listkeeper-server.jar"));
        Path out = Path.of("bench", "target", "results");
        int rounds = 3;
        int posts = 100;
        int warmup = 100;
        boolean alternate = true;
        List<String> jvmOptions = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--server-jar": serverJar = Path.of(args[++i]); break;
                case "--rounds": rounds = Integer.parseInt(args[++i]); break;
                case "--posts": posts = Integer.parseInt(args[++i]); break;
                case "--warmup": warmup = Integer.parseInt(args[++i]); break;
                case "--out": out = Path.of(args[++i]); break;
                case "--jvm-option": jvmOptions.add(args[++i]); break;
                case "--mode": alternate = mode(args[++i]); break;
                default:
                    System.err.println("Unknown argument " + args[i]);
                    System.exit(2);
            }
        }
        Files.createDirectories(out);
        Path directory = Files.createTempDirectory("listkeeper-intake");
        List<double[]> list = new ArrayList<>();
        List<double[]> relay = new ArrayList<>();
        try (RecordingSmtpSink sink = RecordingSmtpSink.start();
             ServerUnderTest server = new ServerUnderTest(serverJar, directory, sink.port(), "512m", jvmOptions)) {
            require(server.put("/lists/" + LIST, "{\"defaultNonmemberAction\":\"accept\"}"));
            require(server.put("/lists/" + LIST + "/members/" + MEMBER, ""));
            measure(server, warmup, "warm", true, alternate);
            for (int round = 0; round < rounds; round++) {
                double[][] both = measure(server, posts, "r" + round, round % 2 == 0, alternate);
                list.add(both[0]);
                relay.add(both[1]);
                System.out.printf("round %d: list post p50 %.1f ms p90 %.1f ms; plain relay p50 %.1f ms p90 %.1f ms%n", round + 1,
                    percentile(list.get(round), 0.5), percentile(list.get(round), 0.9), percentile(relay.get(round), 0.5),
                    percentile(relay.get(round), 0.9));
            }
        }
        double listP50 = median(list, 0.5);
        double listP90 = median(list, 0.9);
        double relayP50 = median(relay, 0.5);
        double relayP90 = median(relay, 0.9);
        String how = alternate ? "alternating message by message on two connections"
            : "each kind sequential on its own connection, one kind after the other";
        String md = String.format("| intake, %d list posts and %d relayed messages, %s (median of %d rounds) | p50 (ms) | p90 (ms) |%n"
            + "|---|---|---|%n| list post (1 RCPT, the list address) | %.1f | %.1f |%n| plain relay (1 RCPT, a remote address) | %.1f | %.1f |%n"
            + "%nlist post p50 / plain relay p50 = %.2f%n", posts, posts, how, rounds, listP50, listP90, relayP50, relayP90,
            listP50 / relayP50);
        System.out.print(md);
        String stamp = Instant.now().toString().replace(":", "-");
        Files.writeString(out.resolve("intake-" + stamp + ".md"), md, StandardCharsets.UTF_8);
        Files.writeString(out.resolve("intake-" + stamp + ".json"), String.format("{\"posts\":%d,\"rounds\":%d,"
            + "\"mode\":\"%s\",\"listPost\":{\"p50Ms\":%.2f,\"p90Ms\":%.2f},\"plainRelay\":{\"p50Ms\":%.2f,\"p90Ms\":%.2f}}%n", posts,
            rounds, alternate ? "alternating" : "sequential", listP50, listP90, relayP50, relayP90), StandardCharsets.UTF_8);
    }

    private static void require(int status) {
        if (status / 100 != 2) {
            throw new IllegalStateException("WebAdmin answered " + status);
        }
    }

    private static boolean mode(String value) {
        switch (value) {
            case "alternating": return true;
            case "sequential": return false;
            default: throw new IllegalArgumentException("--mode is alternating or sequential, not " + value);
        }
    }

    /**
     * {@code count} list posts on one connection and {@code count} relayed messages on another: alternating message by
     * message (so that both see the same background work and the same moment of the machine), or all of one kind then
     * all of the other (issue 18's first method); their accept times in milliseconds, list first.
     */
    private static double[][] measure(ServerUnderTest server, int count, String tag, boolean listFirst, boolean alternate)
        throws Exception {
        double[] list = new double[count];
        double[] relay = new double[count];
        try (Poster toList = new Poster(server.smtpPort); Poster toRelay = new Poster(server.smtpPort)) {
            if (alternate) {
                for (int i = 0; i < count; i++) {
                    for (int turn = 0; turn < 2; turn++) {
                        boolean isList = (turn == 0) == listFirst;
                        (isList ? list : relay)[i] = accept(isList ? toList : toRelay, isList, tag, i);
                    }
                }
            } else {
                for (int turn = 0; turn < 2; turn++) {
                    boolean isList = (turn == 0) == listFirst;
                    for (int i = 0; i < count; i++) {
                        (isList ? list : relay)[i] = accept(isList ? toList : toRelay, isList, tag, i);
                    }
                }
            }
        }
        return new double[][] {list, relay};
    }

    private static double accept(Poster poster, boolean isList, String tag, int i) throws Exception {
        String id = "<intake-" + (isList ? "list" : "relay") + "-" + tag + "-" + i + "@bench.example>";
        String to = isList ? LIST : REMOTE;
        return poster.acceptNanos("poster@bench.example", List.of(to), "From: poster@bench.example\nTo: " + to
            + "\nSubject: intake " + i + "\nMessage-ID: " + id + "\n\nA message of a few lines, as a list post is.\n") / 1e6;
    }

    private static double percentile(double[] values, double p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private static double median(List<double[]> rounds, double p) {
        double[] each = rounds.stream().mapToDouble(values -> percentile(values, p)).sorted().toArray();
        return each[each.length / 2];
    }
}
