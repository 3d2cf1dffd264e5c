package org.listkeeper.moderation.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.listkeeper.moderation.rules.RuleFixture.post;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.listkeeper.list.ListChanges.Setting;

class AdministriviaTest {
    @RegisterExtension
    final RuleFixture fixture = new RuleFixture();

    @Test
    void checkShouldHitWhenTheSubjectOfAShortPostIsACommand() throws Exception {
        assertThat(fixture.check("administrivia", post("ann@member.example", "Subject: Unsubscribe\n", "\n")))
            .hasToString("hit: looks like a command (\"unsubscribe\") meant for team-request@lists.example.org");
    }

    @Test
    void checkShouldHitWhenALineOfAShortBodyIsACommand() throws Exception {
        assertThat(fixture.check("administrivia", post("ann@member.example", "Subject: please\n", "Hello,\n\nsubscribe digest=mime\n"))
            .isHit()).isTrue();
        assertThat(fixture.check("administrivia", post("ann@member.example", "Subject: please\n", "confirm 4f2a9c\n")).isHit()).isTrue();
    }

    @Test
    void checkShouldMissWhenTheCommandWordIsFollowedByMoreWordsThanTheCommandTakes() throws Exception {
        assertThat(fixture.check("administrivia", post("ann@member.example", "Subject: Help with the installer\n", "It fails.\n")))
            .hasToString("miss");
        assertThat(fixture.check("administrivia", post("ann@member.example", "Subject: Who is coming on Friday?\n", "\n")))
            .hasToString("miss");
        assertThat(fixture.check("administrivia", post("ann@member.example", "Subject: hi\n", "confirm\n"))).hasToString("miss");
    }

    @Test
    void checkShouldHitWhenTheBodyHasFiveLinesBesideTheSubject() throws Exception {
        assertThat(fixture.check("administrivia", post("ann@member.example", "Subject: unsubscribe\n", "1\n2\n3\n4\n5\n")).isHit())
            .isTrue();
    }

    @Test
    void checkShouldMissWhenThePostIsLongerThanFiveLinesBesideTheSubject() throws Exception {
        assertThat(fixture.check("administrivia", post("ann@member.example", "Subject: unsubscribe\n", "1\n2\n3\n4\n5\n6\n")))
            .hasToString("miss");
    }

    @Test
    void checkShouldNotCountBlankAndQuotedLines() throws Exception {
        String quoted = "> a long post\n".repeat(20);

        assertThat(fixture.check("administrivia", post("ann@member.example", "Subject: Re: news\n", "\n\nunsubscribe\n\n" + quoted))
            .isHit()).isTrue();
    }

    @Test
    void checkShouldReadTheFirstPartOfAMultipartPost() throws Exception {
        assertThat(fixture.check("administrivia", post("ann@member.example", "Subject: x\nMIME-Version: 1.0\n"
            + "Content-Type: multipart/mixed; boundary=\"b\"\n", "--b\nContent-Type: text/plain\n\nleave\n--b\n"
            + "Content-Type: application/octet-stream\n\nAAAA\n--b--\n")).isHit()).isTrue();
    }

    @Test
    void checkShouldMissWhenTheListSwitchedTheCheckOff() throws Exception {
        fixture.set(Setting.ADMINISTRIVIA, "false");

        assertThat(fixture.check("administrivia", post("ann@member.example", "Subject: unsubscribe\n", "\n"))).hasToString("miss");
    }

    @Test
    void checkShouldMissAnOrdinaryShortPost() throws Exception {
        assertThat(fixture.check("administrivia", post("ann@member.example", "Subject: lunch\n", "See you at noon.\n")))
            .hasToString("miss");
    }
}
