package org.listkeeper.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A bounce score over days, end to end through SMTP: the server's clock is moved a day at a time (time still flows,
 * so James's queues behave as usual), five hard bounces on five days disable the member and send the warning probe,
 * and once the probe has gone through unbounced for {@code bounceProbeGrace}, delivery is on again.
 */
class BounceDaysEndToEndTest {
    private static final MovableClock CLOCK = new MovableClock();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LIST = "days@lists.example.org";
    private static final String MEMBER = "postfix.user@member.example";
    private static final Path SAMPLES = Paths.get(System.getProperty("listkeeper.conf.dir", "../conf")).getParent()
        .resolve("core/src/test/resources/bounces");

    @RegisterExtension
    static final ListkeeperServer SERVER = ListkeeperServer.builder()
        .clock(CLOCK)
        .listkeeperProperties(listkeeperProperties())
        .build();

    /** The system clock moved forward by a settable offset. */
    static final class MovableClock extends Clock {
        private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

        void advance(Duration by) {
            offset.updateAndGet(current -> current.plus(by));
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return Clock.offset(Clock.system(zone), offset.get());
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset.get());
        }
    }

    private static String listkeeperProperties() {
        try {
            Path conf = Paths.get(System.getProperty("listkeeper.conf.dir", "../conf"));
            return Files.readString(conf.resolve("listkeeper.properties")) + "\nhousekeeping.interval=1s\n";
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode member(String address) throws Exception {
        return JSON.readTree(SERVER.webAdmin().expect(200, SERVER.webAdmin().get("/lists/" + LIST + "/members/" + address)).body());
    }

    private static final java.util.concurrent.atomic.AtomicInteger BOUNCES = new java.util.concurrent.atomic.AtomicInteger();

    /** The Postfix sample, each time as a bounce of its own (its own Message-ID: the same one twice is one bounce). */
    private static void bounce() throws Exception {
        String report = Files.readString(SAMPLES.resolve("postfix.eml")).replace("<20261103081402.4D2F31E1C2A@mx.member.example>",
            "<day-bounce-" + BOUNCES.incrementAndGet() + "@mx.member.example>");
        assertThat(SERVER.post("", List.of("days-bounces+postfix.user=member.example@lists.example.org"), report).accepted()).isTrue();
    }

    private static void post(String id) throws Exception {
        assertThat(SERVER.post("author@elsewhere.example", List.of(LIST), "From: author@elsewhere.example\nTo: " + LIST
            + "\nSubject: " + id + "\nMessage-ID: <" + id + "@member.example>\n\nDay by day.\n").accepted()).isTrue();
    }

    @Test
    void fiveHardBouncesOnFiveDaysShouldDisableAndWarnAndAnUnbouncedProbeShouldEnableAgain() throws Exception {
        SERVER.createList(LIST, "{}", MEMBER, "steady@member.example", "reader@member.example");

        for (int day = 1; day <= 5; day++) {
            bounce();
            if (day == 2) {
                bounce(); // a second bounce on the same day does not count
            }
            int expected = day;
            await("score on day " + day).atMost(Duration.ofSeconds(30))
                .until(() -> member(MEMBER).get("bounceScore").asInt() == expected);
            if (day < 5) {
                assertThat(member(MEMBER).get("delivery").asText()).isEqualTo("enabled");
                CLOCK.advance(Duration.ofDays(1));
            }
        }

        JsonNode disabled = member(MEMBER);
        assertThat(disabled.get("delivery").asText()).isEqualTo("disabled");
        assertThat(disabled.get("disabledBy").asText()).isEqualTo("bounce");
        ListkeeperServer.Delivery warning = SERVER.awaitDeliveriesTo(MEMBER, 1).get(0);
        assertThat(warning.header("Subject")).contains("disabled");
        assertThat(warning.body()).contains("warning 1 of 3");
        assertThat(warning.header("Return-Path")).isEqualTo("<days-bounces+postfix.user=member.example@lists.example.org>");

        post("while-disabled");
        SERVER.awaitDeliveries("<while-disabled@member.example>", 2);
        assertThat(SERVER.deliveriesOf("<while-disabled@member.example>")).extracting(delivery -> delivery.recipient)
            .containsExactlyInAnyOrder("steady@member.example", "reader@member.example");

        // the probe was delivered and nothing came back: after the grace, delivery is on again
        CLOCK.advance(Duration.ofDays(2).plusHours(1));
        await("re-enabled").atMost(Duration.ofSeconds(30)).until(() -> member(MEMBER).get("delivery").asText().equals("enabled"));
        assertThat(member(MEMBER).get("bounceScore").asInt()).isZero();

        post("after-probe");
        assertThat(SERVER.awaitDeliveries("<after-probe@member.example>", 3)).extracting(delivery -> delivery.recipient)
            .contains(MEMBER);
        assertThat(SERVER.deliveriesTo(MEMBER)).hasSize(2);
    }

    private static String overQuota(String recipient, int n) {
        return "From: MAILER-DAEMON@mx.full.example\r\nTo: quota-bounces@lists.example.org\r\n"
            + "Subject: Undelivered Mail Returned to Sender\r\nMessage-ID: <quota-" + n + "@mx.full.example>\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/report; report-type=delivery-status; boundary=\"q\"\r\n\r\n"
            + "--q\r\nContent-Type: text/plain\r\n\r\nThe mailbox is full.\r\n"
            + "--q\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.full.example\r\n\r\n"
            + "Final-Recipient: rfc822; " + recipient + "\r\nAction: failed\r\nStatus: 5.2.2\r\n"
            + "Diagnostic-Code: smtp; 552 5.2.2 <" + recipient + ">: Mailbox full, over quota\r\n\r\n--q--\r\n";
    }

    @Test
    void aFullMailboxShouldCountOnlyOnItsThirdDistinctDay() throws Exception {
        String full = "hoarder@full.example";
        SERVER.createList("quota@lists.example.org", "{}", full);
        JsonNode[] seen = new JsonNode[1];

        for (int day = 1; day <= 3; day++) {
            int n = day;
            assertThat(SERVER.post("", List.of("quota-bounces@lists.example.org"), overQuota(full, n)).accepted()).isTrue();
            await("full on day " + day).atMost(Duration.ofSeconds(30)).until(() -> {
                seen[0] = JSON.readTree(SERVER.webAdmin().expect(200, SERVER.webAdmin().get("/lists/quota@lists.example.org/members/" + full)).body());
                return seen[0].get("fullDays").asInt() == n;
            });
            assertThat(seen[0].get("lastBounce").get("class").asText()).isEqualTo("full");
            assertThat(seen[0].get("lastBounce").get("reply").asText()).contains("over quota");
            if (day < 3) {
                assertThat(seen[0].get("bounceScore").asInt()).as("day " + day).isZero();
                CLOCK.advance(Duration.ofDays(1));
            }
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> JSON.readTree(SERVER.webAdmin().expect(200,
            SERVER.webAdmin().get("/lists/quota@lists.example.org/members/" + full)).body()).get("bounceScore").asInt() == 1);
    }
}
