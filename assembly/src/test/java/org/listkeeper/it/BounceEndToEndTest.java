package org.listkeeper.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Real-world bounce formats sent over SMTP to a list's bounce address, counted against the right members. */
class BounceEndToEndTest {
    @RegisterExtension
    static final ListkeeperServer SERVER = ListkeeperServer.builder().build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SAMPLES = Paths.get(System.getProperty("listkeeper.conf.dir", "../conf")).getParent()
        .resolve("core/src/test/resources/bounces");
    /** Sample → the member it names. */
    private static final Map<String, String> FAILED = Map.ofEntries(
        Map.entry("postfix", "postfix.user@member.example"),
        Map.entry("postfix-legacy", "old.postfix@member.example"),
        Map.entry("sendmail", "sendmail.user@member.example"),
        Map.entry("sendmail-legacy", "aliased.user@member.example"),
        Map.entry("exim", "exim.user@member.example"),
        Map.entry("qmail", "qmail.user@member.example"),
        Map.entry("qmail-hosted", "hosted.user@member.example"),
        Map.entry("exchange", "exchange.user@outlook.member.example"),
        Map.entry("exchange-legacy", "legacy.user@legacy.member.example"),
        Map.entry("exchange-x400", "x400.user@member.example"),
        Map.entry("dsn-x400", "gatewayed.user@member.example"),
        Map.entry("gmail", "gmail.user@gmail.example"),
        Map.entry("yahoo", "yahoo.user@yahoo.member.example"),
        Map.entry("yahoo-legacy", "closed.account@yahoo.member.example"));

    private static int score(String list, String member) throws Exception {
        return JSON.readTree(SERVER.webAdmin().expect(200, SERVER.webAdmin().get("/lists/" + list + "/members/" + member)).body())
            .get("bounceScore").asInt();
    }

    private static void bounce(String to, String sample) throws Exception {
        String message = Files.readString(SAMPLES.resolve(sample + ".eml"));
        assertThat(SERVER.post("", List.of(to), message).accepted()).as(sample).isTrue();
    }

