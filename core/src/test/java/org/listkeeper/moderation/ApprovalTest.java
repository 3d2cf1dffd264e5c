package org.listkeeper.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import javax.mail.MessagingException;
import javax.mail.Multipart;
import javax.mail.Part;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;

class ApprovalTest {
    private static final String PASSWORD = "s3cret-pass";

    private static MimeMessage parse(String raw) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()),
            new ByteArrayInputStream(raw.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8)));
    }

    /** The message as members would get it: written out and parsed again, every text part decoded. */
    private static String everythingMembersSee(MimeMessage message) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        String raw = out.toString(StandardCharsets.ISO_8859_1);
        MimeMessage reparsed = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(out.toByteArray()));
        List<String> texts = new ArrayList<>();
        texts.add(raw);
        decodedTexts(reparsed, texts);
        return String.join("\n----\n", texts);
    }

    private static void decodedTexts(Part part, List<String> into) throws MessagingException, IOException {
        Object content = part.getContent();
        if (content instanceof Multipart) {
            Multipart multipart = (Multipart) content;
            for (int i = 0; i < multipart.getCount(); i++) {
                decodedTexts(multipart.getBodyPart(i), into);
            }
        } else if (content instanceof String) {
            into.add((String) content);
        }
    }

    private static final String ALTERNATIVE = "From: boss@example.net\nSubject: news\nMIME-Version: 1.0\n"
        + "Content-Type: multipart/alternative; boundary=\"alt\"\n\n"
        + "--alt\nContent-Type: text/plain; charset=utf-8\n\nApproved: " + PASSWORD + "\n\nThe text.\n"
        + "--alt\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n"
        + "<html><body><p>Approved: " + PASSWORD + "</p>=0A<p>The text.</p></body></html>\n"
        + "--alt--\n";

    @Test
    void extractShouldRemoveThePasswordFromTheHtmlAlternativeToo() throws Exception {
        MimeMessage message = parse(ALTERNATIVE);

        Approval.Extraction extraction = Approval.extract(message);

        assertThat(extraction.passwords()).containsExactly(PASSWORD);
        assertThat(extraction.unremovable()).isEmpty();
        assertThat(everythingMembersSee(message)).doesNotContain(PASSWORD).contains("The text.").contains("<p>The text.</p>");
    }

    @Test
    void extractShouldRemoveThePasswordAtAnyDepthAndInAnyHtmlSpelling() throws Exception {
        MimeMessage message = parse("From: boss@example.net\nSubject: news\nMIME-Version: 1.0\n"
            + "Content-Type: multipart/mixed; boundary=\"mixed\"\n\n"
            + "--mixed\nContent-Type: multipart/alternative; boundary=\"alt\"\n\n"
            + "--alt\nContent-Type: text/plain; charset=us-ascii\n\n  \nApprove: p&ss<w>rd\nThe text.\n"
            + "--alt\nContent-Type: multipart/related; boundary=\"rel\"\n\n"
            + "--rel\nContent-Type: text/html; charset=iso-8859-1\nContent-Transfer-Encoding: base64\n\n"
            + java.util.Base64.getMimeEncoder().encodeToString(("<div><b>Approve:</b>&nbsp;p&amp;ss&lt;w&#62;rd<br>The text.</div>")
                .getBytes(StandardCharsets.ISO_8859_1)) + "\n"
            + "--rel--\n--alt--\n"
            + "--mixed\nContent-Type: text/plain; name=notes.txt\nContent-Disposition: attachment; filename=notes.txt\n\n"
            + "keep me; approve: p&ss<w>rd\n--mixed--\n");

        Approval.Extraction extraction = Approval.extract(message);

        assertThat(extraction.passwords()).containsExactly("p&ss<w>rd");
        assertThat(extraction.unremovable()).isEmpty();
        String seen = everythingMembersSee(message);
        assertThat(seen).doesNotContain("p&ss<w>rd").doesNotContain("p&amp;ss&lt;w&#62;rd").doesNotContain("cCZhbXA7c3M")
            .contains("The text.").contains("keep me;");
    }

    @Test
    void extractShouldReadAPasswordThatOnlyTheHtmlPartCarries() throws Exception {
        MimeMessage message = parse("From: boss@example.net\nSubject: news\nMIME-Version: 1.0\n"
            + "Content-Type: multipart/alternative; boundary=\"alt\"\n\n"
            + "--alt\nContent-Type: text/plain\n\nThe text.\n"
            + "--alt\nContent-Type: text/html\n\n<p>Approved: " + PASSWORD + "</p><p>The text.</p>\n--alt--\n");

        Approval.Extraction extraction = Approval.extract(message);

        assertThat(extraction.passwords()).containsExactly(PASSWORD);
        assertThat(everythingMembersSee(message)).doesNotContain(PASSWORD);
    }

    @Test
    void extractShouldRemoveAHeaderPasswordRepeatedInTheBody() throws Exception {
        MimeMessage message = parse("From: boss@example.net\nSubject: news\nApproved: " + PASSWORD + "\nMIME-Version: 1.0\n"
            + "Content-Type: text/html\n\n<p>Note:</p><p>approved:  " + PASSWORD + "</p>\n");

        Approval.Extraction extraction = Approval.extract(message);

        assertThat(extraction.passwords()).containsExactly(PASSWORD);
        assertThat(everythingMembersSee(message)).doesNotContain(PASSWORD).contains("Note:");
    }

    @Test
    void extractShouldLeaveASignedPartAloneAndSayThePasswordStaysIn() throws Exception {
        String signed = "From: boss@example.net\nSubject: news\nMIME-Version: 1.0\n"
            + "Content-Type: multipart/signed; micalg=pgp-sha256; protocol=\"application/pgp-signature\"; boundary=\"sig\"\n\n"
            + "--sig\nContent-Type: text/plain\n\nApproved: " + PASSWORD + "\n\nThe text.\n"
            + "--sig\nContent-Type: application/pgp-signature\n\n-----BEGIN PGP SIGNATURE-----\nxyz\n-----END PGP SIGNATURE-----\n"
            + "--sig--\n";
        MimeMessage message = parse(signed);

        Approval.Extraction extraction = Approval.extract(message);

        assertThat(extraction.passwords()).containsExactly(PASSWORD);
        assertThat(extraction.unremovable()).hasValueSatisfying(why -> assertThat(why).contains("signed"));
        assertThat(everythingMembersSee(message)).contains("Approved: " + PASSWORD + "\r\n\r\nThe text.");
    }

    @Test
    void extractShouldNotBreakAnInlinePgpSignature() throws Exception {
        MimeMessage message = parse("From: boss@example.net\nSubject: news\nApproved: " + PASSWORD + "\n\n"
            + "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nApproved: " + PASSWORD + "\nThe text.\n"
            + "-----BEGIN PGP SIGNATURE-----\nxyz\n-----END PGP SIGNATURE-----\n");

        Approval.Extraction extraction = Approval.extract(message);

        assertThat(extraction.unremovable()).hasValueSatisfying(why -> assertThat(why).contains("inline PGP"));
    }

    @Test
    void extractShouldLeaveAPostWithoutPasswordUntouched() throws Exception {
        MimeMessage message = parse(ALTERNATIVE.replace("Approved: " + PASSWORD, "Hello"));

        Approval.Extraction extraction = Approval.extract(message);

        assertThat(extraction.passwords()).isEmpty();
        assertThat(extraction.unremovable()).isEmpty();
        assertThat(everythingMembersSee(message)).contains("<p>Hello</p>");
    }

    @Test
    void visibleTextShouldDropTagsAndDecodeEntities() {
        assertThat(Approval.visibleText("<style>p{}</style><p>a&nbsp;&amp;&#98;&#x63;</p><br/>d")).isEqualTo("\na &bc\n\nd");
    }
}
