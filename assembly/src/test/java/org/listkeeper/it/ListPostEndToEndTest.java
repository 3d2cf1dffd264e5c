package org.listkeeper.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Posts over real SMTP into James, through the list pipeline, out to the SMTP sink. */
class ListPostEndToEndTest {
    @RegisterExtension
    static final ListkeeperServer SERVER = ListkeeperServer.builder().build();

    private static String message(String messageId, String subject) {
        return "From: Alice <alice@example.com>\n"
            + "To: team@lists.example.org\n"
            + "Subject: " + subject + "\n"
            + "Message-ID: " + messageId + "\n"
            + "MIME-Version: 1.0\n"
            + "Content-Type: text/plain; charset=UTF-8\n"
            + "\n"
            + "Hello list.\n";
    }

    @Test
    void postShouldReachEachMemberOnceWithListHeadersPrefixAndFooter() throws Exception {
        SERVER.createList("team@lists.example.org",
            "{\"displayName\":\"Team\",\"subjectPrefix\":\"[team]\",\"footer\":\"-- \\nTeam list, leave: {{leaveAddress}}\"}",
            "ann@member.example", "bob@member.example", "cid@other.example");

        SmtpClient.Result result = SERVER.post("alice@example.com", List.of("team@lists.example.org"),
            message("<first@example.com>", "Re: [team] Re: [team] hi"));

        assertThat(result.accepted()).isTrue();
        List<ListkeeperServer.Delivery> deliveries = SERVER.awaitDeliveries("<first@example.com>", 3);
        assertThat(deliveries).extracting(d -> d.recipient)
            .containsExactlyInAnyOrder("ann@member.example", "bob@member.example", "cid@other.example");
        assertThat(deliveries).allSatisfy(delivery -> {
            assertThat(delivery.header("List-Id")).isEqualTo("Team <team.lists.example.org>");
            assertThat(delivery.header("List-Post")).isEqualTo("<mailto:team@lists.example.org>");
            assertThat(delivery.header("List-Unsubscribe")).isEqualTo("<mailto:team-leave@lists.example.org>");
            assertThat(delivery.header("Subject")).isEqualTo("Re: [team] hi");
            assertThat(delivery.body()).contains("Hello list.").contains("Team list, leave: team-leave@lists.example.org");
        });
    }

    @Test
    void subjectEmptyOnceMarkersAndPrefixAreGoneShouldBecomeNoSubjectAsInMailman() throws Exception {
        SERVER.createList("blank@lists.example.org", "{\"displayName\":\"Blank\",\"subjectPrefix\":\"[blank]\"}",
            "ann@member.example");
        String reply = message("<blank-1@example.com>", "Re:").replace("team@", "blank@");
        String prefixOnly = message("<blank-2@example.com>", "[blank]").replace("team@", "blank@");
        String replyToPrefix = message("<blank-3@example.com>", "RE: [Blank] ").replace("team@", "blank@");

        for (String post : List.of(reply, prefixOnly, replyToPrefix)) {
            assertThat(SERVER.post("ann@member.example", List.of("blank@lists.example.org"), post).accepted()).isTrue();
        }

        assertThat(SERVER.awaitDeliveries("<blank-1@example.com>", 1).get(0).header("Subject")).isEqualTo("Re: [blank] (no subject)");
        assertThat(SERVER.awaitDeliveries("<blank-2@example.com>", 1).get(0).header("Subject")).isEqualTo("[blank] (no subject)");
        assertThat(SERVER.awaitDeliveries("<blank-3@example.com>", 1).get(0).header("Subject")).isEqualTo("Re: [blank] (no subject)");
    }

    @Test
    void samePostSentTwiceShouldReachEachMemberOnce() throws Exception {
        SERVER.createList("dedupe@lists.example.org", "{}", "ann@member.example", "bob@member.example");
        String post = message("<twice@example.com>", "once only").replace("team@", "dedupe@");

        SERVER.post("alice@example.com", List.of("dedupe@lists.example.org"), post);
        SERVER.awaitDeliveries("<twice@example.com>", 2);
        SERVER.post("alice@example.com", List.of("dedupe@lists.example.org"), post);

        List<ListkeeperServer.Delivery> deliveries = SERVER.awaitDeliveries("<twice@example.com>", 2);
        assertThat(deliveries).extracting(d -> d.recipient).containsExactlyInAnyOrder("ann@member.example", "bob@member.example");
    }

    @Test
    void crossPostShouldBeDeliveredByBothListsOnceEach() throws Exception {
        SERVER.createList("red@lists.example.org", "{}", "r@member.example", "both@member.example");
        SERVER.createList("blue@lists.example.org", "{}", "b@member.example", "both@member.example");

        SmtpClient.Result result = SERVER.post("alice@example.com", List.of("red@lists.example.org", "blue@lists.example.org"),
            message("<cross@example.com>", "cross-posted"));

        assertThat(result.accepted()).isTrue();
        List<ListkeeperServer.Delivery> deliveries = SERVER.awaitDeliveries("<cross@example.com>", 4);
        assertThat(deliveries).extracting(d -> d.recipient + " via " + d.header("List-Id")).containsExactlyInAnyOrder(
            "r@member.example via red <red.lists.example.org>",
            "both@member.example via red <red.lists.example.org>",
            "b@member.example via blue <blue.lists.example.org>",
            "both@member.example via blue <blue.lists.example.org>");
    }

