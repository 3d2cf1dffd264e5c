package org.listkeeper.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.listkeeper.testing.broker.StandaloneBroker;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Several packaged servers in cluster mode, each a JVM of its own, on one ActiveMQ broker ({@link StandaloneBroker}, a JVM
 * of its own) and one PostgreSQL (embedded, its own processes): what {@code bench/run --nodes N} measures. The servers'
 * CPU is the sum of the nodes'; the broker's and the database's are read apart.
 */
final class ClusterUnderTest implements UnderTest {
    private final Path postgresData;
    private final EmbeddedPostgres postgres;
    private final Process broker;
    private final List<ServerUnderTest> nodes = new ArrayList<>();

    ClusterUnderTest(Path serverJar, Path directory, int relayPort, String heap, List<String> jvmOptions, int count) throws Exception {
        postgresData = directory.resolve("postgres");
        postgres = EmbeddedPostgres.builder().setDataDirectory(postgresData).setCleanDataDirectory(true).start();
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE listkeeper");
        }
        String jdbcUrl = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/listkeeper?user=postgres&password=postgres";
        int brokerPort = ServerUnderTest.freePort();
        Path brokerLog = directory.resolve("broker.log");
        broker = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-cp",
            System.getProperty("java.class.path"), StandaloneBroker.class.getName(), String.valueOf(brokerPort), directory.resolve("broker").toString()))
            .redirectErrorStream(true).redirectOutput(brokerLog.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(brokerLog) || !Files.readString(brokerLog, StandardCharsets.UTF_8).contains(StandaloneBroker.READY)) {
            if (!broker.isAlive() || System.nanoTime() > deadline) {
                close();
                throw new IllegalStateException("The broker did not start:\n" + Files.readString(brokerLog, StandardCharsets.UTF_8));
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        try {
            for (int node = 1; node <= count; node++) {
                // one after the other: the first creates the list store's tables
                nodes.add(new ServerUnderTest(serverJar, Files.createDirectories(directory.resolve("node-" + node)), relayPort, heap,
                    jvmOptions, List.of("--broker", "tcp://127.0.0.1:" + brokerPort, "--jdbc-url", jdbcUrl, "--node-id", "node-" + node)));
            }
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    @Override
    public List<Integer> smtpPorts() {
        List<Integer> ports = new ArrayList<>();
        nodes.forEach(node -> ports.add(node.smtpPort));
        return ports;
    }

    @Override
    public double cpuSeconds() throws IOException {
        double seconds = 0;
        for (ServerUnderTest node : nodes) {
            seconds += node.cpuSeconds();
        }
        return seconds;
    }

    /** The broker JVM and the PostgreSQL processes (the postmaster and its backends). */
    @Override
    public double serviceCpuSeconds() throws IOException {
        return ProcessCpu.seconds(broker.pid(), false) + ProcessCpu.seconds(postmaster(), true);
    }

    private long postmaster() throws IOException {
        // the first line of postmaster.pid is the server's process id
        return Long.parseLong(Files.readAllLines(postgresData.resolve("postmaster.pid")).get(0).strip());
    }

    @Override
    public double rssMiB() throws IOException {
        double rss = 0;
        for (ServerUnderTest node : nodes) {
            rss += node.rssMiB();
        }
        return rss;
    }

    @Override
    public double uptimeSeconds() {
        return nodes.get(0).uptimeSeconds();
    }

    @Override
    public double peakHeapMiB(double fromUptime, double toUptime) throws IOException {
        double peak = 0;
        for (ServerUnderTest node : nodes) {
            peak = Math.max(peak, node.peakHeapMiB(fromUptime, toUptime));
        }
        return peak;
    }

    @Override
    public boolean outOfMemory() throws IOException {
        for (ServerUnderTest node : nodes) {
            if (node.outOfMemory()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public int put(String path, String body) throws IOException, InterruptedException {
        return nodes.get(0).put(path, body);
    }

    @Override
    public int nodes() {
        return nodes.size();
    }

    @Override
    public void close() throws Exception {
        for (ServerUnderTest node : nodes) {
            node.close();
        }
        broker.destroy();
        if (!broker.waitFor(60, TimeUnit.SECONDS)) {
            broker.destroyForcibly().waitFor();
        }
        postgres.close();
    }
}
