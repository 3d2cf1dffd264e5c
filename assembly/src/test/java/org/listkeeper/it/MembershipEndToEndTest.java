package org.listkeeper.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Joining and leaving by mail, over real SMTP into James and out to the SMTP sink. */
class MembershipEndToEndTest {
    @RegisterExtension
    static final ListkeeperServer SERVER = ListkeeperServer.builder().build();

    private static String mail(String from, String to, String subject, String messageId, String extraHeaders, String body) {
        return "From: " + from + "\n"
            + "To: " + to + "\n"
            + "Subject: " + subject + "\n"
            + "Message-ID: " + messageId + "\n"
            + extraHeaders
            + "MIME-Version: 1.0\n"
            + "Content-Type: text/plain; charset=UTF-8\n"
            + "\n"
            + body + "\n";
    }

    private static void send(String from, String to, String subject, String messageId) throws Exception {
        assertThat(SERVER.post(from, List.of(to), mail(from, to, subject, messageId, "", "")).accepted()).isTrue();
    }

    private static String tokenOf(ListkeeperServer.Delivery confirmation) {
        String subject = confirmation.header("Subject");
        assertThat(subject).startsWith("confirm ");
        return subject.substring("confirm ".length()).strip();
    }

    @Test
    void joinByMailShouldConfirmOnceAndTheNextPostShouldReachTheNewMember() throws Exception {
        SERVER.createList("join@lists.example.org", "{\"subscriptionPolicy\":\"confirm\"}", "old@member.example");

        send("carol@joiner.example", "join-join@lists.example.org", "let me in", "<join-1@joiner.example>");

        ListkeeperServer.Delivery confirmation = SERVER.awaitDeliveriesTo("carol@joiner.example", 1).get(0);
        String token = tokenOf(confirmation);
        assertThat(confirmation.header("Reply-To")).isEqualTo("join-confirm+" + token + "@lists.example.org");
        assertThat(confirmation.header("Auto-Submitted")).isEqualTo("auto-replied");
        assertThat(SERVER.webAdmin().get("/lists/join@lists.example.org/members/carol@joiner.example").statusCode()).isEqualTo(404);

        send("carol@joiner.example", "join-confirm+" + token + "@lists.example.org", "Re: confirm " + token, "<join-2@joiner.example>");

        List<ListkeeperServer.Delivery> afterConfirm = SERVER.awaitDeliveriesTo("carol@joiner.example", 2);
        assertThat(afterConfirm.get(1).header("Subject")).startsWith("Welcome to");
        SERVER.webAdmin().expect(200, SERVER.webAdmin().get("/lists/join@lists.example.org/members/carol@joiner.example"));

        send("old@member.example", "join@lists.example.org", "first post", "<join-post@member.example>");
        assertThat(SERVER.awaitDeliveries("<join-post@member.example>", 2)).extracting(d -> d.recipient)
            .containsExactlyInAnyOrder("old@member.example", "carol@joiner.example");

        send("carol@joiner.example", "join-confirm+" + token + "@lists.example.org", "Re: confirm " + token, "<join-3@joiner.example>");

        List<ListkeeperServer.Delivery> all = SERVER.awaitDeliveriesTo("carol@joiner.example", 4);
        assertThat(all.get(3).body()).contains("already used");
        assertThat(all).filteredOn(d -> d.header("Subject").startsWith("Welcome")).hasSize(1);
        String roster = SERVER.webAdmin().get("/lists/join@lists.example.org/members").body();
        assertThat(roster.split("carol@joiner.example", -1)).hasSize(2);
    }

