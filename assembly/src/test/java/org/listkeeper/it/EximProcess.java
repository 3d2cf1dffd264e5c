package org.listkeeper.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Debian's Exim 4 ({@code exim4-daemon-light}, which {@code .ci/run} installs when missing) as a real MTA beside the
 * server, with a configuration, spool and log of its own in a temporary directory, on loopback: mail for the list
 * domain goes to Listkeeper, everything else to the sink. So one daemon is both the list domain's MX in front of
 * Listkeeper and the relay behind it.
 */
final class EximProcess implements AutoCloseable {
    private static final List<Path> BINARIES = List.of(Paths.get("/usr/sbin/exim4"), Paths.get("/usr/sbin/exim"));
    /** Debian's Exim user: Exim never runs a delivery as root. */
    private static final String USER = "Debian-exim";

    private final Path directory;
    final int port;
    private Process process;

    private EximProcess(Path directory, int port) {
        this.directory = directory;
        this.port = port;
    }

    static Path binary() {
        return BINARIES.stream().filter(Files::isExecutable).findFirst().orElseThrow(() -> new AssertionError(
            "Exim 4 is needed for this test: apt-get install exim4-daemon-light (.ci/run installs it when missing)"));
    }

    /** Starts Exim listening on {@code port}, routing {@code listDomain} to {@code listkeeperPort}, the rest to {@code sinkPort}. */
    static EximProcess start(Path directory, int port, String listDomain, int listkeeperPort, int sinkPort) throws Exception {
        Files.createDirectories(directory.resolve("spool"));
        Files.createDirectories(directory.resolve("log"));
        String configuration = String.join("\n",
            "primary_hostname = mx.exim.test",
            "spool_directory = " + directory.resolve("spool"),
            "log_file_path = " + directory.resolve("log") + "/%slog",
            "pid_file_path = " + directory.resolve("exim.pid"),
            "daemon_smtp_ports = " + port,
            "local_interfaces = 127.0.0.1",
            "exim_user = " + USER,
            "exim_group = " + USER,
            "host_lookup =",
            "rfc1413_hosts =",
            "tls_advertise_hosts =",
            "acl_smtp_rcpt = accept_all",
            "begin acl",
            "accept_all:",
            "  accept",
            "begin routers",
            "to_listkeeper:",
            "  driver = manualroute",
            "  domains = " + listDomain,
            "  route_list = * 127.0.0.1",
            "  transport = to_listkeeper",
            "  self = send",
            "to_sink:",
            "  driver = manualroute",
            "  route_list = * 127.0.0.1",
            "  transport = to_sink",
            "  self = send",
            "begin transports",
            "to_listkeeper:",
            "  driver = smtp",
            "  port = " + listkeeperPort,
            "  allow_localhost",
            "  hosts_avoid_tls = *",
            "to_sink:",
            "  driver = smtp",
            "  port = " + sinkPort,
            "  allow_localhost",
            "  hosts_avoid_tls = *",
            "begin retry",
            "* * F,10m,5s",
            "");
        Path conf = directory.resolve("exim.conf");
        Files.writeString(conf, configuration);
        // the deliveries run as Exim's user: it must reach and write the spool and the log
        run("chown", "-R", USER + ":" + USER, directory.resolve("spool").toString(), directory.resolve("log").toString());
        run("chmod", "o+x", directory.toString(), directory.getParent().toString());
        EximProcess exim = new EximProcess(directory, port);
        exim.process = new ProcessBuilder(binary().toString(), "-C", conf.toString(), "-bd", "-q5s")
            .redirectErrorStream(true).redirectOutput(directory.resolve("exim.out").toFile()).start();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (!exim.mainLog().contains("daemon started")) {
            if (!exim.process.isAlive() && !Files.exists(directory.resolve("exim.pid"))) {
                throw new AssertionError("Exim did not start: " + Files.readString(directory.resolve("exim.out")) + exim.panicLog());
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("Exim not listening after 20 s: " + exim.mainLog() + exim.panicLog());
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        return exim;
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed: " + out);
        }
    }

    String mainLog() throws IOException {
        Path main = directory.resolve("log/mainlog");
        return Files.exists(main) ? Files.readString(main, StandardCharsets.UTF_8) : "";
    }

    private String panicLog() throws IOException {
        Path panic = directory.resolve("log/paniclog");
        return Files.exists(panic) ? Files.readString(panic, StandardCharsets.UTF_8) : "";
    }

    /** The log lines of deferred deliveries ({@code ==}) and failed ones ({@code **}). */
    List<String> deferralsAndFailures() throws IOException {
        return mainLog().lines().filter(line -> line.contains(" == ") || line.contains(" ** ")).collect(Collectors.toList());
    }

    /** Messages still on Exim's queue. */
    int queued() throws Exception {
        Process list = new ProcessBuilder(binary().toString(), "-C", directory.resolve("exim.conf").toString(), "-bpc")
            .redirectErrorStream(true).start();
        String out = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        list.waitFor(10, TimeUnit.SECONDS);
        return Integer.parseInt(out.isEmpty() ? "0" : out.lines().reduce((a, b) -> b).orElse("0").strip());
    }

    @Override
    public void close() throws Exception {
        Path pid = directory.resolve("exim.pid");
        if (Files.exists(pid)) {
            long daemon = Long.parseLong(Files.readString(pid).strip());
            ProcessHandle.of(daemon).ifPresent(handle -> {
                handle.descendants().forEach(ProcessHandle::destroyForcibly);
                handle.destroy();
            });
        }
        if (process != null) {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
