package org.listkeeper.bounces;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.Properties;

import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Each sample under src/test/resources/bounces is a bounce as that MTA writes it. */
class BounceParserTest {
    static MimeMessage sample(String name) throws Exception {
        try (InputStream in = BounceParserTest.class.getResourceAsStream("/bounces/" + name + ".eml")) {
            return new MimeMessage(Session.getInstance(new Properties()), in);
        }
    }

    @ParameterizedTest
    @CsvSource({
        "postfix, dsn, postfix.user@member.example, 5.1.1",
        "sendmail, dsn, sendmail.user@member.example, 5.1.1",
        "exchange, dsn, exchange.user@outlook.member.example, 5.1.10",
        "gmail, dsn, gmail.user@gmail.example, 5.1.1",
        "exim, exim, exim.user@member.example, 5.0.0",
        "qmail, qmail, qmail.user@member.example, 5.1.1",
        "yahoo, yahoo, yahoo.user@yahoo.member.example, 5.0.0",
        "exchange-legacy, exchange, legacy.user@legacy.member.example, 5.1.1",
        "exchange-x400, exchange, x400.user@member.example, 5.0.0",
        "postfix-legacy, postfix, old.postfix@member.example, 5.1.1",
        "qmail-hosted, qmail, hosted.user@member.example, 5.0.0",
        "sendmail-legacy, sendmail, aliased.user@member.example, 5.0.0",
        "dsn-x400, dsn, gatewayed.user@member.example, 5.1.1"
    })
    void parseShouldFindTheFailedRecipientOfEachFormat(String sample, String format, String recipient, String status) throws Exception {
        BounceReport report = BounceParser.parse(sample(sample)).orElseThrow();

        assertThat(report.format()).isEqualTo(format);
        assertThat(report.recipients()).singleElement().satisfies(failed -> {
            assertThat(failed.address().asString()).isEqualTo(recipient);
            assertThat(failed.action()).isEqualTo(BounceReport.Action.FAILED);
            assertThat(failed.action().counts()).isTrue();
            assertThat(failed.status()).contains(status);
        });
    }

    @Test
    void legacyYahooReportShouldNameEveryFailedAddress() throws Exception {
        BounceReport report = BounceParser.parse(sample("yahoo-legacy")).orElseThrow();

        assertThat(report.format()).isEqualTo("qmail");
        assertThat(report.recipients()).extracting(failed -> failed.address().asString())
            .containsExactly("closed.account@yahoo.member.example", "another.closed@yahoo.member.example");
        assertThat(report.recipients()).allSatisfy(failed -> assertThat(failed.action().counts()).isTrue());
    }

    @Test
    void legacyPostfixWarningShouldNotCount() throws Exception {
        BounceReport report = BounceParser.parse(sample("postfix-legacy-delayed")).orElseThrow();

        assertThat(report.recipients()).singleElement().satisfies(delayed -> {
            assertThat(delayed.address().asString()).isEqualTo("slow.legacy@member.example");
            assertThat(delayed.action()).isEqualTo(BounceReport.Action.DELAYED);
            assertThat(delayed.action().counts()).isFalse();
        });
    }

    @Test
    void delayedNoticeShouldNotCount() throws Exception {
        BounceReport report = BounceParser.parse(sample("postfix-delayed")).orElseThrow();

        assertThat(report.recipients()).singleElement().satisfies(delayed -> {
            assertThat(delayed.address().asString()).isEqualTo("slow.user@member.example");
            assertThat(delayed.action()).isEqualTo(BounceReport.Action.DELAYED);
            assertThat(delayed.action().counts()).isFalse();
        });
    }

    @Test
    void ordinaryMailShouldNotBeABounce() throws Exception {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()), new java.io.ByteArrayInputStream(
            "From: alice@example.com\r\nSubject: hello\r\n\r\nJust writing to alice@example.com about lunch.\r\n".getBytes()));

        assertThat(BounceParser.parse(message)).isEmpty();
    }
}