    /** An MTA that lost the server's reply sends the same message again: each command acted on once, answered once. */
    @Test
    void aConfirmationAndACommandSentTwiceWithOneMessageIdShouldBeActedOnAndAnsweredOnce() throws Exception {
        SERVER.createList("twice@lists.example.org", "{\"subscriptionPolicy\":\"confirm\"}", "old@member.example");
        send("dave@joiner.example", "twice-join@lists.example.org", "let me in", "<twice-1@joiner.example>");
        String token = tokenOf(SERVER.awaitDeliveriesTo("dave@joiner.example", 1).get(0));

        send("dave@joiner.example", "twice-confirm+" + token + "@lists.example.org", "Re: confirm " + token, "<twice-2@joiner.example>");
        send("dave@joiner.example", "twice-confirm+" + token + "@lists.example.org", "Re: confirm " + token, "<twice-2@joiner.example>");
        send("dave@joiner.example", "twice-request@lists.example.org", "help", "<twice-3@joiner.example>");
        send("dave@joiner.example", "twice-request@lists.example.org", "help", "<twice-3@joiner.example>");
        // a later, different message to the same command address is a command of its own
        send("dave@joiner.example", "twice-request@lists.example.org", "help", "<twice-4@joiner.example>");

        List<ListkeeperServer.Delivery> answers = SERVER.awaitDeliveriesTo("dave@joiner.example", 4);
        org.awaitility.Awaitility.await().during(java.time.Duration.ofSeconds(2)).atMost(java.time.Duration.ofSeconds(10))
            .until(() -> SERVER.deliveriesTo("dave@joiner.example").size() == 4);
        answers = SERVER.deliveriesTo("dave@joiner.example");
        assertThat(answers).filteredOn(d -> d.header("Subject").startsWith("Welcome")).hasSize(1);
        assertThat(answers).noneSatisfy(d -> assertThat(d.body()).contains("already used"));
        assertThat(answers).filteredOn(d -> !d.header("Subject").startsWith("Welcome") && !d.header("Subject").startsWith("confirm "))
            .hasSize(2);
        SERVER.webAdmin().expect(200, SERVER.webAdmin().get("/lists/twice@lists.example.org/members/dave@joiner.example"));
    }

    @Test
    void joinForAnotherAddressShouldSendTheConfirmationOnlyToThatAddress() throws Exception {
        SERVER.createList("victims@lists.example.org", "{\"subscriptionPolicy\":\"open\"}");

        send("mallory@evil.example", "victims-request@lists.example.org", "join address=victim@target.example",
            "<join-victim@evil.example>");

        ListkeeperServer.Delivery toVictim = SERVER.awaitDeliveriesTo("victim@target.example", 1).get(0);
        String token = tokenOf(toVictim);
        List<ListkeeperServer.Delivery> toMallory = SERVER.awaitDeliveriesTo("mallory@evil.example", 1);
        assertThat(toMallory.get(0).body()).contains("join address=victim@target.example").doesNotContain(token);
        assertThat(SERVER.webAdmin().get("/lists/victims@lists.example.org/members/victim@target.example").statusCode())
            .isEqualTo(404);
    }

    @Test
    void leaveOnOpenListShouldUnsubscribeAtOnceAndNoFurtherPostShouldArrive() throws Exception {
        SERVER.createList("leave@lists.example.org", "{\"unsubscriptionPolicy\":\"open\"}", "dan@member.example", "eve@member.example");

        send("dan@member.example", "leave-leave@lists.example.org", "bye", "<leave-1@member.example>");

        assertThat(SERVER.awaitDeliveriesTo("dan@member.example", 1).get(0).header("Subject")).startsWith("You have left");
        assertThat(SERVER.webAdmin().get("/lists/leave@lists.example.org/members/dan@member.example").statusCode()).isEqualTo(404);
        send("eve@member.example", "leave@lists.example.org", "after dan left", "<leave-post@member.example>");
        assertThat(SERVER.awaitDeliveries("<leave-post@member.example>", 1)).extracting(d -> d.recipient)
            .containsExactly("eve@member.example");
    }

    @Test
    void robotsShouldGetNoReplyAndTheEleventhRequestOfTheDayNone() throws Exception {
        SERVER.createList("robots@lists.example.org", "{}");
        String to = "robots-request@lists.example.org";
        assertThat(SERVER.post("", List.of(to), mail("MAILER-DAEMON@bouncer.example", to, "help", "<r1@bouncer.example>", "", ""))
            .accepted()).isTrue();
        assertThat(SERVER.post("MAILER-DAEMON@bouncer.example", List.of(to),
            mail("MAILER-DAEMON@bouncer.example", to, "help", "<r2@bouncer.example>", "", "")).accepted()).isTrue();
        assertThat(SERVER.post("vacation@robot.example", List.of(to),
            mail("vacation@robot.example", to, "help", "<r3@robot.example>", "Auto-Submitted: auto-replied\n", "")).accepted()).isTrue();
        assertThat(SERVER.post("lists@other.example", List.of(to),
            mail("lists@other.example", to, "help", "<r4@other.example>", "List-Id: <other.other.example>\n", "")).accepted()).isTrue();

        for (int i = 1; i <= 11; i++) {
            send("frank@asker.example", to, "help", "<help-" + i + "@asker.example>");
        }

        List<ListkeeperServer.Delivery> replies = SERVER.awaitDeliveriesTo("frank@asker.example", 10);
        assertThat(replies).hasSize(10).allSatisfy(reply -> assertThat(reply.body()).contains("> help"));
        assertThat(SERVER.deliveries()).extracting(d -> d.recipient)
            .doesNotContain("mailer-daemon@bouncer.example", "vacation@robot.example", "lists@other.example");
    }
}
