package org.listkeeper.moderation.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.listkeeper.moderation.rules.RuleFixture.post;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.listkeeper.list.ListChanges.Setting;

class EmergencyTest {
    @RegisterExtension
    final RuleFixture fixture = new RuleFixture();

    @Test
    void checkShouldHitEveryPostWhenTheListIsInEmergencyModeration() throws Exception {
        fixture.set(Setting.EMERGENCY, "true");

        assertThat(fixture.check("emergency", post("ann@member.example", "Subject: hi\n", "hello\n")))
            .hasToString("hit: the list is in emergency moderation");
    }

    @Test
    void checkShouldMissWhenTheListIsNotInEmergencyModeration() throws Exception {
        assertThat(fixture.check("emergency", post("ann@member.example", "Subject: hi\n", "hello\n"))).hasToString("miss");

        fixture.set(Setting.EMERGENCY, "true").set(Setting.EMERGENCY, "false");

        assertThat(fixture.check("emergency", post("ann@member.example", "Subject: hi\n", "hello\n"))).hasToString("miss");
    }
}
