package org.listkeeper.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The packaged server as a separate JVM, with its CPU time, RSS and heap read from outside. */
final class ServerUnderTest implements UnderTest {
    private static final Pattern GC_LINE = Pattern.compile("^\\[(\\d+\\.\\d+)s\\].*?(\\d+)M->(\\d+)M\\(\\d+M\\)");

    final int smtpPort;
    final int webAdminPort;
    private final Path gcLog;
    private final Process process;
    private final long startNanos;
    private final HttpClient http = HttpClient.newHttpClient();

    ServerUnderTest(Path serverJar, Path directory, int relayPort, String heap, List<String> jvmOptions) throws Exception {
        this(serverJar, directory, relayPort, heap, jvmOptions, List.of());
    }

    /** A server started with {@code serverOptions} too (such as {@code --conf DIR}). */
    ServerUnderTest(Path serverJar, Path directory, int relayPort, String heap, List<String> jvmOptions, List<String> serverOptions)
        throws Exception {
        smtpPort = freePort();
        webAdminPort = freePort();
        gcLog = directory.resolve("gc.log");
        Path log = directory.resolve("server.log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx" + heap, "-Xlog:gc:file=" + gcLog + ":uptime"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", serverJar.toString(), "--data", directory.resolve("data").toString(),
            "--smtp-port", String.valueOf(smtpPort), "--webadmin-port", String.valueOf(webAdminPort),
            "--web-port", String.valueOf(freePort()), "--relay", "127.0.0.1:" + relayPort, "--public-url", "https://lists.example.org"));
        command.addAll(serverOptions);
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        startNanos = System.nanoTime();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.readString(log, StandardCharsets.UTF_8).contains("Listkeeper ready")) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("Server did not start:\n" + Files.readString(log, StandardCharsets.UTF_8));
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    @Override
    public List<Integer> smtpPorts() {
        return List.of(smtpPort);
    }

    /** Seconds since the server JVM started, on the same scale as the GC log's uptime (within start-up skew). */
    @Override
    public double uptimeSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** User + system CPU seconds the server process has used. */
    @Override
    public double cpuSeconds() throws IOException {
        return ProcessCpu.seconds(process.pid(), false);
    }

    /** Resident set size in MiB. */
    @Override
    public double rssMiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        return 0;
    }

    /** The largest heap occupancy before a collection between two server uptimes, in MiB. */
    @Override
    public double peakHeapMiB(double fromUptime, double toUptime) throws IOException {
        double peak = 0;
        if (!Files.exists(gcLog)) {
            return peak;
        }
        for (String line : Files.readAllLines(gcLog)) {
            Matcher matcher = GC_LINE.matcher(line);
            if (matcher.find()) {
                double at = Double.parseDouble(matcher.group(1));
                if (at >= fromUptime - 1 && at <= toUptime + 1) {
                    peak = Math.max(peak, Double.parseDouble(matcher.group(2)));
                }
            }
        }
        return peak;
    }

    @Override
    public boolean outOfMemory() throws IOException {
        return Files.readString(gcLog.resolveSibling("server.log"), StandardCharsets.UTF_8).contains("OutOfMemoryError");
    }

    @Override
    public int put(String path, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webAdminPort + path))
            .timeout(Duration.ofSeconds(60)).PUT(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
