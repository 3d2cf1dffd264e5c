package org.listkeeper.moderation.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.listkeeper.moderation.rules.RuleFixture.post;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.listkeeper.list.ListChanges.Setting;

class SuspiciousHeaderTest {
    @RegisterExtension
    final RuleFixture fixture = new RuleFixture();

    @Test
    void checkShouldHitWhenAHeaderMatchesAPatternWhateverTheCase() throws Exception {
        fixture.set(Setting.SUSPICIOUS_HEADERS, "X-Spam-Flag: ^yes");

        assertThat(fixture.check("suspicious-header", post("ann@member.example", "Subject: hi\nx-spam-flag: YES\n", "x\n")))
            .hasToString("hit: the header X-Spam-Flag matches ^yes");
    }

    @Test
    void checkShouldHitWhenThePatternIsFoundAnywhereInTheValue() throws Exception {
        fixture.set(Setting.SUSPICIOUS_HEADERS, "X-Mailer: bulk");

        assertThat(fixture.check("suspicious-header", post("ann@member.example", "Subject: hi\nX-Mailer: Acme BulkSender 2.0\n", "x\n"))
            .isHit()).isTrue();
    }

    @Test
    void checkShouldHitWhenAnyPatternMatchesAnyCopyOfItsHeader() throws Exception {
        fixture.set(Setting.SUSPICIOUS_HEADERS, "X-Spam-Flag: ^yes\nReceived: from .*\\.spam\\.example");

        assertThat(fixture.check("suspicious-header", post("ann@member.example", "Subject: hi\nReceived: from mx.example.net\n"
            + "Received: from relay.spam.example by mx.example.net\n", "x\n")))
            .hasToString("hit: the header Received matches from .*\\.spam\\.example");
    }

    @Test
    void checkShouldMissWhenNoValueMatches() throws Exception {
        fixture.set(Setting.SUSPICIOUS_HEADERS, "X-Spam-Flag: ^yes");

        assertThat(fixture.check("suspicious-header", post("ann@member.example", "Subject: yes\nX-Spam-Flag: NO, yes says the body\n",
            "X-Spam-Flag: yes\n"))).hasToString("miss");
    }

    @Test
    void checkShouldMissWhenTheListHasNoPatterns() throws Exception {
        assertThat(fixture.check("suspicious-header", post("ann@member.example", "Subject: hi\nX-Spam-Flag: YES\n", "x\n")))
            .hasToString("miss");
    }
}
