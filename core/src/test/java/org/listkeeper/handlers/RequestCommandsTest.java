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
}