    @Test
    void rcptShouldRefuseUnknownAddressAtListDomainAndAcceptListAddresses() throws Exception {
        SERVER.createList("rcpt@lists.example.org", "{}", "ann@member.example");

        SmtpClient.Result result = SERVER.post("alice@example.com",
            List.of("nobody@lists.example.org", "rcpt@lists.example.org", "rcpt-owner@lists.example.org",
                "rcpt-request@lists.example.org", "rcpt-bounces+ann=member.example@lists.example.org"),
            message("<rcpt@example.com>", "rcpt check"));

        assertThat(result.rcptReplies.stream().map(reply -> reply.code).collect(Collectors.toList()))
            .containsExactly(550, 250, 250, 250, 250);
        assertThat(result.rcptReplies.get(0).text).contains("5.1.1");
    }

    @Test
    void signedPostShouldKeepSignedPartByteForByteAndGetFooterBesideIt() throws Exception {
        SERVER.createList("signed@lists.example.org", "{\"footer\":\"signed-list footer\"}", "ann@member.example");
        String signedPart = "Content-Type: text/plain; charset=us-ascii\n\nsigned text with trailing space \n";
        String post = "From: alice@example.com\nTo: signed@lists.example.org\nSubject: signed\nMessage-ID: <signed@example.com>\n"
            + "MIME-Version: 1.0\n"
            + "Content-Type: multipart/signed; micalg=pgp-sha256; protocol=\"application/pgp-signature\"; boundary=\"sig\"\n\n"
            + "--sig\n" + signedPart + "--sig\nContent-Type: application/pgp-signature\n\n"
            + "-----BEGIN PGP SIGNATURE-----\nabc\n-----END PGP SIGNATURE-----\n--sig--\n";

        SERVER.post("alice@example.com", List.of("signed@lists.example.org"), post);

        ListkeeperServer.Delivery delivery = SERVER.awaitDeliveries("<signed@example.com>", 1).get(0);
        javax.mail.internet.MimeMultipart mixed = (javax.mail.internet.MimeMultipart) delivery.message.getContent();
        javax.mail.internet.MimeBodyPart signed = (javax.mail.internet.MimeBodyPart) mixed.getBodyPart(0);
        assertThat(signed.isMimeType("multipart/signed")).isTrue();
        javax.mail.internet.MimeMultipart signedParts = (javax.mail.internet.MimeMultipart) signed.getContent();
        java.io.ByteArrayOutputStream firstPart = new java.io.ByteArrayOutputStream();
        signedParts.getBodyPart(0).writeTo(firstPart);
        // the CRLF before a boundary belongs to the delimiter, not to the signed part
        assertThat(firstPart.toString(java.nio.charset.StandardCharsets.US_ASCII))
            .isEqualTo(signedPart.replace("\n", "\r\n").substring(0, signedPart.replace("\n", "\r\n").length() - 2));
        assertThat((String) mixed.getBodyPart(1).getContent()).contains("signed-list footer");
    }

    @Test
    void malformedMimePostShouldBeDeliveredWithItsBodyBytes() throws Exception {
        SERVER.createList("broken@lists.example.org", "{}", "ann@member.example");
        String post = "From: alice@example.com\nTo: broken@lists.example.org\nSubject: broken MIME\n"
            + "Message-ID: <malformed@example.com>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"nowhere\"\n\n"
            + "this body never opens its boundary\n";

        SERVER.post("alice@example.com", List.of("broken@lists.example.org"), post);

        ListkeeperServer.Delivery delivery = SERVER.awaitDeliveries("<malformed@example.com>", 1).get(0);
        assertThat(delivery.body()).contains("this body never opens its boundary");
        assertThat(delivery.header("Subject")).isEqualTo("[broken] broken MIME");
        assertThat(delivery.header("X-Listkeeper-Original-Content-Type")).isEqualTo("multipart/mixed; boundary=\"nowhere\"");
        assertThat(delivery.header("Content-Type")).startsWith("text/plain");
    }

    @Test
    void mailToOwnerAddressShouldReachOwnersAndNoMember() throws Exception {
        SERVER.createList("owned@lists.example.org", "{}", "member@member.example");
        SERVER.webAdmin().expect(204, SERVER.webAdmin().put("/lists/owned@lists.example.org/members/boss@owner.example",
            "{\"role\":\"owner\"}"));

        SERVER.post("alice@example.com", List.of("owned@lists.example.org".replace("owned@", "owned-owner@")),
            message("<to-owner@example.com>", "question for the owner"));

        List<ListkeeperServer.Delivery> deliveries = SERVER.awaitDeliveries("<to-owner@example.com>", 1);
        assertThat(deliveries).extracting(d -> d.recipient).containsExactly("boss@owner.example");
    }
}
