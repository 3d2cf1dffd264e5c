package org.listkeeper.moderation.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.listkeeper.moderation.rules.RuleFixture.mail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.listkeeper.list.ListChanges.Setting;

class ImplicitDestinationTest {
    @RegisterExtension
    final RuleFixture fixture = new RuleFixture();

    private String check(String destinations) throws Exception {
        return fixture.check("implicit-destination", mail("ann@member.example", "From: ann@member.example\n" + destinations
            + "Subject: hi\n\nx\n")).toString();
    }

    @Test
    void checkShouldMissWhenTheListIsInToOrCcInAnyCase() throws Exception {
        assertThat(check("To: The team <Team@Lists.Example.org>\n")).isEqualTo("miss");
        assertThat(check("To: bob@else.example\nCc: carol@else.example, team@lists.example.org\n")).isEqualTo("miss");
    }

    @Test
    void checkShouldHitWhenTheListIsNeitherInToNorCc() throws Exception {
        assertThat(check("To: bob@else.example\n")).isEqualTo("hit: team@lists.example.org is not among the To and Cc addresses");
        assertThat(check("To: undisclosed-recipients:;\n")).startsWith("hit:");
        assertThat(check("")).startsWith("hit:");
    }

    @Test
    void checkShouldMissWhenAnAcceptableAliasIsInToOrCc() throws Exception {
        fixture.set(Setting.ACCEPTABLE_ALIASES, "team@example.org\n^.*@team\\.example\\.org$");

        assertThat(check("To: Team@example.org\n")).isEqualTo("miss");
        assertThat(check("To: bob@else.example\nCc: everyone@team.example.org\n")).isEqualTo("miss");
        assertThat(check("To: everyone@team.example.org.evil\n")).startsWith("hit:");
    }

    @Test
    void checkShouldMissWhenTheListDoesNotRequireAnExplicitDestination() throws Exception {
        fixture.set(Setting.REQUIRE_EXPLICIT_DESTINATION, "false");

        assertThat(check("To: bob@else.example\n")).isEqualTo("miss");
    }
}
