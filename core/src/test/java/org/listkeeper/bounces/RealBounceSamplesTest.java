package org.listkeeper.bounces;

import static org.assertj.core.api.Assertions.assertThat;

import javax.mail.internet.MimeMessage;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bounces that real mail systems sent (Sisimai's collection, see resources/bounces/real/README.md). */
class RealBounceSamplesTest {
    private static MimeMessage real(String name) throws Exception {
        return BounceParserTest.sample("real/" + name);
    }

    @ParameterizedTest
    @CsvSource({
        "lhost-postfix-01, dsn, kijitora@example.org",
        "lhost-exim-01, exim, kijitora@example.ed.jp",
        "lhost-sendmail-01, dsn, userunknown@bouncehammer.jp",
        "lhost-qmail-01, qmail, kijitora@example.ne.jp",
        "lhost-exchange2007-01, dsn, mikeneko@example.co.jp",
        "lhost-office365-01, exchange, kijitora@example.com",
        "lhost-gmail-01, gmail, userunknown@example.jp",
        "lhost-yahoo-01, yahoo, kijitora@example.org"
    })
    void eachRealPermanentFailureShouldNameItsRecipient(String sample, String format, String recipient) throws Exception {
        BounceReport report = BounceParser.parse(real(sample)).orElseThrow();

        assertThat(report.format()).isEqualTo(format);
        assertThat(report.recipients()).singleElement().satisfies(failed -> {
            assertThat(failed.address().asString()).isEqualTo(recipient);
            assertThat(failed.action().counts()).isTrue();
        });
    }

    @ParameterizedTest
    @CsvSource({"lhost-gmail-06, gmail, kijitora@example.jp"})
    void realDelayNoticesShouldNeverCount(String sample, String format, String recipient) throws Exception {
        BounceReport report = BounceParser.parse(real(sample)).orElseThrow();

        assertThat(report.format()).isEqualTo(format);
        assertThat(report.recipients()).singleElement().satisfies(delayed -> {
            assertThat(delayed.address().asString()).isEqualTo(recipient);
            assertThat(delayed.action()).isEqualTo(BounceReport.Action.DELAYED);
            assertThat(delayed.action().counts()).isFalse();
        });
    }
}
