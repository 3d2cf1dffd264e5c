package org.listkeeper.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.listkeeper.testing.broker.StandaloneBroker;

/** The cluster tests' ActiveMQ 5.17 broker ({@link StandaloneBroker}) in a JVM of its own, on a data directory that outlives restarts. */
final class BrokerProcess implements AutoCloseable {
    final int port;
    private final Path data;
    private final Path log;
    private Process process;
    private int starts;

    BrokerProcess(Path data) throws IOException {
        this.data = data;
        this.log = data.resolveSibling(data.getFileName() + ".log");
        this.port = ServerProcess.freePort();
    }

    /** The URL nodes are given: {@code --broker}. */
    String url() {
        return "tcp://127.0.0.1:" + port;
    }

    void start() throws Exception {
        process = new ProcessBuilder(List.of(ServerProcess.java(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
            StandaloneBroker.class.getName(), String.valueOf(port), data.toString()))
            .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        starts++;
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (readyLines() < starts) {
            if (!process.isAlive()) {
                throw new AssertionError("Broker exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("Broker not ready after 60 s:\n" + Files.readString(log));
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    private long readyLines() throws IOException {
        return Files.exists(log)
            ? Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(line -> line.startsWith(StandaloneBroker.READY)).count() : 0;
    }

    /** SIGTERM: the broker stops as an operator stops it, and waits for it. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor();
        }
    }
}
