package org.listkeeper.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Posting rules, the hold queue and moderators' decisions by mail and REST, over real SMTP into James. */
class ModerationEndToEndTest {
    @RegisterExtension
    static final ListkeeperServer SERVER = ListkeeperServer.builder().build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    private static WebAdminClient admin() {
        return SERVER.webAdmin();
    }

    private static String post(String from, String list, String subject, String messageId, String extraHeaders, String body) {
        return "From: " + from + "\n"
            + "To: " + list + "\n"
            + "Subject: " + subject + "\n"
            + "Message-ID: " + messageId + "\n"
            + extraHeaders
            + "MIME-Version: 1.0\n"
            + "Content-Type: text/plain; charset=UTF-8\n"
            + "\n"
            + body + "\n";
    }

    private static void send(String from, String to, String message) throws Exception {
        assertThat(SERVER.post(from, List.of(to), message).accepted()).isTrue();
    }

    private static JsonNode awaitHeld(String list, int count) throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> json(admin().get("/lists/" + list + "/held")).size() >= count);
        return json(admin().get("/lists/" + list + "/held"));
    }

    @Test
    void nonmemberPostShouldBeHeldAndAcceptedOnceByReplyingToTheNotice() throws Exception {
        SERVER.createList("held@lists.example.org", "{\"defaultNonmemberAction\":\"hold\"}", "ann@member.example", "bob@member.example");
        admin().expect(204, admin().put("/lists/held@lists.example.org/members/mod@member.example", "{\"role\":\"moderator\","
            + "\"delivery\":\"disabled\"}"));

        send("stranger@outside.example", "held@lists.example.org",
            post("stranger@outside.example", "held@lists.example.org", "hello list", "<held-1@outside.example>", "", "from outside"));

        JsonNode held = awaitHeld("held@lists.example.org", 1);
        assertThat(held.get(0).get("reasons").asText()).contains("nonmember-moderation").contains("stranger@outside.example");
        ListkeeperServer.Delivery notice = SERVER.awaitDeliveriesTo("mod@member.example", 1).get(0);
        String token = notice.header("Subject").substring("confirm ".length()).strip();
        assertThat(notice.body()).contains("hello list").contains("message/rfc822");
        assertThat(SERVER.deliveriesOf("<held-1@outside.example>")).isEmpty();

        send("mod@member.example", "held-confirm+" + token + "@lists.example.org",
            post("mod@member.example", "held-confirm+" + token + "@lists.example.org", "Re: confirm " + token, "<mod-1@member.example>",
                "", "looks fine"));

        assertThat(SERVER.awaitDeliveries("<held-1@outside.example>", 2)).extracting(d -> d.recipient)
            .containsExactlyInAnyOrder("ann@member.example", "bob@member.example");
        assertThat(json(admin().get("/lists/held@lists.example.org/held"))).isEmpty();

        send("mod@member.example", "held-confirm+" + token + "@lists.example.org",
            post("mod@member.example", "held-confirm+" + token + "@lists.example.org", "Re: confirm " + token, "<mod-2@member.example>",
                "", "again"));
        assertThat(SERVER.awaitDeliveriesTo("mod@member.example", 3).get(2).body()).contains("already");
        assertThat(SERVER.awaitDeliveries("<held-1@outside.example>", 2)).hasSize(2);
    }

    @Test
    void concurrentDecisionsShouldHaveExactlyOneOutcomeAndDeliverOnce() throws Exception {
        SERVER.createList("race@lists.example.org",
            "{\"defaultNonmemberAction\":\"hold\",\"moderatorNotification\":\"none\",\"notifyHeldPoster\":false}",
            "ann@member.example");
        send("x@outside.example", "race@lists.example.org", post("x@outside.example", "race@lists.example.org", "one",
            "<race-1@outside.example>", "", "first"));
        send("y@outside.example", "race@lists.example.org", post("y@outside.example", "race@lists.example.org", "two",
            "<race-2@outside.example>", "", "second"));
        JsonNode held = awaitHeld("race@lists.example.org", 2);
        String first = held.get(0).get("id").asText();
        String second = held.get(1).get("id").asText();

        List<HttpResponse<String>> accepts = race("/lists/race@lists.example.org/held/" + first + "?action=accept",
            "/lists/race@lists.example.org/held/" + first + "?action=accept");
        List<HttpResponse<String>> mixed = race("/lists/race@lists.example.org/held/" + second + "?action=accept",
            "/lists/race@lists.example.org/held/" + second + "?action=reject&reason=off+topic");

        assertThat(accepts).extracting(HttpResponse::statusCode).containsExactlyInAnyOrder(200, 409);
        assertThat(accepts).filteredOn(r -> r.statusCode() == 409).singleElement()
            .satisfies(r -> assertThat(r.body()).contains("already accepted by admin"));
        assertThat(SERVER.awaitDeliveries("<race-1@outside.example>", 1)).hasSize(1);
        assertThat(mixed).extracting(HttpResponse::statusCode).containsExactlyInAnyOrder(200, 409);
        HttpResponse<String> winner = mixed.stream().filter(r -> r.statusCode() == 200).findFirst().orElseThrow();
        HttpResponse<String> loser = mixed.stream().filter(r -> r.statusCode() == 409).findFirst().orElseThrow();
        boolean accepted = winner.body().contains("\"accepted\"");
        assertThat(loser.body()).contains(accepted ? "already accepted" : "already rejected");
        if (accepted) {
            assertThat(SERVER.awaitDeliveries("<race-2@outside.example>", 1)).hasSize(1);
        } else {
            assertThat(SERVER.awaitDeliveriesTo("y@outside.example", 1).get(0).body()).contains("off topic");
            assertThat(SERVER.deliveriesOf("<race-2@outside.example>")).isEmpty();
        }
    }

    private static List<HttpResponse<String>> race(String first, String second) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Callable<HttpResponse<String>> one = () -> admin().post(first, "");
            Callable<HttpResponse<String>> two = () -> admin().post(second, "");
            List<HttpResponse<String>> answers = new java.util.ArrayList<>();
            for (Future<HttpResponse<String>> answer : pool.invokeAll(List.of(one, two))) {
                answers.add(answer.get());
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void rulesShouldPassMembersDiscardLoopsRejectBannedSendersAndHoldOversizedPosts() throws Exception {
        // the default chain discards banned senders silently, as Mailman does; this list tells them
        String chain = org.listkeeper.moderation.ModerationChain.DEFAULT.replace("banned-address:discard", "banned-address:reject");
        SERVER.createList("rules@lists.example.org", "{\"bannedAddresses\":[\"spammer@bad.example\"],\"maxMessageSize\":2,"
            + "\"moderationChain\":\"" + chain + "\"}", "ann@member.example", "bob@member.example", "spammer@bad.example");

        send("ann@member.example", "rules@lists.example.org",
            post("ann@member.example", "rules@lists.example.org", "plain", "<rules-1@member.example>", "", "hi"));
        assertThat(SERVER.awaitDeliveries("<rules-1@member.example>", 3)).extracting(d -> d.recipient)
            .containsExactlyInAnyOrder("ann@member.example", "bob@member.example", "spammer@bad.example");

        send("ann@member.example", "rules@lists.example.org", post("ann@member.example", "rules@lists.example.org", "looped",
            "<rules-2@member.example>", "List-Id: rules <rules.lists.example.org>\n", "again"));
        send("spammer@bad.example", "rules@lists.example.org", post("spammer@bad.example", "rules@lists.example.org", "buy",
            "<rules-3@bad.example>", "", "cheap"));
        send("bob@member.example", "rules@lists.example.org", post("bob@member.example", "rules@lists.example.org", "big",
            "<rules-4@member.example>", "", "x".repeat(4000)));

        ListkeeperServer.Delivery rejection = SERVER.awaitDeliveriesTo("spammer@bad.example", 2).stream()
            .filter(d -> !"<rules-1@member.example>".equals(d.header("Message-ID"))).findFirst().orElseThrow();
        assertThat(rejection.header("Subject")).contains("not accepted");
        assertThat(rejection.body()).contains("banned");
        JsonNode held = awaitHeld("rules@lists.example.org", 1);
        assertThat(held).singleElement().satisfies(post -> {
            assertThat(post.get("subject").asText()).isEqualTo("big");
            assertThat(post.get("reasons").asText()).startsWith("max-size");
        });
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> true);
        assertThat(SERVER.deliveriesOf("<rules-2@member.example>")).isEmpty();
        assertThat(SERVER.deliveriesOf("<rules-3@bad.example>")).isEmpty();
        assertThat(SERVER.deliveriesOf("<rules-4@member.example>")).isEmpty();
    }

    @Test
    void defaultChainShouldDiscardABannedSenderWithoutTellingThem() throws Exception {
        SERVER.createList("quiet@lists.example.org", "{\"bannedAddresses\":[\"spammer@bad.example\"]}", "ann@member.example");

        send("spammer@bad.example", "quiet@lists.example.org", post("spammer@bad.example", "quiet@lists.example.org", "buy",
            "<quiet-1@bad.example>", "", "cheap"));
        send("ann@member.example", "quiet@lists.example.org", post("ann@member.example", "quiet@lists.example.org", "after",
            "<quiet-2@member.example>", "", "hi"));

        SERVER.awaitDeliveries("<quiet-2@member.example>", 1);
        assertThat(SERVER.deliveriesOf("<quiet-1@bad.example>")).isEmpty();
        assertThat(SERVER.deliveriesTo("spammer@bad.example")).isEmpty();
    }

    @Test
    void approvedPasswordShouldAcceptAndNeverReachMembersWhileAWrongOneHolds() throws Exception {
        SERVER.createList("approve@lists.example.org",
            "{\"defaultNonmemberAction\":\"hold\",\"moderatorPassword\":\"s3cret-pass\",\"notifyHeldPoster\":false}",
            "ann@member.example");

        send("boss@outside.example", "approve@lists.example.org", post("boss@outside.example", "approve@lists.example.org",
            "announcement", "<approve-1@outside.example>", "Approved: s3cret-pass\n", "news"));
        send("boss@outside.example", "approve@lists.example.org", post("boss@outside.example", "approve@lists.example.org",
            "in the body", "<approve-2@outside.example>", "", "Approved: s3cret-pass\n\nmore news"));
        send("guess@outside.example", "approve@lists.example.org", post("guess@outside.example", "approve@lists.example.org",
            "guessing", "<approve-3@outside.example>", "Approved: wrong\n", "let me in"));

        ListkeeperServer.Delivery header = SERVER.awaitDeliveries("<approve-1@outside.example>", 1).get(0);
        ListkeeperServer.Delivery line = SERVER.awaitDeliveries("<approve-2@outside.example>", 1).get(0);
        assertThat(header.header("Approved")).isNull();
        assertThat(header.body()).doesNotContain("s3cret-pass");
        assertThat(line.body()).doesNotContain("s3cret-pass").contains("more news");
        assertThat(awaitHeld("approve@lists.example.org", 1)).singleElement()
            .satisfies(post -> assertThat(post.get("subject").asText()).isEqualTo("guessing"));
        JsonNode detail = json(admin().get("/lists/approve@lists.example.org/held/"
            + json(admin().get("/lists/approve@lists.example.org/held")).get(0).get("id").asText()));
        assertThat(detail.get("headers").has("Approved")).isFalse();
        assertThat(SERVER.deliveriesOf("<approve-3@outside.example>")).isEmpty();
        assertThat(json(admin().get("/lists/approve@lists.example.org")).get("moderatorPassword").asBoolean()).isTrue();
    }
}
