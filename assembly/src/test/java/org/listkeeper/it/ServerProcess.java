package org.listkeeper.it;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The packaged single-node server ({@code listkeeper-server.jar}) run as a separate JVM, as a user runs it. */
final class ServerProcess implements AutoCloseable {
    static final String READY = "Listkeeper ready: ";

    private final Path data;
    private final Path log;
    private final List<String> arguments;
    final int smtpPort;
    final int webAdminPort;
    private Process process;
    private int starts;
    private Path extraClasspath;
    private final List<String> jvmOptions = new ArrayList<>();

    ServerProcess(Path data, List<String> extraArguments) throws IOException {
        this.data = data;
        this.log = data.resolveSibling(data.getFileName() + ".log");
        this.smtpPort = freePort();
        this.webAdminPort = freePort();
        this.arguments = new ArrayList<>(List.of("--data", data.toString(), "--smtp-port", String.valueOf(smtpPort),
            "--webadmin-port", String.valueOf(webAdminPort), "--web-port", String.valueOf(freePort())));
        this.arguments.addAll(extraArguments);
    }

    static Path serverJar() {
        return Paths.get(System.getProperty("listkeeper.server.jar", "target/listkeeper-server.jar"));
    }

    static String java() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Runs the server with {@code arguments} to completion (for start-up failures). */
    static Result run(List<String> arguments, Duration timeout) throws Exception {
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx256m", "-jar", serverJar().toString()));
        command.addAll(arguments);
        File output = File.createTempFile("listkeeper-run", ".log");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output).start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("Server did not exit within " + timeout + ": " + Files.readString(output.toPath()));
            }
            return new Result(process.exitValue(), Files.readString(output.toPath(), StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output.toPath());
        }
    }

    /** How a run ended. */
    static final class Result {
        final int exitCode;
        final String output;

        Result(int exitCode, String output) {
            this.exitCode = exitCode;
            this.output = output;
        }

        List<String> lines() {
            List<String> lines = new ArrayList<>();
            for (String line : output.split("\n")) {
                if (!line.isBlank()) {
                    lines.add(line.strip());
                }
            }
            return lines;
        }
    }

    /**
     * Runs the server with {@code classes} on its class path too (a site's own handlers) and these {@code -D} options,
     * as {@code java -cp listkeeper-server.jar:classes org.listkeeper.server.ListkeeperServerMain}.
     */
    ServerProcess withClasses(Path classes, java.util.Map<String, String> properties) {
        this.extraClasspath = classes;
        properties.forEach((key, value) -> jvmOptions.add("-D" + key + "=" + value));
        return this;
    }

    /** Starts the server and waits for its ready line. */
    void start() throws Exception {
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx512m"));
        command.addAll(jvmOptions);
        if (extraClasspath == null) {
            command.addAll(List.of("-jar", serverJar().toString()));
        } else {
            command.addAll(List.of("-cp", serverJar() + File.pathSeparator + extraClasspath, "org.listkeeper.server.ListkeeperServerMain"));
        }
        command.addAll(arguments);
        process = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        starts++;
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (readyLines() < starts) {
            if (!process.isAlive()) {
                throw new AssertionError("Server exited with " + process.exitValue() + ":\n" + tail());
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("Server not ready after 90 s:\n" + tail());
            }
            Thread.onSpinWait();
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    private long readyLines() throws IOException {
        if (!Files.exists(log)) {
            return 0;
        }
        return Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(line -> line.startsWith(READY)).count();
    }

    /** SIGKILL: no shutdown hook, no flush, as a crash. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** SIGTERM, then the exit code. */
    int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("Server did not stop within 60 s of SIGTERM");
        }
        return process.exitValue();
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    String log() throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    String tail() throws IOException {
        List<String> lines = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The server's thread stacks (jcmd Thread.print), kept beside its log: what a stalled server was doing. */
    void keepThreadDump(String name) {
        if (!alive()) {
            return;
        }
        try {
            Path reports = Files.createDirectories(Paths.get("target", "failsafe-reports"));
            Path jcmd = Paths.get(System.getProperty("java.home"), "bin", "jcmd");
            new ProcessBuilder(jcmd.toString(), String.valueOf(process.pid()), "Thread.print").redirectErrorStream(true)
                .redirectOutput(reports.resolve(name).toFile()).start().waitFor(60, TimeUnit.SECONDS);
        } catch (IOException e) {
            System.out.println("No thread dump of the server: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Keeps the server's log where a CI run leaves its reports. */
    void keepLog(String name) throws IOException {
        if (Files.exists(log)) {
            Path reports = Files.createDirectories(Paths.get("target", "failsafe-reports"));
            Files.copy(log, reports.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Override
    public void close() throws Exception {
        if (alive()) {
            kill();
        }
    }
}
