package org.listkeeper.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Collectors;

import javax.mail.BodyPart;
import javax.mail.Multipart;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.listkeeper.ListkeeperException;
import org.listkeeper.digest.DigestIssue;
import org.listkeeper.list.DigestMode;
import org.listkeeper.list.ListChanges;
import org.listkeeper.list.Member;
import org.listkeeper.pipeline.PostProgress;

/** The {@code digest} handler, the {@code digest-delivery} handler, and fan-out leaving digest members out. */
class DigestHandlersTest {
    private final HandlerFixture fixture = new HandlerFixture();

    DigestHandlersTest() throws Exception {
    }

    @BeforeEach
    void setUp() throws Exception {
        fixture.stores.roster().saveMember(fixture.listId(), Member.of(new MailAddress("single@example.net")));
        fixture.stores.roster().saveMember(fixture.listId(), Member.builder(new MailAddress("mime@example.net")).digest(DigestMode.MIME).build());
        fixture.stores.roster().saveMember(fixture.listId(), Member.builder(new MailAddress("plain@example.net")).digest(DigestMode.PLAIN)
            .build());
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    private void settings(String... nameValue) {
        ListChanges.Builder changes = ListChanges.builder();
        for (int i = 0; i < nameValue.length; i += 2) {
            changes.set(ListChanges.Setting.valueOf(nameValue[i]), nameValue[i + 1]);
        }
        fixture.stores.lists().saveList(fixture.listAddress, changes.build());
    }

    private static Mail post(String name, long number, String subject, String body) throws Exception {
        Mail mail = HandlerFixture.mail(name, "From: Ann Author <ann@example.net>\nSubject: " + subject + "\nMessage-ID: <" + name
            + "@example.net>\nDate: Mon, 23 Nov 2026 09:00:00 +0000\n\n" + body + "\n");
        PostProgress.setPostNumber(mail, number);
        return mail;
    }

    private Mail digestPost(String name, long number, String subject, String body) throws Exception {
        Mail mail = post(name, number, subject, body);
        fixture.handler("digest").handle(fixture.context(mail));
        return mail;
    }

    private static List<String> recipients(List<FakeMailContext.SentMail> sent) {
        return sent.stream().flatMap(mail -> mail.getRecipients().stream()).map(MailAddress::asString).collect(Collectors.toList());
    }

    private Mail delivery(DigestIssue issue) throws Exception {
        Mail mail = FakeMail.builder().name("digest-" + issue.id()).mimeMessage(HandlerFixture.parse("Subject: deliver\n\n."))
            .recipient("team@lists.example.org").build();
        mail.setAttribute(new org.apache.mailet.Attribute(PostProgress.DIGEST_ISSUE, org.apache.mailet.AttributeValue.of(issue.id())));
        return mail;
    }

    @Test
    void digestShouldAddThePostOnceAndMarkItSoFanOutLeavesDigestMembersOut() throws Exception {
        Mail mail = digestPost("p1", 1, "Hello", "first");
        fixture.handler("digest").handle(fixture.context(mail));

        DigestIssue open = fixture.stores.digests().openIssue(fixture.listId()).orElseThrow();
        assertThat(open.posts()).isEqualTo(1);
        assertThat(fixture.stores.digests().entries(open.id())).singleElement().satisfies(entry -> {
            assertThat(entry.subject()).isEqualTo("Hello");
            assertThat(entry.author()).isEqualTo("Ann Author <ann@example.net>");
        });
        assertThat(PostProgress.flag(mail, PostProgress.DIGESTED)).isTrue();

        fixture.handler("fan-out").handle(fixture.context(mail));
        assertThat(recipients(fixture.mailetContext.getSentMails())).containsExactly("single@example.net");
    }

    @Test
    void fanOutShouldReachDigestMembersWhenThePostWentIntoNoIssue() throws Exception {
        settings("DIGESTS_ENABLED", "false");
        Mail mail = digestPost("p1", 1, "Hello", "first");

        fixture.handler("fan-out").handle(fixture.context(mail));

        assertThat(PostProgress.flag(mail, PostProgress.DIGESTED)).isFalse();
        assertThat(fixture.stores.digests().openIssue(fixture.listId())).isEmpty();
        assertThat(recipients(fixture.mailetContext.getSentMails()))
            .containsExactlyInAnyOrder("single@example.net", "mime@example.net", "plain@example.net");
    }

    @Test
    void crossingTheThresholdShouldCloseTheIssueAndHandItOverOnceEvenOnReplay() throws Exception {
        settings("DIGEST_SIZE_THRESHOLD", "1");
        digestPost("p1", 1, "Small", "x");
        Mail crossing = post("p2", 2, "Big", "y".repeat(1500));
        fixture.handler("digest").handle(fixture.context(crossing));
        fixture.handler("digest").handle(fixture.context(crossing));

        assertThat(fixture.dispatched).singleElement().satisfies(issue -> {
            assertThat(issue.number()).isEqualTo(1);
            assertThat(issue.posts()).isEqualTo(2);
        });
        assertThat(fixture.stores.digests().issue(fixture.listId(), fixture.dispatched.get(0).id()).orElseThrow().state())
            .isEqualTo("sending");
    }

    @Test
    void aReplayShouldHandOverAnIssueACrashLeftClosed() throws Exception {
        digestPost("p1", 1, "Hello", "x");
        // closed, and the crash came before the hand-over
        DigestIssue closed = fixture.stores.digests().close(fixture.listId(), fixture.clock.instant()).orElseThrow();

        digestPost("p1", 1, "Hello", "x");

        assertThat(fixture.dispatched).extracting(DigestIssue::id).containsExactly(closed.id());
    }

    @Test
    void deliveryShouldSendTheMimeAndPlainDigestsToTheirMembersOnlyAndOnce() throws Exception {
        digestPost("p1", 1, "Hello", "first body");
        digestPost("p2", 2, "Re: Hello", "second body");
        DigestIssue issue = fixture.stores.digests().close(fixture.listId(), fixture.clock.instant()).orElseThrow();

        fixture.handler("digest-delivery").handle(fixture.context(delivery(issue)));
        fixture.handler("digest-delivery").handle(fixture.context(delivery(issue)));

        List<FakeMailContext.SentMail> sent = fixture.mailetContext.getSentMails();
        assertThat(recipients(sent)).containsExactlyInAnyOrder("mime@example.net", "plain@example.net");
        MimeMessage mime = messageTo(sent, "mime@example.net");
        assertThat(mime.getSubject()).isEqualTo("team Digest, Vol 1, Issue 1");
        assertThat(mime.getHeader("List-Id", null)).isEqualTo("team <team.lists.example.org>");
        assertThat(mime.getFrom()[0].toString()).contains("team-request@lists.example.org");
        Multipart mixed = (Multipart) mime.getContent();
        BodyPart contents = part(mixed, "text/plain", "Today's Topics");
        assertThat((String) contents.getContent()).contains("   1. Hello (Ann Author <ann@example.net>)")
            .contains("   2. Re: Hello (Ann Author <ann@example.net>)");
        Multipart digest = (Multipart) part(mixed, "multipart/digest", null).getContent();
        assertThat(digest.getCount()).isEqualTo(2);
        assertThat(digest.getBodyPart(0).isMimeType("message/rfc822")).isTrue();
        assertThat(HandlerFixture.serialize((MimeMessage) digest.getBodyPart(1).getContent())).contains("second body");
        MimeMessage plain = messageTo(sent, "plain@example.net");
        assertThat(plain.isMimeType("text/plain")).isTrue();
        assertThat(fixture.stores.digests().issue(fixture.listId(), issue.id()).orElseThrow().state()).isEqualTo("sent");
    }

    @Test
    void aMimeDigestOfAnEightBitPostShouldBeLabelledEightBitAtEveryLevel() throws Exception {
        digestPost("p1", 1, "Hello", "plain ascii body");
        Mail eightBit = HandlerFixture.mail("p2", "From: Ann Author <ann@example.net>\nSubject: caf\u00e9\nMessage-ID: <p2@example.net>\n"
            + "MIME-Version: 1.0\nContent-Type: text/plain; charset=ISO-8859-1\nContent-Transfer-Encoding: 8bit\n\nCaf\u00e9 cr\u00e8me\n");
        PostProgress.setPostNumber(eightBit, 2);
        fixture.handler("digest").handle(fixture.context(eightBit));
        DigestIssue issue = fixture.stores.digests().close(fixture.listId(), fixture.clock.instant()).orElseThrow();

        fixture.handler("digest-delivery").handle(fixture.context(delivery(issue)));

        MimeMessage mime = messageTo(fixture.mailetContext.getSentMails(), "mime@example.net");
        assertThat(mime.getEncoding()).isEqualTo("8bit");
        BodyPart posts = part((Multipart) mime.getContent(), "multipart/digest", null);
        assertThat(posts.getHeader("Content-Transfer-Encoding")).containsExactly("8bit");
        Multipart digest = (Multipart) posts.getContent();
        assertThat(digest.getBodyPart(0).getHeader("Content-Transfer-Encoding")).isNull();
        assertThat(digest.getBodyPart(1).getHeader("Content-Transfer-Encoding")).containsExactly("8bit");
        assertThat(((MimeMessage) digest.getBodyPart(1).getContent()).getContent().toString()).contains("Caf\u00e9 cr\u00e8me");
    }

    @Test
    void aMimeDigestOfAsciiPostsShouldNotClaimEightBit() throws Exception {
        digestPost("p1", 1, "Hello", "plain ascii body");
        DigestIssue issue = fixture.stores.digests().close(fixture.listId(), fixture.clock.instant()).orElseThrow();

        fixture.handler("digest-delivery").handle(fixture.context(delivery(issue)));

        MimeMessage mime = messageTo(fixture.mailetContext.getSentMails(), "mime@example.net");
        assertThat(mime.getEncoding()).isNull();
        assertThat(part((Multipart) mime.getContent(), "multipart/digest", null).getHeader("Content-Transfer-Encoding")).isNull();
    }

    @Test
    void thePlainDigestShouldFollowRfc1153() throws Exception {
        digestPost("p1", 1, "Hello", "first body\n------------------------------\nstill the body");
        digestPost("p2", 2, "Re: Hello", "second body");
        DigestIssue issue = fixture.stores.digests().close(fixture.listId(), fixture.clock.instant()).orElseThrow();

        fixture.handler("digest-delivery").handle(fixture.context(delivery(issue)));

        String text = ((String) messageTo(fixture.mailetContext.getSentMails(), "plain@example.net").getContent()).replace("\r\n", "\n");
        String dashes70 = "-".repeat(70);
        String dashes30 = "-".repeat(30);
        assertThat(text).contains("Today's Topics:\n\n   1. Hello (Ann Author <ann@example.net>)\n   2. Re: Hello")
            .contains("\n" + dashes70 + "\n\nMessage: 1\nDate: Mon, 23 Nov 2026 09:00:00 +0000\nFrom: Ann Author <ann@example.net>\n"
                + "Subject: Hello\nMessage-ID: <p1@example.net>\n\nfirst body\n- " + dashes30 + "\nstill the body\n\n" + dashes30
                + "\n\nMessage: 2\n")
            .contains("\n" + dashes30 + "\n\nSubject: Digest Footer\n\n")
            .endsWith("\nEnd of team Digest, Vol 1, Issue 1\n" + "*".repeat("End of team Digest, Vol 1, Issue 1".length()) + "\n");
        assertThat(text.split("\n" + dashes30 + "\n", -1)).hasSize(4);
    }

    @Test
    void deliveryShouldReachAMemberWhoLeftTheKindWhileTheIssueWasOpen() throws Exception {
        digestPost("p1", 1, "Hello", "first body");
        Member mime = fixture.stores.roster().findMember(fixture.listId(), new MailAddress("mime@example.net")).orElseThrow();
        fixture.stores.roster().saveMember(fixture.listId(), mime.toBuilder().digest(DigestMode.NONE).build());
        DigestIssue issue = fixture.stores.digests().close(fixture.listId(), fixture.clock.instant()).orElseThrow();

        fixture.handler("digest-delivery").handle(fixture.context(delivery(issue)));

        assertThat(recipients(fixture.mailetContext.getSentMails())).containsExactlyInAnyOrder("mime@example.net", "plain@example.net");
    }

    @Test
    void deliveryShouldRefuseAnOpenIssueAndAMailWithoutIssue() throws Exception {
        digestPost("p1", 1, "Hello", "first body");
        DigestIssue open = fixture.stores.digests().openIssue(fixture.listId()).orElseThrow();

        assertThatThrownBy(() -> fixture.handler("digest-delivery").handle(fixture.context(delivery(open))))
            .isInstanceOf(ListkeeperException.class).hasMessageContaining("is still open");
        assertThatThrownBy(() -> fixture.handler("digest-delivery").handle(fixture.context(post("p9", 9, "x", "y"))))
            .isInstanceOf(ListkeeperException.class).hasMessageContaining("names no digest issue");
        assertThat(fixture.mailetContext.getSentMails()).isEmpty();
    }

    @Test
    void digestHeaderAndFooterShouldBeRenderedWithTheListsVariables() throws Exception {
        settings("DIGEST_HEADER", "Welcome to {{displayName}}", "DIGEST_FOOTER", "Leave: {{leaveAddress}}");
        digestPost("p1", 1, "Hello", "first body");
        DigestIssue issue = fixture.stores.digests().close(fixture.listId(), fixture.clock.instant()).orElseThrow();

        fixture.handler("digest-delivery").handle(fixture.context(delivery(issue)));

        Multipart mixed = (Multipart) messageTo(fixture.mailetContext.getSentMails(), "mime@example.net").getContent();
        assertThat((String) part(mixed, "text/plain", "Digest Header").getContent()).contains("Welcome to team");
        assertThat((String) part(mixed, "text/plain", "Digest Footer").getContent()).contains("Leave: team-leave@lists.example.org");
        String plain = (String) messageTo(fixture.mailetContext.getSentMails(), "plain@example.net").getContent();
        assertThat(plain).contains("Welcome to team").contains("Leave: team-leave@lists.example.org");
    }

    @Test
    void aDigestHeaderWithAnUnknownVariableShouldBeRefused() {
        assertThatThrownBy(() -> settings("DIGEST_HEADER", "Hi {{nosuch}}")).hasMessageContaining("nosuch");
        assertThatThrownBy(() -> settings("DIGEST_INTERVAL", "weekly")).hasMessageContaining("digestInterval");
        settings("DIGEST_INTERVAL", "none");
        assertThat(fixture.list().digestInterval()).isEmpty();
        assertThat(fixture.list().digestSizeThreshold()).hasValue(30 * 1024L);
        settings("DIGEST_SIZE_THRESHOLD", "0");
        assertThat(fixture.list().digestSizeThreshold()).isEqualTo(OptionalLong.empty());
    }

    private static MimeMessage messageTo(List<FakeMailContext.SentMail> sent, String address) {
        return sent.stream().filter(mail -> mail.getRecipients().stream().anyMatch(r -> r.asString().equals(address)))
            .findFirst().orElseThrow().getMsg();
    }

    private static BodyPart part(Multipart multipart, String type, String description) throws Exception {
        for (int i = 0; i < multipart.getCount(); i++) {
            BodyPart part = multipart.getBodyPart(i);
            if (part.isMimeType(type) && (description == null || String.valueOf(((javax.mail.internet.MimeBodyPart) part).getDescription())
                .startsWith(description))) {
                return part;
            }
        }
        throw new AssertionError("no " + type + " part " + description);
    }
}
