package org.listkeeper.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;

import org.apache.james.jdkim.DKIMVerifier;
import org.apache.james.jdkim.api.SignatureRecord;
import org.apache.james.jdkim.mailets.MockPublicKeyRecordRetriever;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Deliverability end to end through SMTP: personalized copies with their own VERP envelope, footer and RFC 8058
 * one-click link; the public unsubscribe route; DMARC mitigation driven by (in-memory) DNS; DKIM signatures made by
 * James's DKIMSign in the relay processor and checked with a DKIM verifier.
 */
class DeliverabilityEndToEndTest {
    private static final KeyPair DKIM_KEY = DkimTestKeys.generate();
    private static final String SELECTOR = "lk2026";
    private static final String PUBLIC_URL = "https://lists.example.org";
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final ListkeeperServer SERVER = ListkeeperServer.builder()
        .publicBaseUrl(PUBLIC_URL + "/")
        .txtRecord("_dmarc.reject.example", "v=DMARC1; p=reject; rua=mailto:reports@reject.example")
        .txtRecord("_dmarc.none.example", "v=DMARC1; p=none")
        // only the organisational domain publishes: mail from news.example.co.uk falls back to it
        .txtRecord("_dmarc.example.co.uk", "v=DMARC1; p=quarantine")
        // list copies signed by list delivery, the other mail from the list domain by James's DKIMSign
        .mailetContainer(xml -> ListkeeperServer.replace(xml,
            "<queue>listkeeper-delivery</queue>",
            "<queue>listkeeper-delivery</queue><dkimKeys>lists.example.org:" + SELECTOR + ":" + DkimTestKeys.file(DKIM_KEY) + "</dkimKeys>",
            "<mailet match=\"All\" class=\"RemoteDelivery\">",
            dkimMailets() + "<mailet match=\"All\" class=\"RemoteDelivery\">"))
        .build();

    private static String dkimMailets() {
        String pem = DkimTestKeys.pem(DKIM_KEY);
        return "<mailet match=\"SenderHostIs=lists.example.org\" class=\"org.apache.james.jdkim.mailets.ConvertTo7Bit\"/>\n"
            + "<mailet match=\"SenderHostIs=lists.example.org\" class=\"org.apache.james.jdkim.mailets.DKIMSign\">\n"
            + "<signatureTemplate>v=1; s=" + SELECTOR + "; d=lists.example.org; c=relaxed/relaxed; a=rsa-sha256; bh=; b=;"
            + " h=from:reply-to:to:cc:subject:date:message-id:mime-version:content-type:list-id:list-post:list-help"
            + ":list-subscribe:list-unsubscribe:list-unsubscribe-post:list-owner;</signatureTemplate>\n"
            + "<privateKey>" + pem + "</privateKey>\n"
            + "</mailet>\n";
    }

    private static MockPublicKeyRecordRetriever publicKey() {
        return DkimTestKeys.publicKey(DKIM_KEY, SELECTOR, "lists.example.org");
    }

    private static String message(String from, String messageId, String subject, String... extraHeaders) {
        return "From: " + from + "\r\n"
            + "To: list@lists.example.org\r\n"
            + String.join("", java.util.Arrays.stream(extraHeaders).map(h -> h + "\r\n").collect(Collectors.toList()))
            + "Subject: " + subject + "\r\n"
            + "Message-ID: " + messageId + "\r\n"
            + "Date: Fri, 04 Dec 2026 10:00:00 +0000\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=us-ascii\r\n"
            + "\r\n"
            + "Hello list.\r\n";
    }

    private static String to(String list, String message) {
        return message.replace("To: list@lists.example.org", "To: " + list);
    }

