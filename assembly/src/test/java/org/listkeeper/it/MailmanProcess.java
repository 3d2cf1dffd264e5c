package org.listkeeper.it;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Debian's GNU Mailman 3 with a configuration of its own in a temp directory (REST on a loopback port, no MTA, no
 * archivers), run as user {@code list} as Debian runs it; {@code .ci/run} installs {@code mailman3} when missing.
 */
final class MailmanProcess implements AutoCloseable {
    static final String USER = "restadmin";
    static final String PASSWORD = "restpass-for-tests";
    private final Path directory;
    private final Path config;
    final int port;
    private final HttpClient http = HttpClient.newHttpClient();

    private MailmanProcess(Path directory, Path config, int port) {
        this.directory = directory;
        this.config = config;
        this.port = port;
    }

    static MailmanProcess start() throws Exception {
        if (!new File("/usr/bin/mailman").canExecute()) {
            throw new IllegalStateException("This test needs Debian's mailman3: apt-get install mailman3 (.ci/run does it)");
        }
        Path directory = Files.createTempDirectory("mailman3-");
        int port = ServerProcess.freePort();
        int lmtp = ServerProcess.freePort();
        Path config = directory.resolve("mailman.cfg");
        Files.writeString(config, String.join("\n",
            "[mailman]", "layout: here", "site_owner: owner@example.org", "",
            "[paths.here]", "var_dir: " + directory.resolve("var"), "queue_dir: $var_dir/queue", "bin_dir: /usr/lib/mailman3/bin",
            "list_data_dir: $var_dir/lists", "log_dir: $var_dir/logs", "lock_dir: $var_dir/locks", "data_dir: $var_dir/data",
            "cache_dir: $var_dir/cache", "etc_dir: $var_dir/etc", "ext_dir: $var_dir/ext", "messages_dir: $var_dir/messages",
            "archive_dir: $var_dir/archives", "template_dir: $var_dir/templates", "pid_file: $var_dir/master.pid", "",
            "[webservice]", "hostname: 127.0.0.1", "port: " + port, "admin_user: " + USER, "admin_pass: " + PASSWORD, "",
            "[mta]", "incoming: mailman.mta.null.NullMTA", "smtp_host: 127.0.0.1", "smtp_port: 9", "lmtp_host: 127.0.0.1",
            "lmtp_port: " + lmtp, "",
            "[archiver.prototype]", "enable: no", "[archiver.mhonarc]", "enable: no", "[archiver.mail_archive]", "enable: no",
            "[archiver.hyperkitty]", "enable: no", ""));
        run(directory, "chown", "-R", "list:list", directory.toString());
        MailmanProcess mailman = new MailmanProcess(directory, config, port);
        mailman.mailman("start");
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
            .until(() -> mailman.request("GET", "/system/versions", Map.of()).statusCode() == 200);
        return mailman;
    }

    String url() {
        return "http://127.0.0.1:" + port + "/3.1";
    }

    private void mailman(String command) throws Exception {
        run(directory, "runuser", "-u", "list", "--", "env", "MAILMAN_CONFIG_FILE=" + config, "mailman", command);
    }

    /** Runs a command with its output in a file: Mailman's daemons inherit the descriptors, a pipe would never close. */
    private static void run(Path directory, String... command) throws Exception {
        Path log = directory.resolve("command.log");
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed: " + Files.readString(log));
        }
    }

    /** A REST call with form fields; the answer. */
    HttpResponse<String> request(String method, String path, Map<String, String> fields) throws IOException, InterruptedException {
        String form = fields.entrySet().stream().map(e -> java.net.URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
            + java.net.URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(30))
            .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
        if (method.equals("GET")) {
            request.GET();
        } else {
            request.header("Content-Type", "application/x-www-form-urlencoded").method(method, HttpRequest.BodyPublishers.ofString(form));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A REST call that must succeed (2xx); its answer. */
    HttpResponse<String> expect(String method, String path, Map<String, String> fields) throws IOException, InterruptedException {
        HttpResponse<String> response = request(method, path, fields);
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + path + " " + fields + ": " + response.statusCode() + " " + response.body());
        }
        return response;
    }

    @Override
    public void close() throws Exception {
        try {
            mailman("stop");
        } finally {
            try (Stream<Path> files = Files.walk(directory)) {
                List<Path> all = files.sorted(Comparator.reverseOrder()).collect(Collectors.toList());
                for (Path file : all) {
                    file.toFile().delete();
                }
            }
        }
    }
}
