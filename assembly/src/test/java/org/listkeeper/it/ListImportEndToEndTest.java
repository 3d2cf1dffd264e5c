package org.listkeeper.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.AfterAll;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Lists brought over with {@code POST /lists/{list}/imports}. A list made by Debian's mlmmj ({@code mlmmj-make-ml}, members added with {@code mlmmj-sub} as regular, digest and
 * no-mail subscribers, settings as its {@code control/} files, posts in {@code archive/N}), brought over with
 * {@code POST /lists/{list}/imports}: members in their modes, owners and moderators, prefix, footer, history; a second
 * run changes nothing, a dry run writes nothing, a missing directory fails the task naming it. A Mailman 2.1 list from
 * a config.pck in Mailman 2.1's own layout and its pipermail mbox; a truncated pickle fails the task.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ListImportEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static ListkeeperServer server = ListkeeperServer.builder().build();

    private Path spool;

    private Path list;

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("%s: %s", String.join(" ", command), output).isZero();
    }

    @AfterAll
    void removeTheSpool() throws IOException {
        if (spool != null) {
            try (java.util.stream.Stream<Path> files = Files.walk(spool)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    @BeforeAll
    void makeAnMlmmjList() throws Exception {
        spool = Files.createTempDirectory("mlmmj-spool");
        if (!new File("/usr/bin/mlmmj-make-ml").canExecute()) {
            throw new IllegalStateException("This test needs Debian's mlmmj: apt-get install mlmmj (.ci/run does it)");
        }
        Process make = new ProcessBuilder("/usr/bin/mlmmj-make-ml", "-L", "team", "-s", spool.toString()).redirectErrorStream(true).start();
        make.getOutputStream().write("lists.example.org\nowner@example.org\nen\nN\n".getBytes(StandardCharsets.US_ASCII));
        make.getOutputStream().close();
        String made = new String(make.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(make.waitFor(60, TimeUnit.SECONDS)).isTrue();
        list = spool.resolve("team");
        assertThat(list.resolve("control")).as(made).isDirectory();
        for (int i = 1; i <= 5; i++) {
            run("/usr/bin/mlmmj-sub", "-L", list.toString(), "-a", "reader" + i + "@example.net", "-f", "-q", "-s");
        }
        run("/usr/bin/mlmmj-sub", "-L", list.toString(), "-a", "digest1@example.net", "-f", "-q", "-s", "-d");
        run("/usr/bin/mlmmj-sub", "-L", list.toString(), "-a", "digest2@example.net", "-f", "-q", "-s", "-d");
        run("/usr/bin/mlmmj-sub", "-L", list.toString(), "-a", "quiet@example.net", "-f", "-q", "-s", "-n");
        Path control = list.resolve("control");
        Files.writeString(control.resolve("prefix"), "[team]\n");
        Files.writeString(control.resolve("footer"), "-- \nThe team list, imported from mlmmj\n");
        Files.writeString(control.resolve("moderators"), "mod@example.org\n");
        Files.writeString(control.resolve("subonlypost"), "");
        Files.writeString(control.resolve("maxmailsize"), "200000\n");
        Files.writeString(control.resolve("access"), "deny ^From:.*spam\\.example\nallow\n");
        Path archive = Files.createDirectories(list.resolve("archive"));
        for (int i = 1; i <= 3; i++) {
            Files.writeString(archive.resolve(String.valueOf(i)), "From: reader1@example.net\r\nTo: team@lists.example.org\r\n"
                + "Subject: [team] old post " + i + "\r\nMessage-ID: <mlmmj-" + i + "@example.net>\r\n"
                + "Date: Mon, 2 Nov 2026 10:0" + i + ":00 +0000\r\n\r\nPost number " + i + " from the mlmmj days.\r\n");
        }
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    /** Starts an import and waits until it ends; its {@code GET /lists/{list}/imports/{id}} answer. */
    private JsonNode importInto(String target, String body) throws Exception {
        HttpResponse<String> started = server.webAdmin().post("/lists/" + target + "/imports", body);
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        String taskId = json(started).get("taskId").asText();
        await().atMost(Duration.ofSeconds(60)).until(() -> !List.of("waiting", "inProgress")
            .contains(json(server.webAdmin().get("/tasks/" + taskId)).get("status").asText()));
        return json(server.webAdmin().get("/lists/" + target + "/imports/" + taskId));
    }

    private String body(boolean dryRun) {
        return "{\"source\":\"mlmmj\",\"path\":\"" + list + "\",\"dryRun\":" + dryRun + "}";
    }

    @Test
    void importShouldBringMembersSettingsAndHistoryThenChangeNothingTheSecondTime() throws Exception {
        server.createList("team@lists.example.org", "{}");

        JsonNode first = importInto("team@lists.example.org", body(false));

        assertThat(first.get("status").asText()).as(first.toString()).isEqualTo("completed");
        JsonNode report = first.get("report");
        assertThat(report.get("added")).hasSize(10);
        assertThat(report.get("history").get("imported").asInt()).isEqualTo(3);
        assertThat(report.toString()).contains("\"source\":\"control/access\",\"kind\":\"not-carried\"")
            .contains("\"source\":\"control/prefix\",\"kind\":\"mapped\",\"target\":\"subjectPrefix\"");
        JsonNode settings = json(server.webAdmin().get("/lists/team@lists.example.org"));
        assertThat(settings.get("subjectPrefix").asText()).isEqualTo("[team]");
        assertThat(settings.get("footer").asText()).contains("The team list, imported from mlmmj");
        assertThat(settings.get("defaultNonmemberAction").asText()).isEqualTo("reject");
        assertThat(settings.get("maxMessageSize").asInt()).isEqualTo(196);
        assertThat(settings.get("digestsEnabled").asBoolean()).isTrue();
        assertThat(json(server.webAdmin().get("/lists/team@lists.example.org/members/reader3@example.net")).get("digest").asText()).isEqualTo("none");
        assertThat(json(server.webAdmin().get("/lists/team@lists.example.org/members/digest2@example.net")).get("digest").asText()).isEqualTo("mime");
        JsonNode quiet = json(server.webAdmin().get("/lists/team@lists.example.org/members/quiet@example.net"));
        assertThat(quiet.get("delivery").asText()).isEqualTo("disabled");
        assertThat(quiet.get("disabledBy").asText()).isEqualTo("user");
        assertThat(json(server.webAdmin().get("/lists/team@lists.example.org/members/owner@example.org")).get("role").asText()).isEqualTo("owner");
        assertThat(json(server.webAdmin().get("/lists/team@lists.example.org/members/mod@example.org")).get("role").asText()).isEqualTo("moderator");
        assertThat(json(server.webAdmin().get("/lists/team@lists.example.org/archive")).toString())
            .contains("old post 1").contains("old post 2").contains("old post 3");
        assertThat(server.deliveries()).noneMatch(delivery -> delivery.recipient.startsWith("reader"));

        JsonNode second = importInto("team@lists.example.org", body(false));
        assertThat(second.get("report").get("nothingToDo").asBoolean()).as(second.toString()).isTrue();
        assertThat(second.get("report").get("unchanged").asInt()).isEqualTo(10);
        assertThat(second.get("report").get("history").get("skipped").asInt()).isEqualTo(3);

        // a post reaches exactly the regular members (digest members wait for the digest, no-mail ones and the
        // owner and moderator who were not subscribed get nothing)
        assertThat(server.post("reader1@example.net", List.of("team@lists.example.org"), "From: reader1@example.net\n"
            + "To: team@lists.example.org\nSubject: first post here\nMessage-ID: <after-mlmmj@example.net>\n\nHello.\n").accepted()).isTrue();
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            expected.add("reader" + i + "@example.net");
        }
        assertThat(server.awaitDeliveries("<after-mlmmj@example.net>", 5)).extracting(d -> d.recipient)
            .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(server.deliveriesOf("<after-mlmmj@example.net>").get(0).header("Subject")).isEqualTo("[team] first post here");
    }

    @Test
    void dryRunShouldReportWithoutWritingAnything() throws Exception {
        server.createList("dry@lists.example.org", "{}");

        JsonNode dry = importInto("dry@lists.example.org", body(true));

        assertThat(dry.get("status").asText()).isEqualTo("completed");
        assertThat(dry.get("report").get("dryRun").asBoolean()).isTrue();
        assertThat(dry.get("report").get("added")).hasSize(10);
        assertThat(dry.get("report").get("history").get("imported").asInt()).isEqualTo(3);
        assertThat(server.webAdmin().get("/lists/dry@lists.example.org/members").body()).isEqualTo("[]");
        assertThat(json(server.webAdmin().get("/lists/dry@lists.example.org")).get("subjectPrefix").asText()).isNotEqualTo("[team]");
        assertThat(json(server.webAdmin().get("/lists/dry@lists.example.org/archive")).size()).isZero();
    }

    @Test
    void missingDirectoryShouldFailTheTaskNamingItAndWriteNothing() throws Exception {
        server.createList("missing@lists.example.org", "{}");

        JsonNode failed = importInto("missing@lists.example.org", "{\"source\":\"mlmmj\",\"path\":\"" + spool.resolve("nope") + "\"}");

        assertThat(failed.get("status").asText()).isEqualTo("failed");
        assertThat(failed.get("error").asText()).contains("no such directory").contains("nope");
        assertThat(server.webAdmin().get("/lists/missing@lists.example.org/members").body()).isEqualTo("[]");
    }

    private Path mailman2Fixture() throws IOException {
        Path directory = Files.createDirectories(spool.resolve("mailman/lists/oldlist"));
        try (java.io.InputStream in = getClass().getResourceAsStream("/migration/mailman2/oldlist/config.pck")) {
            Files.copy(in, directory.resolve("config.pck"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        try (java.io.InputStream in = getClass().getResourceAsStream("/migration/mailman2/oldlist.mbox")) {
            Files.copy(in, spool.resolve("mailman/oldlist.mbox"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return directory;
    }

    @Test
    void mailman2ListShouldArriveWholeOnceAndATruncatedPickleShouldFailTheTask() throws Exception {
        Path directory = mailman2Fixture();
        server.createList("cafe@lists.example.org", "{}");
        String body = "{\"source\":\"mailman2\",\"path\":\"" + directory + "\",\"archive\":\"" + spool.resolve("mailman/oldlist.mbox") + "\"}";

        JsonNode first = importInto("cafe@lists.example.org", body);

        assertThat(first.get("status").asText()).as(first.toString()).isEqualTo("completed");
        assertThat(first.get("report").get("added")).hasSize(10);
        assertThat(first.get("report").get("history").get("imported").asInt()).isEqualTo(3);
        JsonNode settings = json(server.webAdmin().get("/lists/cafe@lists.example.org"));
        assertThat(settings.get("displayName").asText()).isEqualTo("Café Society");
        assertThat(settings.get("subscriptionPolicy").asText()).isEqualTo("confirm_then_moderate");
        assertThat(json(server.webAdmin().get("/lists/cafe@lists.example.org/members/frank@example.org")).get("digest").asText()).isEqualTo("plain");
        assertThat(json(server.webAdmin().get("/lists/cafe@lists.example.org/members/Bob@example.org")).get("disabledBy").asText()).isEqualTo("bounce");
        assertThat(first.get("report").toString()).contains("\"source\":\"passwords\",\"kind\":\"not-carried\"");

        JsonNode again = importInto("cafe@lists.example.org", body);
        assertThat(again.get("report").get("nothingToDo").asBoolean()).as(again.toString()).isTrue();

        Path broken = Files.createDirectories(spool.resolve("mailman/lists/broken"));
        byte[] whole = Files.readAllBytes(directory.resolve("config.pck"));
        Files.write(broken.resolve("config.pck"), java.util.Arrays.copyOf(whole, whole.length / 3));
        server.createList("broken@lists.example.org", "{}");
        JsonNode failed = importInto("broken@lists.example.org", "{\"source\":\"mailman2\",\"path\":\"" + broken + "\"}");
        assertThat(failed.get("status").asText()).isEqualTo("failed");
        assertThat(failed.get("error").asText()).contains("config.pck cannot be read");
        assertThat(server.webAdmin().get("/lists/broken@lists.example.org/members").body()).isEqualTo("[]");
    }

    @Test
    void mailman3ListShouldArriveWithEveryMemberInTheirModeAndReachWhomMailmanWould() throws Exception {
        com.sun.net.httpserver.HttpServer footers = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        footers.createContext("/footer.txt", exchange -> {
            byte[] footer = "-- \n$display_name, posted through Mailman 3\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, footer.length);
            exchange.getResponseBody().write(footer);
            exchange.close();
        });
        footers.start();
        try (MailmanProcess mailman = MailmanProcess.start()) {
            String id = "team.lists.example.org";
            mailman.expect("POST", "/domains", java.util.Map.of("mail_host", "lists.example.org"));
            mailman.expect("POST", "/lists", java.util.Map.of("fqdn_listname", "team@lists.example.org"));
            mailman.expect("PATCH", "/lists/" + id + "/config", java.util.Map.of("subject_prefix", "[mm3] ", "display_name", "Team Three"));
            mailman.expect("PATCH", "/lists/" + id + "/uris", java.util.Map.of("list:member:regular:footer",
                "http://127.0.0.1:" + footers.getAddress().getPort() + "/footer.txt"));
            for (int i = 0; i < 200; i++) {
                String address = "m" + i + "@example.net";
                String mode = i < 130 ? "regular" : i < 160 ? "mime_digests" : i < 180 ? "plaintext_digests" : "regular";
                HttpResponse<String> created = mailman.expect("POST", "/members", java.util.Map.of("list_id", id, "subscriber", address,
                    "display_name", "Member " + i, "delivery_mode", mode, "pre_verified", "true", "pre_confirmed", "true",
                    "pre_approved", "true", "send_welcome_message", "false"));
                if (i >= 180) {
                    String member = created.headers().firstValue("location").orElseThrow();
                    mailman.expect("PATCH", member.substring(member.indexOf("/members/")) + "/preferences",
                        java.util.Map.of("delivery_status", "by_user"));
                }
            }
            mailman.expect("POST", "/members", java.util.Map.of("list_id", id, "subscriber", "boss@example.org", "role", "owner"));
            mailman.expect("POST", "/members", java.util.Map.of("list_id", id, "subscriber", "m1@example.net", "role", "moderator"));
            mailman.expect("POST", "/lists/" + id + "/bans", java.util.Map.of("email", "banned@example.com"));
            mailman.expect("POST", "/lists/" + id + "/bans", java.util.Map.of("email", "^.*@spam\\.example$"));
            server.createList("three@lists.example.org", "{}");
            Path export = spool.resolve("hyperkitty-export.mbox");
            try (java.io.InputStream in = getClass().getResourceAsStream("/migration/mailman2/oldlist.mbox")) {
                Files.copy(in, export, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            String body = "{\"source\":\"mailman3\",\"url\":\"" + mailman.url() + "\",\"user\":\"" + MailmanProcess.USER
                + "\",\"password\":\"" + MailmanProcess.PASSWORD + "\",\"list\":\"team@lists.example.org\",\"archive\":\"" + export + "\"}";

            JsonNode imported = importInto("three@lists.example.org", body);

            assertThat(imported.get("status").asText()).as(imported.toString()).isEqualTo("completed");
            assertThat(imported.get("report").get("added")).hasSize(201);
            assertThat(imported.get("report").get("history").get("imported").asInt()).isEqualTo(3);
            // every member with role and options, as Mailman has them
            JsonNode roster = json(server.webAdmin().get("/lists/three@lists.example.org/members?limit=1000"));
            java.util.Map<String, JsonNode> byAddress = new java.util.HashMap<>();
            roster.forEach(member -> byAddress.put(member.get("address").asText(), member));
            for (int i = 0; i < 200; i++) {
                JsonNode member = byAddress.get("m" + i + "@example.net");
                assertThat(member).as("m%d", i).isNotNull();
                assertThat(member.get("role").asText()).isEqualTo(i == 1 ? "moderator" : "member");
                assertThat(member.get("digest").asText()).as("m%d", i).isEqualTo(i >= 130 && i < 160 ? "mime" : i >= 160 && i < 180 ? "plain" : "none");
                assertThat(member.get("delivery").asText()).as("m%d", i).isEqualTo(i >= 180 ? "disabled" : "enabled");
                assertThat(member.get("displayName").asText()).isEqualTo("Member " + i);
            }
            JsonNode settings = json(server.webAdmin().get("/lists/three@lists.example.org"));
            assertThat(settings.get("subjectPrefix").asText()).isEqualTo("[mm3]");
            assertThat(settings.get("displayName").asText()).isEqualTo("Team Three");
            assertThat(settings.get("footer").asText()).contains("{{displayName}}, posted through Mailman 3");
            assertThat(settings.get("bannedAddresses").toString()).contains("banned@example.com").contains("^.*@spam");
            assertThat(json(server.webAdmin().get("/lists/three@lists.example.org/members/m140@example.net")).get("digest").asText()).isEqualTo("mime");
            assertThat(json(server.webAdmin().get("/lists/three@lists.example.org/members/m170@example.net")).get("digest").asText()).isEqualTo("plain");
            assertThat(json(server.webAdmin().get("/lists/three@lists.example.org/members/m190@example.net")).get("disabledBy").asText()).isEqualTo("user");
            assertThat(json(server.webAdmin().get("/lists/three@lists.example.org/members/m1@example.net")).get("role").asText()).isEqualTo("moderator");
            assertThat(json(server.webAdmin().get("/lists/three@lists.example.org/members/m5@example.net")).get("displayName").asText()).isEqualTo("Member 5");
            assertThat(json(server.webAdmin().get("/lists/three@lists.example.org/members/boss@example.org")).get("role").asText()).isEqualTo("owner");

            JsonNode again = importInto("three@lists.example.org", body);
            assertThat(again.get("report").get("nothingToDo").asBoolean()).as(again.toString()).isTrue();

            JsonNode wrong = importInto("three@lists.example.org", body.replace(MailmanProcess.PASSWORD, "wrong-password"));
            assertThat(wrong.get("status").asText()).isEqualTo("failed");
            assertThat(wrong.get("error").asText()).contains("refused the user and password");
        } finally {
            footers.stop(0);
        }
        JsonNode unreachable = importInto("three@lists.example.org", "{\"source\":\"mailman3\",\"url\":\"http://127.0.0.1:"
            + ServerProcess.freePort() + "/3.1\",\"user\":\"u\",\"password\":\"p\",\"list\":\"team@lists.example.org\"}");
        assertThat(unreachable.get("status").asText()).isEqualTo("failed");
        assertThat(unreachable.get("error").asText()).contains("cannot be reached");

        // the members Mailman would have sent a post to: regular delivery, delivery on
        assertThat(server.post("m2@example.net", List.of("three@lists.example.org"), "From: m2@example.net\nTo: three@lists.example.org\n"
            + "Subject: hello three\nMessage-ID: <after-mailman3@example.net>\n\nHi.\n").accepted()).isTrue();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 130; i++) {
            expected.add("m" + i + "@example.net");
        }
        assertThat(server.awaitDeliveries("<after-mailman3@example.net>", expected.size())).extracting(d -> d.recipient)
            .containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void unknownSourceShouldBeRefusedAtOnce() {
        server.createList("unknown@lists.example.org", "{}");

        HttpResponse<String> refused = server.webAdmin().post("/lists/unknown@lists.example.org/imports", "{\"source\":\"majordomo\"}");

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("majordomo");
    }
}