    @Test
    void eachFormatShouldBeCountedForTheMemberItNamesAndADelayNever() throws Exception {
        List<String> members = new java.util.ArrayList<>(FAILED.values());
        members.add("slow.user@member.example");
        members.add("slow.legacy@member.example");
        SERVER.createList("team@lists.example.org", "{}", members.toArray(new String[0]));

        for (String sample : FAILED.keySet()) {
            bounce("team-bounces@lists.example.org", sample);
        }
        bounce("team-bounces@lists.example.org", "postfix-delayed");
        bounce("team-bounces@lists.example.org", "postfix-legacy-delayed");

        for (Map.Entry<String, String> expected : FAILED.entrySet()) {
            await(expected.getKey()).atMost(Duration.ofSeconds(30))
                .until(() -> score("team@lists.example.org", expected.getValue()) == 1);
        }
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> true);
        assertThat(score("team@lists.example.org", "slow.user@member.example")).isZero();
        assertThat(score("team@lists.example.org", "slow.legacy@member.example")).isZero();
    }

    /** Real bounces (resources/bounces/real, Sisimai's collection) → the member each names; each to a list of its own. */
    private static final Map<String, String> REAL = Map.of(
        "lhost-postfix-01", "kijitora@example.org",
        "lhost-sendmail-01", "userunknown@bouncehammer.jp",
        "lhost-qmail-01", "kijitora@example.ne.jp",
        "lhost-exchange2007-01", "mikeneko@example.co.jp",
        "lhost-office365-01", "kijitora@example.com",
        "lhost-gmail-01", "userunknown@example.jp",
        "lhost-yahoo-01", "kijitora@example.org");

    @Test
    void realWorldBouncesShouldBeCountedForTheMemberTheyNameAndARealDelayNever() throws Exception {
        int n = 0;
        Map<String, String> lists = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, String> sample : REAL.entrySet()) {
            String list = "real" + (n++) + "@lists.example.org";
            lists.put(sample.getKey(), list);
            SERVER.createList(list, "{}", sample.getValue());
            bounce(list.replace("@", "-bounces@"), "real/" + sample.getKey());
        }
        SERVER.createList("realdelay@lists.example.org", "{}", "kijitora@example.jp");
        bounce("realdelay-bounces@lists.example.org", "real/lhost-gmail-06");
        // refused at MAIL FROM with 5.7.0 ("use the smtp server of your ISP"): a block, not the member's mailbox
        SERVER.createList("realblock@lists.example.org", "{}", "kijitora@example.ed.jp");
        bounce("realblock-bounces@lists.example.org", "real/lhost-exim-01");

        for (Map.Entry<String, String> sample : REAL.entrySet()) {
            await(sample.getKey()).atMost(Duration.ofSeconds(30))
                .until(() -> score(lists.get(sample.getKey()), sample.getValue()) == 1);
        }
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> true);
        assertThat(score("realdelay@lists.example.org", "kijitora@example.jp")).isZero();
        assertThat(score("realblock@lists.example.org", "kijitora@example.ed.jp")).isZero();
    }

    /** A bounce sent twice by an MTA that lost the reply: counted once, whatever day the second copy comes. */
    @Test
    void aBounceSentTwiceWithOneMessageIdShouldBeCountedOnce() throws Exception {
        SERVER.createList("again@lists.example.org", "{}", "postfix.user@member.example");

        bounce("again-bounces@lists.example.org", "postfix");
        bounce("again-bounces@lists.example.org", "postfix");

        await().atMost(Duration.ofSeconds(30)).until(() -> score("again@lists.example.org", "postfix.user@member.example") == 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> JSON.readTree(SERVER.webAdmin().get("/lists/again@lists.example.org/bounces")
            .body()).get("classes").get("mailbox").get("received").asInt() >= 1);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> true);
        assertThat(JSON.readTree(SERVER.webAdmin().get("/lists/again@lists.example.org/bounces").body()).get("classes").get("mailbox")
            .get("received").asInt()).isEqualTo(1);
    }

    @Test
    void verpAddressShouldNameTheMemberWhateverTheReportSays() throws Exception {
        SERVER.createList("verp@lists.example.org", "{}", "forwarder@member.example");

        bounce("verp-bounces+forwarder=member.example@lists.example.org", "postfix");

        await().atMost(Duration.ofSeconds(30)).until(() -> score("verp@lists.example.org", "forwarder@member.example") == 1);
        SERVER.webAdmin().expect(204, SERVER.webAdmin().patch("/lists/verp@lists.example.org/members/forwarder@member.example",
            "{\"bounceScore\":0}"));
        assertThat(score("verp@lists.example.org", "forwarder@member.example")).isZero();
    }

    @Test
    void unrecognisedBounceShouldGoToTheOwnersAndNeverToTheList() throws Exception {
        SERVER.createList("odd@lists.example.org", "{}", "reader@member.example");
        SERVER.webAdmin().expect(204, SERVER.webAdmin().put("/lists/odd@lists.example.org/members/boss@member.example",
            "{\"role\":\"owner\",\"delivery\":\"disabled\"}"));

        assertThat(SERVER.post("someone@else.example", List.of("odd-bounces@lists.example.org"),
            "From: someone@else.example\nSubject: hello?\nMessage-ID: <odd-1@else.example>\n\nIs this the list?\n").accepted()).isTrue();

        ListkeeperServer.Delivery forwarded = SERVER.awaitDeliveriesTo("boss@member.example", 1).get(0);
        assertThat(forwarded.header("Subject")).contains("could not be read");
        assertThat(forwarded.body()).contains("Is this the list?");
        assertThat(SERVER.deliveriesTo("reader@member.example")).isEmpty();
    }
}
