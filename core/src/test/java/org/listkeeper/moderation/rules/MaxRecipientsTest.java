package org.listkeeper.moderation.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.listkeeper.moderation.rules.RuleFixture.post;

import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.listkeeper.list.ListChanges.Setting;

class MaxRecipientsTest {
    @RegisterExtension
    final RuleFixture fixture = new RuleFixture();

    /** A post To the list with {@code cc} more addresses in Cc. */
    private static Mail postWithCc(int cc) throws Exception {
        String addresses = IntStream.rangeClosed(1, cc).mapToObj(i -> "p" + i + "@else.example").collect(Collectors.joining(", "));
        return post("ann@member.example", cc == 0 ? "Subject: hi\n" : "Subject: hi\nCc: " + addresses + "\n", "x\n");
    }

    @Test
    void checkShouldHitWhenToAndCcReachTheDefaultLimitOfTen() throws Exception {
        assertThat(fixture.check("max-recipients", postWithCc(9)))
            .hasToString("hit: 10 To and Cc recipients, the limit is fewer than 10");
    }

    @Test
    void checkShouldMissWhenToAndCcStayBelowTheLimit() throws Exception {
        assertThat(fixture.check("max-recipients", postWithCc(8))).hasToString("miss");
    }

    @Test
    void checkShouldFollowTheListsLimit() throws Exception {
        fixture.set(Setting.MAX_RECIPIENTS, "3");

        assertThat(fixture.check("max-recipients", postWithCc(1))).hasToString("miss");
        assertThat(fixture.check("max-recipients", postWithCc(2))).hasToString("hit: 3 To and Cc recipients, the limit is fewer than 3");
    }

    @Test
    void checkShouldMissWhateverTheCountWhenTheLimitIsZero() throws Exception {
        fixture.set(Setting.MAX_RECIPIENTS, "0");

        assertThat(fixture.check("max-recipients", postWithCc(200))).hasToString("miss");
    }

    @Test
    void checkShouldNotCountEnvelopeRecipientsOrBcc() throws Exception {
        fixture.set(Setting.MAX_RECIPIENTS, "2");
        String many = IntStream.rangeClosed(1, 20).mapToObj(i -> "r" + i + "@else.example").collect(Collectors.joining(","));
        Mail post = FakeMail.builder().name("bcc").sender("ann@member.example").recipients(many.split(","))
            .mimeMessage(post("ann@member.example", "Subject: hi\nBcc: " + many + "\n", "x\n").getMessage()).build();

        assertThat(fixture.check("max-recipients", post)).hasToString("miss");
    }
}