    private static byte[] raw(ListkeeperServer.Delivery delivery) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        delivery.message.writeTo(out);
        return out.toByteArray();
    }

    private static String token(String listUnsubscribe) {
        Matcher matcher = Pattern.compile("<" + Pattern.quote(PUBLIC_URL) + "/unsubscribe/([A-Za-z0-9_-]+)>").matcher(listUnsubscribe);
        assertThat(matcher.find()).as(listUnsubscribe).isTrue();
        return matcher.group(1);
    }

    private static boolean isMember(String list, String address) {
        return SERVER.webAdmin().get("/lists/" + list + "/members/" + address).statusCode() == 200;
    }

    @Test
    void personalizedCopiesShouldCarryTheirOwnEnvelopeFooterAndOneClickLinkAndOnlyAPostUnsubscribes() throws Exception {
        SERVER.createList("pers@lists.example.org", "{\"delivery\":\"personalized\"}", "alice@member.example", "bob@member.example");
        String messageId = "<pers-1@outside.example>";

        assertThat(SERVER.post("poster@outside.example", List.of("pers@lists.example.org"),
            to("pers@lists.example.org", message("poster@outside.example", messageId, "Personal"))).accepted()).isTrue();

        List<ListkeeperServer.Delivery> copies = SERVER.awaitDeliveries(messageId, 2);
        ListkeeperServer.Delivery alice = copies.stream().filter(d -> d.recipient.equals("alice@member.example")).findFirst().orElseThrow();
        ListkeeperServer.Delivery bob = copies.stream().filter(d -> d.recipient.equals("bob@member.example")).findFirst().orElseThrow();
        assertThat(alice.header("Return-Path")).isEqualTo("<pers-bounces+alice=member.example@lists.example.org>");
        assertThat(bob.header("Return-Path")).isEqualTo("<pers-bounces+bob=member.example@lists.example.org>");
        String aliceToken = token(alice.header("List-Unsubscribe"));
        String bobToken = token(bob.header("List-Unsubscribe"));
        assertThat(aliceToken).isNotEqualTo(bobToken);
        assertThat(alice.header("List-Unsubscribe")).endsWith(", <mailto:pers-leave@lists.example.org>");
        assertThat(alice.header("List-Unsubscribe-Post")).isEqualTo("List-Unsubscribe=One-Click");
        assertThat(alice.text()).contains("You receive this as alice@member.example. To unsubscribe: " + PUBLIC_URL
            + "/unsubscribe/" + aliceToken).doesNotContain("bob@member.example");
        assertThat(bob.text()).contains("You receive this as bob@member.example").contains(bobToken).doesNotContain(aliceToken);

        // a link scanner's GET shows the page and unsubscribes nobody
        java.net.http.HttpResponse<String> page = SERVER.webAdmin().get("/unsubscribe/" + aliceToken);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<form method=\"post\">").contains("List-Unsubscribe").doesNotContain("alice@member.example");
        assertThat(isMember("pers@lists.example.org", "alice@member.example")).isTrue();

        // the one-click POST unsubscribes exactly that member
        java.net.http.HttpResponse<String> done = SERVER.webAdmin().post("/unsubscribe/" + aliceToken, "List-Unsubscribe=One-Click",
            "application/x-www-form-urlencoded");
        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(isMember("pers@lists.example.org", "alice@member.example")).isFalse();
        assertThat(isMember("pers@lists.example.org", "bob@member.example")).isTrue();
        // alice is told, so a link used from a forwarded copy does not go unnoticed
        List<ListkeeperServer.Delivery> toAlice = SERVER.awaitDeliveriesTo("alice@member.example", 2);
        assertThat(toAlice).anySatisfy(goodbye -> assertThat(goodbye.header("Subject")).contains("You have left"));

        // a used token and an unknown one get the very same answer
        java.net.http.HttpResponse<String> again = SERVER.webAdmin().post("/unsubscribe/" + aliceToken, "List-Unsubscribe=One-Click",
            "application/x-www-form-urlencoded");
        java.net.http.HttpResponse<String> unknown = SERVER.webAdmin().post("/unsubscribe/AAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "List-Unsubscribe=One-Click", "application/x-www-form-urlencoded");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(unknown.statusCode()).isEqualTo(200);
        assertThat(again.body()).isEqualTo(done.body()).isEqualTo(unknown.body());
        assertThat(SERVER.webAdmin().get("/unsubscribe/" + aliceToken).body())
            .isEqualTo(SERVER.webAdmin().get("/unsubscribe/AAAAAAAAAAAAAAAAAAAAAAAAAAA").body());
        // a POST without the one-click field in its body does nothing, even with the field in the URL
        assertThat(SERVER.webAdmin().post("/unsubscribe/" + bobToken, "", "application/x-www-form-urlencoded").statusCode()).isEqualTo(400);
        assertThat(SERVER.webAdmin().post("/unsubscribe/" + bobToken + "?List-Unsubscribe=One-Click", "",
            "application/x-www-form-urlencoded").statusCode()).isEqualTo(400);
        assertThat(SERVER.webAdmin().post("/unsubscribe/" + bobToken + "?List%2DUnsubscribe=One-Click", "",
            "application/x-www-form-urlencoded").statusCode()).isEqualTo(400);
        assertThat(SERVER.webAdmin().post("/unsubscribe/" + bobToken + "?List%2dUnsubscribe=One%2DClick", "",
            "application/x-www-form-urlencoded").statusCode()).isEqualTo(400);
        assertThat(SERVER.webAdmin().post("/unsubscribe/" + bobToken + "?List%2DUnsubscribe=One-Click", "other=1",
            "application/x-www-form-urlencoded").statusCode()).isEqualTo(400);
        assertThat(SERVER.webAdmin().post("/unsubscribe/" + bobToken, "--b\r\nContent-Disposition: form-data; "
            + "name=\"List-Unsubscribe-Post\"\r\n\r\nOne-Click\r\n--b--\r\n", "multipart/form-data; boundary=b").statusCode())
            .isEqualTo(400);
        assertThat(isMember("pers@lists.example.org", "bob@member.example")).isTrue();

        String second = "<pers-2@outside.example>";
        SERVER.post("poster@outside.example", List.of("pers@lists.example.org"),
            to("pers@lists.example.org", message("poster@outside.example", second, "After")));
        assertThat(SERVER.awaitDeliveries(second, 1)).extracting(d -> d.recipient).containsExactly("bob@member.example");
        assertThat(SERVER.deliveriesTo("alice@member.example")).hasSize(2);
    }

    @Test
    void longMemberAddressesShouldGetAnOpaqueVerpAddressThatMapsBack() throws Exception {
        String longMember = "a.rather.long.local.part.for.a.list.member.address@subdomain.member.example";
        SERVER.createList("verplong@lists.example.org", "{\"delivery\":\"personalized\"}", longMember);
        String messageId = "<verplong-1@outside.example>";

        SERVER.post("poster@outside.example", List.of("verplong@lists.example.org"),
            to("verplong@lists.example.org", message("poster@outside.example", messageId, "Long")));

        ListkeeperServer.Delivery copy = SERVER.awaitDeliveries(messageId, 1).get(0);
        String envelope = copy.header("Return-Path").replaceAll("^<|>$", "");
        String localPart = envelope.substring(0, envelope.lastIndexOf('@'));
        assertThat(localPart).startsWith("verplong-bounces+t-").hasSizeLessThanOrEqualTo(64);

        // a bounce to that address is counted for the member, though the report itself names someone else
        String bounce = Files.readString(Paths.get(System.getProperty("listkeeper.conf.dir", "../conf")).getParent()
            .resolve("core/src/test/resources/bounces/postfix.eml"));
        assertThat(SERVER.post("", List.of(envelope), bounce).accepted()).isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> JSON.readTree(SERVER.webAdmin().expect(200,
            SERVER.webAdmin().get("/lists/verplong@lists.example.org/members/" + longMember)).body()).get("bounceScore").asInt() == 1);
    }

    @Test
    void deliveredListMailShouldCarryAVerifyingDkimSignatureCoveringTheOneClickHeaders() throws Exception {
        SERVER.createList("signed@lists.example.org", "{\"delivery\":\"personalized\"}", "carol@member.example");
        String messageId = "<signed-1@outside.example>";

        SERVER.post("poster@outside.example", List.of("signed@lists.example.org"),
            to("signed@lists.example.org", message("poster@outside.example", messageId, "Signed")));

        ListkeeperServer.Delivery copy = SERVER.awaitDeliveries(messageId, 1).get(0);
        byte[] raw = raw(copy);
        List<SignatureRecord> signatures = new DKIMVerifier(publicKey()).verify(new ByteArrayInputStream(raw));
        assertThat(signatures).hasSize(1);
        SignatureRecord signature = signatures.get(0);
        assertThat(signature.getDToken().toString()).isEqualTo("lists.example.org");
        assertThat(signature.getHeaders().stream().map(h -> h.toString().toLowerCase(Locale.ROOT)))
            .contains("from", "to", "subject", "date", "message-id", "list-id", "list-unsubscribe", "list-unsubscribe-post");

        // the check can fail: a changed one-click header no longer verifies
        String tampered = new String(raw, StandardCharsets.ISO_8859_1).replace("List-Unsubscribe-Post: List-Unsubscribe=One-Click",
            "List-Unsubscribe-Post: List-Unsubscribe=Two-Clicks");
        assertThat(tampered).isNotEqualTo(new String(raw, StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> new DKIMVerifier(publicKey()).verify(new ByteArrayInputStream(tampered.getBytes(StandardCharsets.ISO_8859_1))))
            .isInstanceOf(org.apache.james.jdkim.exceptions.FailException.class);
    }

    @Test
    void authorsWhoseDomainRejectsShouldBeMungedAndOthersLeftAlone() throws Exception {
        SERVER.createList("munge@lists.example.org", "{\"displayName\":\"Team\",\"dmarcMitigation\":\"munge_from\"}", "dave@member.example");

        SERVER.post("alice@reject.example", List.of("munge@lists.example.org"), to("munge@lists.example.org",
            message("Alice Example <alice@reject.example>", "<munge-1@reject.example>", "Strict",
                "DKIM-Signature: v=1; a=rsa-sha256; d=reject.example; s=x; h=from; bh=AAAA; b=BBBB")));
        SERVER.post("bob@none.example", List.of("munge@lists.example.org"), to("munge@lists.example.org",
            message("Bob <bob@none.example>", "<munge-2@none.example>", "Relaxed")));
        SERVER.post("chloe@news.example.co.uk", List.of("munge@lists.example.org"), to("munge@lists.example.org",
            message("=?UTF-8?Q?Chlo=C3=A9_D=C3=BCrer?= <chloe@news.example.co.uk>", "<munge-3@news.example.co.uk>", "Organisational",
                "Reply-To: replies@news.example.co.uk")));

        ListkeeperServer.Delivery strict = SERVER.awaitDeliveries("<munge-1@reject.example>", 1).get(0);
        InternetAddress from = (InternetAddress) strict.message.getFrom()[0];
        assertThat(from.getAddress()).isEqualTo("munge@lists.example.org");
        assertThat(from.getPersonal()).isEqualTo("Alice Example via Team");
        assertThat(strict.header("Reply-To")).isEqualTo("Alice Example <alice@reject.example>");
        assertThat(strict.message.getHeader("DKIM-Signature")).noneMatch(h -> h.contains("d=reject.example"));

        ListkeeperServer.Delivery relaxed = SERVER.awaitDeliveries("<munge-2@none.example>", 1).get(0);
        assertThat(relaxed.header("From")).isEqualTo("Bob <bob@none.example>");
        assertThat(relaxed.header("Reply-To")).isNull();

        // organisational-domain fallback; a Reply-To of its own is kept and the author goes to Cc; a non-ASCII name is encoded
        ListkeeperServer.Delivery organisational = SERVER.awaitDeliveries("<munge-3@news.example.co.uk>", 1).get(0);
        InternetAddress chloe = (InternetAddress) organisational.message.getFrom()[0];
        assertThat(chloe.getAddress()).isEqualTo("munge@lists.example.org");
        assertThat(chloe.getPersonal()).isEqualTo("Chloé Dürer via Team");
        assertThat(organisational.header("From")).startsWith("=?UTF-8?").doesNotContain("é");
        assertThat(organisational.header("Reply-To")).isEqualTo("replies@news.example.co.uk");
        assertThat(organisational.header("Cc")).contains("chloe@news.example.co.uk");
    }

    @Test
    void wrapMessageShouldSendTheOriginalAsAnAttachmentFromTheList() throws Exception {
        SERVER.createList("wrap@lists.example.org", "{\"displayName\":\"Wrapped\",\"dmarcMitigation\":\"wrap_message\"}",
            "erin@member.example");
        String original = to("wrap@lists.example.org", message("Alice Example <alice@reject.example>", "<wrap-1@reject.example>", "Wrap me"));

        SERVER.post("alice@reject.example", List.of("wrap@lists.example.org"), original);

        ListkeeperServer.Delivery copy = SERVER.awaitDeliveries("<wrap-1@reject.example>", 1).get(0);
        assertThat(((InternetAddress) copy.message.getFrom()[0]).getAddress()).isEqualTo("wrap@lists.example.org");
        assertThat(copy.header("Reply-To")).isEqualTo("Alice Example <alice@reject.example>");
        assertThat(copy.header("Subject")).isEqualTo("[Wrapped] Wrap me");
        assertThat(copy.header("List-Id")).contains("wrap.lists.example.org");
        MimeMultipart mixed = (MimeMultipart) copy.message.getContent();
        List<String> types = new java.util.ArrayList<>();
        MimeMessage inner = null;
        for (int i = 0; i < mixed.getCount(); i++) {
            types.add(mixed.getBodyPart(i).getContentType().toLowerCase(Locale.ROOT));
            if (mixed.getBodyPart(i).isMimeType("message/rfc822")) {
                inner = (MimeMessage) mixed.getBodyPart(i).getContent();
            }
        }
        assertThat(types.get(0)).startsWith("text/plain");
        assertThat(inner).as("message/rfc822 part in " + types).isNotNull();
        assertThat(inner.getHeader("From", null)).isEqualTo("Alice Example <alice@reject.example>");
        assertThat(inner.getSubject()).isEqualTo("Wrap me");
        assertThat(inner.getHeader("List-Id")).isNull();
    }

    @Test
    void deliverabilitySettingsShouldBeShownAndValidated() throws Exception {
        SERVER.createList("settings@lists.example.org", "{}");

        SERVER.webAdmin().expect(204, SERVER.webAdmin().patch("/lists/settings@lists.example.org",
            "{\"delivery\":\"personalized\",\"verp\":\"every-post\",\"dmarcMitigation\":\"wrap-message\","
                + "\"dmarcMitigateUnconditionally\":true,\"keepAuthorDkimSignature\":true}"));
        java.net.http.HttpResponse<String> bad = SERVER.webAdmin().patch("/lists/settings@lists.example.org",
            "{\"verp\":\"sideways\",\"delivery\":\"bulk\"}");

        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("verp").contains("sideways");
        com.fasterxml.jackson.databind.JsonNode list = JSON.readTree(SERVER.webAdmin().expect(200,
            SERVER.webAdmin().get("/lists/settings@lists.example.org")).body());
        assertThat(list.get("delivery").asText()).isEqualTo("personalized");
        assertThat(list.get("verp").asText()).isEqualTo("every_post");
        assertThat(list.get("dmarcMitigation").asText()).isEqualTo("wrap_message");
        assertThat(list.get("dmarcMitigateUnconditionally").asBoolean()).isTrue();
        assertThat(list.get("keepAuthorDkimSignature").asBoolean()).isTrue();
        assertThat(list.get("footer").asText()).contains("{{unsubscribeUrl}}");
        assertThat(SERVER.webAdmin().patch("/lists/settings@lists.example.org", "{\"footer\":\"{{memberAddress}} {{nope}}\"}")
            .statusCode()).isEqualTo(400);
    }
}
