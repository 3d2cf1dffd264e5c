package org.listkeeper.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import javax.mail.BodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;

import org.apache.mailet.Mail;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.listkeeper.list.ListChanges;
import org.listkeeper.list.ListChanges.Setting;
import org.listkeeper.pipeline.Handler;
import org.listkeeper.pipeline.HandlerResult;

class FooterTest {
    private final HandlerFixture fixture = new HandlerFixture();
    private final Handler handler = fixture.handler("footer");

    FooterTest() throws Exception {
    }

    @BeforeEach
    void setUp() {
        fixture.stores.lists().saveList(fixture.listAddress, ListChanges.builder()
            .set(Setting.FOOTER, "--\n{{displayName}} list: leave via {{leaveAddress}}").build());
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    @Test
    void handleShouldAppendFooterInPartsCharsetWhenBodyIsPlainText() throws Exception {
        Mail mail = HandlerFixture.mail("m1", "From: alice@example.com\nMessage-ID: <m1@example.com>\nSubject: hi\n"
            + "MIME-Version: 1.0\nContent-Type: text/plain; charset=ISO-8859-1; format=flowed\n"
            + "Content-Transfer-Encoding: quoted-printable\n\ncaf=E9 au lait\n");

        handler.handle(fixture.context(mail));

        MimeMessage message = reparsed(mail);
        assertThat(message.getContentType()).contains("ISO-8859-1").contains("format=flowed");
        assertThat((String) message.getContent())
            .isEqualTo("café au lait\n--\nteam list: leave via team-leave@lists.example.org\n".replace("\n", "\r\n"));
        assertThat(message.getMessageID()).isEqualTo("<m1@example.com>");
    }

    @Test
    void handleShouldSwitchToUtf8WhenPartsCharsetCannotCarryFooter() throws Exception {
        fixture.stores.lists().saveList(fixture.listAddress, ListChanges.builder().set(Setting.FOOTER, "Équipe ✓").build());
        Mail mail = HandlerFixture.mail("m1", "From: alice@example.com\nSubject: hi\nMIME-Version: 1.0\n"
            + "Content-Type: text/plain; charset=ISO-8859-1\nContent-Transfer-Encoding: 8bit\n\nhello\n");

        handler.handle(fixture.context(mail));

        MimeMessage message = reparsed(mail);
        assertThat(message.getContentType()).containsIgnoringCase("charset=UTF-8");
        assertThat((String) message.getContent()).contains("hello").contains("Équipe ✓");
    }

    @Test
    void handleShouldAddFooterPartWhenBodyIsMultipartMixed() throws Exception {
        Mail mail = HandlerFixture.mail("m1", "From: alice@example.com\nSubject: hi\nMIME-Version: 1.0\n"
            + "Content-Type: multipart/mixed; boundary=\"b1\"\n\n--b1\nContent-Type: text/plain\n\nsee attached\n"
            + "--b1\nContent-Type: application/pdf\nContent-Disposition: attachment; filename=a.pdf\n"
            + "Content-Transfer-Encoding: base64\n\nJVBERi0xLjQK\n--b1--\n");

        handler.handle(fixture.context(mail));

        MimeMultipart mixed = (MimeMultipart) reparsed(mail).getContent();
        assertThat(mixed.getCount()).isEqualTo(3);
        assertThat(((String) mixed.getBodyPart(0).getContent()).strip()).isEqualTo("see attached");
        assertThat(mixed.getBodyPart(1).getFileName()).isEqualTo("a.pdf");
        assertThat((String) mixed.getBodyPart(2).getContent()).contains("team-leave@lists.example.org");
    }

    @Test
    void handleShouldDecorateTextAndHtmlWhenBodyIsMultipartAlternative() throws Exception {
        Mail mail = HandlerFixture.mail("m1", "From: alice@example.com\nSubject: hi\nMIME-Version: 1.0\n"
            + "Content-Type: multipart/alternative; boundary=\"b1\"\n\n--b1\nContent-Type: text/plain; charset=us-ascii\n\nhello\n"
            + "--b1\nContent-Type: text/html; charset=us-ascii\n\n<html><body><p>hello</p></body></html>\n--b1--\n");

        handler.handle(fixture.context(mail));

        MimeMultipart alternative = (MimeMultipart) reparsed(mail).getContent();
        assertThat(alternative.getCount()).isEqualTo(2);
        assertThat((String) alternative.getBodyPart(0).getContent()).contains("hello").contains("team-leave@lists.example.org");
        String html = ((String) alternative.getBodyPart(1).getContent()).replace("\r\n", "\n");
        assertThat(html).contains("<p>hello</p><div class=\"listkeeper-footer\">--<br>\nteam list: leave via team-leave@lists.example.org</div>\n</body>");
    }

    @Test
    void handleShouldWrapSignedBodyUntouchedWhenPostIsSigned() throws Exception {
        String signedBody = "--sig\nContent-Type: text/plain; charset=us-ascii\n\nsigned text  \n--sig\n"
            + "Content-Type: application/pgp-signature; name=signature.asc\n\n-----BEGIN PGP SIGNATURE-----\nabc\n"
            + "-----END PGP SIGNATURE-----\n--sig--\n";
        Mail mail = HandlerFixture.mail("m1", "From: alice@example.com\nSubject: hi\nMIME-Version: 1.0\n"
            + "Content-Type: multipart/signed; micalg=pgp-sha256; protocol=\"application/pgp-signature\"; boundary=\"sig\"\n\n"
            + signedBody);

        handler.handle(fixture.context(mail));

        MimeMessage message = reparsed(mail);
        assertThat(message.isMimeType("multipart/mixed")).isTrue();
        MimeMultipart mixed = (MimeMultipart) message.getContent();
        BodyPart signed = mixed.getBodyPart(0);
        assertThat(signed.isMimeType("multipart/signed")).isTrue();
        assertThat(new String(((javax.mail.internet.MimeBodyPart) signed).getRawInputStream().readAllBytes(), StandardCharsets.ISO_8859_1))
            .isEqualTo(signedBody.replace("\n", "\r\n"));
        assertThat((String) mixed.getBodyPart(1).getContent()).contains("team-leave@lists.example.org");
    }

    @Test
    void handleShouldWrapBodyWhenCharsetIsUnknown() throws Exception {
        Mail mail = HandlerFixture.mail("m1", "From: alice@example.com\nSubject: hi\nMIME-Version: 1.0\n"
            + "Content-Type: text/plain; charset=x-no-such-charset\n\nodd bytes\n");

        handler.handle(fixture.context(mail));

        MimeMessage message = reparsed(mail);
        MimeMultipart mixed = (MimeMultipart) message.getContent();
        assertThat(mixed.getBodyPart(0).getContentType()).contains("x-no-such-charset");
        assertThat(new String(((javax.mail.internet.MimeBodyPart) mixed.getBodyPart(0)).getRawInputStream().readAllBytes(),
            StandardCharsets.ISO_8859_1)).isEqualTo("odd bytes\r\n");
        assertThat((String) mixed.getBodyPart(1).getContent()).contains("team-leave@lists.example.org");
    }

    @Test
    void handleShouldLeaveBodyUntouchedWhenMultipartIsMalformed() throws Exception {
        String raw = "From: alice@example.com\nSubject: hi\nMIME-Version: 1.0\n"
            + "Content-Type: multipart/mixed; boundary=\"missing\"\n\nno boundary here at all\njust text\n";
        Mail mail = HandlerFixture.mail("m1", raw);

        HandlerResult result = handler.handle(fixture.context(mail));

        assertThat(result).isEqualTo(HandlerResult.proceed());
        assertThat(HandlerFixture.serialize(mail.getMessage())).isEqualTo(raw.replace("\n", "\r\n"));
    }

    @Test
    void handleShouldLeaveMessageUntouchedWhenFooterIsSwitchedOff() throws Exception {
        fixture.stores.lists().saveList(fixture.listAddress, ListChanges.builder().set(Setting.FOOTER, "").build());
        String raw = "From: alice@example.com\nSubject: hi\n\nhello\n";
        Mail mail = HandlerFixture.mail("m1", raw);

        handler.handle(fixture.context(mail));

        assertThat(HandlerFixture.serialize(mail.getMessage())).isEqualTo(raw.replace("\n", "\r\n"));
    }

    @Test
    void handleShouldUseDefaultFooterWhenListHasNone() throws Exception {
        fixture.stores.lists().saveList(fixture.listAddress, ListChanges.builder().set(Setting.FOOTER, null).build());
        Mail mail = HandlerFixture.mail("m1", "From: alice@example.com\nSubject: hi\n\nhello\n");

        handler.handle(fixture.context(mail));

        assertThat((String) reparsed(mail).getContent())
            .contains("team mailing list -- team@lists.example.org")
            .contains("To unsubscribe send an email to team-leave@lists.example.org");
    }

    private static MimeMessage reparsed(Mail mail) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        mail.getMessage().writeTo(out);
        return HandlerFixture.parse(out.toString(StandardCharsets.ISO_8859_1).replace("\r\n", "\n"));
    }
}
