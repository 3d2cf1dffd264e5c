package org.listkeeper.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import javax.mail.internet.MimeMessage;

import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.listkeeper.list.ListRecipient.Kind;
import org.listkeeper.notices.Letters;
import org.listkeeper.pipeline.HandlerResult;
import org.listkeeper.pipeline.PostProgress;

class RequestCommandsTest {
    private final HandlerFixture fixture = new HandlerFixture();

    RequestCommandsTest() throws Exception {
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    private static Mail request(String name, String from, String raw) throws Exception {
        return FakeMail.builder().name(name).mimeMessage(HandlerFixture.parse("From: " + from + "\n" + raw)).sender(from)
            .recipient("team-request@lists.example.org").build();
    }

    private static List<Letters.Letter> outbox(Mail mail) throws Exception {
        List<String> encoded = new ArrayList<>();
        mail.getAttribute(PostProgress.OUTBOX).ifPresent(attribute -> {
            for (Object element : (Collection<?>) attribute.getValue().value()) {
                encoded.add((String) ((AttributeValue<?>) element).value());
            }
        });
        return Letters.decode(encoded);
    }

    private static String text(Letters.Letter letter) throws Exception {
        return letter.message().getSubject() + "\n" + letter.message().getContent();
    }

    @Test
    void mailToJoinAddressShouldWriteOnlyAConfirmationToTheJoiner() throws Exception {
        Mail mail = request("m1", "alice@example.net", "Subject: please\n\nlet me in\n");

        HandlerResult result = fixture.handler("request-commands").handle(fixture.context(mail, Kind.JOIN, null));

        assertThat(result.kind()).isEqualTo(HandlerResult.Kind.PROCEED);
        List<Letters.Letter> letters = outbox(mail);
        assertThat(letters).singleElement().satisfies(letter -> {
            assertThat(letter.recipient().asString()).isEqualTo("alice@example.net");
            assertThat(letter.message().getSubject()).startsWith("confirm ");
            assertThat(letter.message().getReplyTo()[0].toString()).startsWith("team-confirm+");
        });
    }

    @Test
    void joinForAnotherAddressShouldSendTheTokenOnlyToThatAddress() throws Exception {
        Mail mail = request("m1", "mallory@example.org", "Subject: join address=victim@example.net\n\n");

        fixture.handler("request-commands").handle(fixture.context(mail, Kind.REQUEST, null));

        List<Letters.Letter> letters = outbox(mail);
        assertThat(letters).extracting(l -> l.recipient().asString()).containsExactlyInAnyOrder("mallory@example.org", "victim@example.net");
        Letters.Letter toVictim = letters.stream().filter(l -> l.recipient().asString().equals("victim@example.net")).findFirst().orElseThrow();
        String token = toVictim.message().getSubject().substring("confirm ".length());
        Letters.Letter toRequester = letters.stream().filter(l -> l.recipient().asString().equals("mallory@example.org")).findFirst().orElseThrow();
        assertThat(text(toRequester)).doesNotContain(token).contains("> join address=victim@example.net");
    }

    @Test
    void robotMailShouldBeDiscardedWithoutAnyReply() throws Exception {
        Mail mail = request("m1", "alice@example.net", "Auto-Submitted: auto-replied\nSubject: join\n\n");

        HandlerResult result = fixture.handler("request-commands").handle(fixture.context(mail, Kind.REQUEST, null));

        assertThat(result.kind()).isEqualTo(HandlerResult.Kind.DISCARD);
        assertThat(result.reason().orElseThrow()).contains("Auto-Submitted");
        assertThat(mail.getAttribute(PostProgress.OUTBOX)).isEmpty();
    }

    @Test
    void eleventhRequestOfTheDayShouldGetNoReply() throws Exception {
        List<Integer> replies = new ArrayList<>();
        for (int i = 1; i <= 11; i++) {
            Mail mail = request("m" + i, "alice@example.net", "Subject: help\n\n");
            fixture.handler("request-commands").handle(fixture.context(mail, Kind.REQUEST, null));
            replies.add(outbox(mail).size());
        }

        assertThat(replies.subList(0, 10)).containsOnly(1);
        assertThat(replies.get(10)).isZero();
    }

    @Test
    void sendRepliesShouldHandEachLetterToTheTransportFromTheBounceAddress() throws Exception {
        Mail mail = request("m1", "alice@example.net", "Subject: help\n\n");
        fixture.handler("request-commands").handle(fixture.context(mail, Kind.REQUEST, null));

        fixture.handler("send-replies").handle(fixture.context(mail, Kind.REQUEST, null));

        List<FakeMailContext.SentMail> sent = fixture.mailetContext.getSentMails();
        assertThat(sent).singleElement().satisfies(reply -> {
            assertThat(reply.getSender().asString()).isEqualTo("team-bounces@lists.example.org");
            assertThat(reply.getRecipients()).extracting(Object::toString).containsExactly("alice@example.net");
            assertThat(reply.getState()).isEqualTo("transport");
            MimeMessage message = reply.getMsg();
            assertThat(message.getHeader("Auto-Submitted", null)).isEqualTo("auto-replied");
            assertThat((String) message.getContent()).contains("> help").contains("team-join@lists.example.org");
        });
        assertThat(mail.getAttribute(PostProgress.OUTBOX)).isEmpty();
    }

    @Test
    void setDigestShouldChangeTheMembersModeAndAnswerOnce() throws Exception {
        fixture.stores.roster().saveMember(fixture.listId(), org.listkeeper.list.Member.of(new org.apache.james.core.MailAddress(
            "alice@example.net")));
        Mail mail = request("m1", "alice@example.net", "Subject: set digest mime\n\n");

        fixture.handler("request-commands").handle(fixture.context(mail, Kind.REQUEST, null));

        assertThat(fixture.stores.roster().findMember(fixture.listId(), new org.apache.james.core.MailAddress("alice@example.net"))
            .orElseThrow().digest()).isEqualTo(org.listkeeper.list.DigestMode.MIME);
        assertThat(outbox(mail)).singleElement().satisfies(letter -> {
            assertThat(letter.recipient().asString()).isEqualTo("alice@example.net");
            assertThat(text(letter)).contains("> set digest mime").contains("Done: you now receive MIME digests");
        });
    }

    @Test
    void setDigestOffShouldSayTheOpenDigestStillComes() throws Exception {
        fixture.stores.roster().saveMember(fixture.listId(), org.listkeeper.list.Member.builder(new org.apache.james.core.MailAddress(
            "alice@example.net")).digest(org.listkeeper.list.DigestMode.PLAIN).build());
        Mail mail = request("m1", "alice@example.net", "Subject: commands\n\nset digest off\nset digest off\n");

        fixture.handler("request-commands").handle(fixture.context(mail, Kind.REQUEST, null));

        assertThat(fixture.stores.roster().findMember(fixture.listId(), new org.apache.james.core.MailAddress("alice@example.net"))
            .orElseThrow().digest()).isEqualTo(org.listkeeper.list.DigestMode.NONE);
        assertThat(outbox(mail)).singleElement().satisfies(letter -> assertThat(text(letter))
            .contains("Done: you now receive every post as it comes. The digest now being gathered still comes to you as a plain digest.")
            .contains("You already receive every post as it comes; nothing changed."));
    }

    @Test
    void setDigestShouldRefuseNonMembersBadValuesAndListsWithoutDigests() throws Exception {
        Mail stranger = request("m1", "bob@example.net", "Subject: set digest plain\n\n");
        fixture.handler("request-commands").handle(fixture.context(stranger, Kind.REQUEST, null));
        assertThat(text(outbox(stranger).get(0))).contains("bob@example.net is not a member of team@lists.example.org; nothing changed.");

        fixture.stores.roster().saveMember(fixture.listId(), org.listkeeper.list.Member.of(new org.apache.james.core.MailAddress(
            "alice@example.net")));
        Mail bad = request("m2", "alice@example.net", "Subject: set digest weekly\n\nset colour blue\n");
        fixture.handler("request-commands").handle(fixture.context(bad, Kind.REQUEST, null));
        assertThat(text(outbox(bad).get(0))).contains("expected one of none, plain, mime").contains("Usage: set digest mime|plain|off");

        fixture.stores.lists().saveList(fixture.listAddress, org.listkeeper.list.ListChanges.builder()
            .set(org.listkeeper.list.ListChanges.Setting.DIGESTS_ENABLED, "false").build());
        Mail off = request("m3", "alice@example.net", "Subject: set digest mime\n\n");
        fixture.handler("request-commands").handle(fixture.context(off, Kind.REQUEST, null));
        assertThat(text(outbox(off).get(0))).contains("does not send digests");
        assertThat(fixture.stores.roster().findMember(fixture.listId(), new org.apache.james.core.MailAddress("alice@example.net"))
            .orElseThrow().digest()).isEqualTo(org.listkeeper.list.DigestMode.NONE);
    }

    @Test
    void setDigestFromARobotShouldBeDiscardedUnanswered() throws Exception {
        fixture.stores.roster().saveMember(fixture.listId(), org.listkeeper.list.Member.of(new org.apache.james.core.MailAddress(
            "alice@example.net")));
        Mail mail = request("m1", "alice@example.net", "Auto-Submitted: auto-generated\nSubject: set digest mime\n\n");

        HandlerResult result = fixture.handler("request-commands").handle(fixture.context(mail, Kind.REQUEST, null));

        assertThat(result.kind()).isEqualTo(HandlerResult.Kind.DISCARD);
        assertThat(mail.getAttribute(PostProgress.OUTBOX)).isEmpty();
        assertThat(fixture.stores.roster().findMember(fixture.listId(), new org.apache.james.core.MailAddress("alice@example.net"))
            .orElseThrow().digest()).isEqualTo(org.listkeeper.list.DigestMode.NONE);
    }
}
