package org.listkeeper.moderation.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.listkeeper.moderation.rules.RuleFixture.post;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** As GNU Mailman 3's no-subject: only a missing or blank Subject hits. */
class NoSubjectTest {
    @RegisterExtension
    final RuleFixture fixture = new RuleFixture();

    @Test
    void checkShouldHitWhenThePostHasNoSubject() throws Exception {
        assertThat(fixture.check("no-subject", post("ann@member.example", "", "hello\n"))).hasToString("hit: the post has no subject");
    }

    @Test
    void checkShouldHitWhenTheSubjectIsBlank() throws Exception {
        assertThat(fixture.check("no-subject", post("ann@member.example", "Subject:\n", "hello\n")).isHit()).isTrue();
        assertThat(fixture.check("no-subject", post("ann@member.example", "Subject: \t \n", "hello\n")).isHit()).isTrue();
    }

    @Test
    void checkShouldHitWhenTheSubjectIsBlankOnceDecoded() throws Exception {
        assertThat(fixture.check("no-subject", post("ann@member.example", "Subject: =?UTF-8?Q?_?=\n", "hello\n")).isHit()).isTrue();
    }

    @Test
    void checkShouldMissWhenTheSubjectIsOnlyTheListPrefix() throws Exception {
        String prefix = fixture.list().subjectPrefix();

        assertThat(fixture.check("no-subject", post("ann@member.example", "Subject: " + prefix + "\n", "hello\n"))).hasToString("miss");
    }

    @Test
    void checkShouldMissWhenTheSubjectIsOnlyAReplyMarker() throws Exception {
        assertThat(fixture.check("no-subject", post("ann@member.example", "Subject: Re:\n", "hello\n"))).hasToString("miss");
        assertThat(fixture.check("no-subject", post("ann@member.example", "Subject: Re: [team]\n", "hello\n"))).hasToString("miss");
    }

    @Test
    void checkShouldMissWhenThePostHasASubject() throws Exception {
        assertThat(fixture.check("no-subject", post("ann@member.example", "Subject: lunch\n", "hello\n"))).hasToString("miss");
    }
}
