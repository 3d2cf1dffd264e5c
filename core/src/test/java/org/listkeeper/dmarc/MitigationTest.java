package org.listkeeper.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;

import javax.mail.Session;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;

import org.apache.james.core.MailAddress;
import org.junit.jupiter.api.Test;
import org.listkeeper.list.ListChanges;
import org.listkeeper.list.MailingList;

class MitigationTest {
    private static final MailingList LIST = list("Team");

    private static MailingList list(String displayName) {
        try {
            return MailingList.of(1, new MailAddress("team@lists.example.org"), displayName, null, null, null, null,
                Map.<ListChanges.Setting, String>of());
        } catch (javax.mail.internet.AddressException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MimeMessage parse(String raw) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()),
            new ByteArrayInputStream(raw.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8)));
    }

    private static String serialize(MimeMessage message) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static InternetAddress author(MimeMessage message) {
        return Mitigation.author(message).orElseThrow();
    }

    @Test
    void mungeShouldPutTheListInFromAndTheAuthorInReplyTo() throws Exception {
        MimeMessage post = parse("From: Alice Example <alice@reject.example>\nTo: team@lists.example.org\n"
            + "DKIM-Signature: v=1; d=reject.example; b=xyz\nSubject: hi\n\nbody\n");

        Mitigation.mungeFrom(post, LIST, author(post), false);

        InternetAddress from = (InternetAddress) post.getFrom()[0];
        assertThat(from.getAddress()).isEqualTo("team@lists.example.org");
        assertThat(from.getPersonal()).isEqualTo("Alice Example via Team");
        assertThat(post.getHeader("Reply-To", null)).isEqualTo("Alice Example <alice@reject.example>");
        assertThat(post.getHeader("DKIM-Signature")).isNull();
        assertThat(post.getHeader("Cc")).isNull();
    }

    @Test
    void mungeShouldCcTheAuthorWhenThePostHasItsOwnReplyToAndKeepSignaturesWhenAsked() throws Exception {
        MimeMessage post = parse("From: alice@reject.example\nReply-To: other@elsewhere.example\nCc: carl@x.example\n"
            + "DKIM-Signature: v=1; d=reject.example; b=xyz\nSubject: hi\n\nbody\n");

        Mitigation.mungeFrom(post, LIST, author(post), true);

        assertThat(post.getHeader("Reply-To", null)).isEqualTo("other@elsewhere.example");
        assertThat(post.getHeader("Cc", null)).isEqualTo("carl@x.example, alice@reject.example");
        assertThat(post.getHeader("DKIM-Signature")).hasSize(1);
        // no display name: the address, without an @ a receiver could take for a spoofed address
        assertThat(((InternetAddress) post.getFrom()[0]).getPersonal()).isEqualTo("alice at reject.example via Team");
    }

    @Test
    void mungeShouldNotCcTheAuthorTwice() throws Exception {
        MimeMessage post = parse("From: alice@reject.example\nReply-To: other@elsewhere.example\nCc: Alice <ALICE@reject.example>\n"
            + "Subject: hi\n\nbody\n");

        Mitigation.mungeFrom(post, LIST, author(post), false);

        assertThat(post.getHeader("Cc", null)).isEqualTo("Alice <ALICE@reject.example>");
    }

    @Test
    void displayNamesShouldBeEncodedAndFreeOfHeaderInjection() throws Exception {
        MimeMessage post = parse("From: =?UTF-8?Q?Zo=C3=AB_=22the_boss=22_=0D=0ABcc=3A_victim=40x=2Eexample?= <zoe@reject.example>\n"
            + "Subject: hi\n\nbody\n");

        Mitigation.mungeFrom(post, list("Équipe \"A\""), author(post), false);

        String raw = serialize(post);
        assertThat(raw).doesNotContain("\nBcc:").doesNotContain("\r\nBcc");
        String from = post.getHeader("From", null);
        assertThat(from).startsWith("=?UTF-8?").doesNotContain("\r").doesNotContain("\n");
        InternetAddress parsed = (InternetAddress) post.getFrom()[0];
        assertThat(parsed.getAddress()).isEqualTo("team@lists.example.org");
        assertThat(parsed.getPersonal()).isEqualTo("Zoë \"the boss\" Bcc: victim@x.example via Équipe \"A\"");
    }

    @Test
    void wrapShouldCarryTheOriginalUntouchedAsMessageRfc822() throws Exception {
        String original = "From: Alice <alice@reject.example>\nTo: team@lists.example.org\nCc: bob@x.example\n"
            + "Subject: =?UTF-8?Q?Caf=C3=A9?=\nMessage-ID: <w1@reject.example>\nDate: Fri, 04 Dec 2026 10:00:00 +0000\n"
            + "DKIM-Signature: v=1; d=reject.example; b=xyz\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n"
            + "Content-Transfer-Encoding: 8bit\n\nCafé crème\n";
        MimeMessage post = parse(original);

        MimeMessage wrapper = Mitigation.wrap(post, LIST, author(post), "Attached is the post.");
        MimeMessage reread = parse(serialize(wrapper).replace("\r\n", "\n"));

        assertThat(((InternetAddress) reread.getFrom()[0]).getAddress()).isEqualTo("team@lists.example.org");
        assertThat(reread.getHeader("Reply-To", null)).isEqualTo("Alice <alice@reject.example>");
        assertThat(reread.getHeader("Message-ID", null)).isEqualTo("<w1@reject.example>");
        assertThat(reread.getSubject()).isEqualTo("Café");
        assertThat(reread.getHeader("Cc", null)).isEqualTo("bob@x.example");
        assertThat(reread.getHeader("DKIM-Signature")).isNull();
        MimeMultipart mixed = (MimeMultipart) reread.getContent();
        assertThat(mixed.getCount()).isEqualTo(2);
        assertThat(mixed.getBodyPart(0).getContent().toString()).startsWith("Attached is the post.");
        assertThat(mixed.getBodyPart(1).isMimeType("message/rfc822")).isTrue();
        assertThat(mixed.getBodyPart(1).getHeader("Content-Transfer-Encoding")).containsExactly("8bit");
        ByteArrayOutputStream inner = new ByteArrayOutputStream();
        ((MimeMessage) mixed.getBodyPart(1).getContent()).writeTo(inner);
        // the author's signed bytes are all still there, so the inner signature still verifies
        assertThat(inner.toString(StandardCharsets.UTF_8)).isEqualTo(original.replace("\n", "\r\n"));
    }

    @Test
    void authorShouldBeReadLenientlyFromAFromThatDoesNotParseStrictly() throws Exception {
        MimeMessage post = parse("From: =?UTF-8?Q?Bad:word@x?= <carl@reject.example>\nSubject: hi\n\nbody\n");

        assertThat(Mitigation.author(post)).hasValueSatisfying(author -> assertThat(author.getAddress()).isEqualTo("carl@reject.example"));
    }

    @Test
    void authorShouldBeEmptyWithoutAUsableFrom() throws Exception {
        assertThat(Mitigation.author(parse("Subject: none\n\nbody\n"))).isEmpty();
        assertThat(Mitigation.author(parse("From: undisclosed-recipients:;\nSubject: x\n\nbody\n"))).isEmpty();
    }
}
