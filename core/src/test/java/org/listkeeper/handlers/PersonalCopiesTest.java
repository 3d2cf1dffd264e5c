package org.listkeeper.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import javax.mail.BodyPart;
import javax.mail.Multipart;
import javax.mail.Part;
import javax.mail.internet.MimeMessage;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.listkeeper.internal.MailSessions;

class PersonalCopiesTest {
    private static final String HEAD = "From: alice@example.com\r\nTo: team@lists.example.org\r\nMessage-ID: <p1@example.com>\r\n"
        + "Subject: hi\r\nList-Unsubscribe: <mailto:team-leave@lists.example.org>\r\nMIME-Version: 1.0\r\n";
    private static final String FOOTER = "--\nAnn Émile <ann@member.example> — leave: https://lists.example.org/u/abc?x=1=2\n"
        + "a line long enough to need a soft line break in quoted-printable encoding, with trailing words at the end   ";

    private static String post(String shape) {
        switch (shape) {
            case "plain-latin1":
                return HEAD + "Content-Type: text/plain; charset=ISO-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                    + "caf=E9 au lait\r\n.a line starting with a dot\r\n";
            case "plain-8bit":
                return HEAD + "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nGrüße\r\n";
            case "html":
                return HEAD + "Content-Type: text/html; charset=us-ascii\r\n\r\n<html><body><p>Hello <b>all</b></p></body></html>\r\n";
            case "alternative":
                return HEAD + "Content-Type: multipart/alternative; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n"
                    + "plain body\r\n--b1\r\nContent-Type: text/html; charset=us-ascii\r\n\r\n<p>html body</p>\r\n--b1--\r\n";
            case "mixed":
                return HEAD + "Content-Type: multipart/mixed; boundary=\"b2\"\r\n\r\n--b2\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n"
                    + "see attached\r\n--b2\r\nContent-Type: application/octet-stream; name=a.bin\r\nContent-Disposition: attachment\r\n"
                    + "Content-Transfer-Encoding: base64\r\n\r\nAAECAwQ=\r\n--b2--\r\n";
            case "signed":
                return HEAD + "Content-Type: multipart/signed; protocol=\"application/pgp-signature\"; boundary=\"b3\"\r\n\r\n--b3\r\n"
                    + "Content-Type: text/plain; charset=us-ascii\r\n\r\nsigned text\r\n--b3\r\nContent-Type: application/pgp-signature\r\n\r\n"
                    + "SIG\r\n--b3--\r\n";
            default:
                throw new IllegalArgumentException(shape);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain-latin1", "plain-8bit", "html", "alternative", "mixed", "signed"})
    void renderShouldReadAsThePostWithTheMembersFooterAddedByFooter(String shape) throws Exception {
        MimeMessage post = parse(post(shape).getBytes(StandardCharsets.UTF_8));
        PersonalCopies copies = PersonalCopies.of(post, true, true, "p1");
        assertThat(copies.footerPlaces()).isGreaterThan(0);

        byte[] rendered = copies.render(List.of("List-Unsubscribe: <https://lists.example.org/u/abc>,\r\n\t<mailto:team-leave@lists.example.org>",
            "List-Unsubscribe-Post: List-Unsubscribe=One-Click"), FOOTER);

        MimeMessage copy = parse(rendered);
        MimeMessage expected = parse(post(shape).getBytes(StandardCharsets.UTF_8));
        Footer.apply(expected, FOOTER, "p1");
        expected.saveChanges();
        assertThat(texts(copy)).isEqualTo(texts(expected));
        assertThat(copy.getHeader("List-Unsubscribe")).hasSize(1);
        assertThat(copy.getHeader("List-Unsubscribe", null)).contains("https://lists.example.org/u/abc");
        assertThat(copy.getHeader("List-Unsubscribe-Post", null)).isEqualTo("List-Unsubscribe=One-Click");
        assertThat(copy.getMessageID()).isEqualTo("<p1@example.com>");
        // no line longer than SMTP allows, no marker left
        String text = new String(rendered, StandardCharsets.ISO_8859_1);
        assertThat(text).doesNotContain("LKFOOTER");
        assertThat(text.split("\r\n")).allMatch(line -> line.length() <= 998);
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain-latin1", "alternative"})
    void twoMembersCopiesShouldEachCarryOnlyTheirOwnFooter(String shape) throws Exception {
        PersonalCopies copies = PersonalCopies.of(parse(post(shape).getBytes(StandardCharsets.UTF_8)), true, true, "p1");

        List<String> ann = texts(parse(copies.render(List.of(), "for ann@member.example")));
        List<String> bob = texts(parse(copies.render(List.of(), "for bob@member.example")));

        assertThat(String.join("", ann)).contains("ann@member.example").doesNotContain("bob@member.example");
        assertThat(String.join("", bob)).contains("bob@member.example").doesNotContain("ann@member.example");
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain-latin1", "mixed"})
    void withoutFooterACopyShouldBeThePostWithItsOwnHeaders(String shape) throws Exception {
        PersonalCopies copies = PersonalCopies.of(parse(post(shape).getBytes(StandardCharsets.UTF_8)), false, false, "p1");

        MimeMessage copy = parse(copies.render(List.of("X-Member: ann"), "ignored"));

        assertThat(copies.footerPlaces()).isZero();
        assertThat(texts(copy)).isEqualTo(texts(parse(post(shape).getBytes(StandardCharsets.UTF_8))));
        assertThat(copy.getHeader("X-Member", null)).isEqualTo("ann");
        assertThat(copy.getHeader("List-Unsubscribe", null)).isEqualTo("<mailto:team-leave@lists.example.org>");
    }

    private static MimeMessage parse(byte[] bytes) throws Exception {
        return new MimeMessage(MailSessions.shared(), new ByteArrayInputStream(bytes));
    }

    /** The decoded text of every text part, in order; HTML without the whitespace between its tags. */
    private static List<String> texts(Part part) throws Exception {
        List<String> texts = new ArrayList<>();
        collect(part, texts);
        return texts;
    }

    private static void collect(Part part, List<String> texts) throws Exception {
        if (part.isMimeType("multipart/*")) {
            Multipart multipart = (Multipart) part.getContent();
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart child = multipart.getBodyPart(i);
                collect(child, texts);
            }
        } else if (part.isMimeType("text/html")) {
            texts.add(((String) part.getContent()).replaceAll("\\s+", ""));
        } else if (part.isMimeType("text/*")) {
            texts.add(((String) part.getContent()).replace("\r\n", "\n"));
        } else {
            texts.add(part.getContentType());
        }
    }
}
