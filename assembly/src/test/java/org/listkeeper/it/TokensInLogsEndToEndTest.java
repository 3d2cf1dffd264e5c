package org.listkeeper.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import ch.qos.logback.classic.Level;

/**
 * Confirmation, approval and one-click tokens let whoever holds them act in a member's or moderator's name: no log
 * line may carry one. Joins and confirms by mail (with a confirmation that is retried twice, so the retry lines are
 * written while the token is live), approves a held post by mail, and unsubscribes with one click, with every
 * logger of the JVM (James's own at INFO) captured.
 */
class TokensInLogsEndToEndTest {
    private static final String PUBLIC_URL = "https://lists.example.org";

    @RegisterExtension
    static final ListkeeperServer SERVER = ListkeeperServer.builder()
        .extensionModule(TestHandlers.class)
        .publicBaseUrl(PUBLIC_URL + "/")
        .mailetContainer(xml -> ListkeeperServer.replace(xml,
            "<pipeline>duplicate-check,request-commands,send-replies</pipeline>", "<pipeline>flaky,duplicate-check,request-commands,send-replies</pipeline>"))
        .build();

    private static LogCapture logs;
    private final List<String> tokens = new ArrayList<>();

    @BeforeAll
    static void captureLogs() {
        logs = LogCapture.install(Level.DEBUG, "org.apache.james", "org.listkeeper");
    }

    @AfterAll
    static void stopCapturing() {
        logs.close();
    }

    private static String mail(String from, String to, String subject, String messageId, String body) {
        return "From: " + from + "\nTo: " + to + "\nSubject: " + subject + "\nMessage-ID: " + messageId
            + "\nMIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n\n" + body + "\n";
    }

    private static void send(String from, String to, String subject, String messageId, String body) throws Exception {
        assertThat(SERVER.post(from, List.of(to), mail(from, to, subject, messageId, body)).accepted()).isTrue();
    }

    private static String subjectToken(ListkeeperServer.Delivery notice) {
        String subject = notice.header("Subject");
        assertThat(subject).startsWith("confirm ");
        return subject.substring("confirm ".length()).strip();
    }

    @Test
    void noLogLineShouldCarryAConfirmationApprovalOrUnsubscribeToken() throws Exception {
        // a join confirmed by mail; the confirmation fails twice (retried with the token still live)
        SERVER.createList("secret@lists.example.org", "{\"subscriptionPolicy\":\"confirm\",\"defaultNonmemberAction\":\"hold\","
            + "\"delivery\":\"personalized\"}", "ann@member.example");
        SERVER.webAdmin().expect(204, SERVER.webAdmin().put("/lists/secret@lists.example.org/members/mod@member.example",
            "{\"role\":\"moderator\",\"delivery\":\"disabled\"}"));
        send("carol@joiner.example", "secret-join@lists.example.org", "join", "<tok-1@joiner.example>", "");
        String joinToken = subjectToken(SERVER.awaitDeliveriesTo("carol@joiner.example", 1).get(0));
        tokens.add(joinToken);
        send("carol@joiner.example", "secret-confirm+" + joinToken + "@lists.example.org", "Re: confirm " + joinToken + " [flaky]",
            "<tok-2@joiner.example>", "");
        assertThat(SERVER.awaitDeliveriesTo("carol@joiner.example", 2).get(1).header("Subject")).startsWith("Welcome");
        assertThat(TestHandlers.FLAKY.calls("<tok-2@joiner.example>")).hasSize(3);

        // a held post approved by a moderator's reply
        send("stranger@outside.example", "secret@lists.example.org", "from outside", "<tok-3@outside.example>", "hi");
        String approvalToken = subjectToken(SERVER.awaitDeliveriesTo("mod@member.example", 1).get(0));
        tokens.add(approvalToken);
        send("mod@member.example", "secret-confirm+" + approvalToken + "@lists.example.org", "Re: confirm " + approvalToken,
            "<tok-4@member.example>", "ok");
        List<ListkeeperServer.Delivery> copies = SERVER.awaitDeliveries("<tok-3@outside.example>", 2);

        // a one-click unsubscribe through the link a personalized copy carries
        ListkeeperServer.Delivery annCopy = copies.stream().filter(d -> d.recipient.equals("ann@member.example")).findFirst()
            .orElseThrow();
        Matcher link = Pattern.compile("/unsubscribe/([A-Za-z0-9_-]+)>").matcher(annCopy.header("List-Unsubscribe"));
        assertThat(link.find()).isTrue();
        String unsubscribeToken = link.group(1);
        tokens.add(unsubscribeToken);
        assertThat(SERVER.webAdmin().get("/unsubscribe/" + unsubscribeToken).statusCode()).isEqualTo(200);
        assertThat(SERVER.webAdmin().post("/unsubscribe/" + unsubscribeToken, "List-Unsubscribe=One-Click",
            "application/x-www-form-urlencoded").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> SERVER.webAdmin()
            .get("/lists/secret@lists.example.org/members/ann@member.example").statusCode() == 404);

        assertThat(logs.printedLines()).as("the log lines James and Listkeeper print (%d events)", logs.size())
            .anySatisfy(line -> assertThat(line).contains("secret-confirm+\u2026@lists.example.org"))
            .allSatisfy(line -> assertThat(line).doesNotContain(tokens));
        assertThat(logs.listkeeperEvents()).as("Listkeeper's own messages, MDC and stack traces")
            .anySatisfy(line -> assertThat(line).contains("retry #"))
            .allSatisfy(line -> assertThat(line).doesNotContain(tokens));
    }
}
