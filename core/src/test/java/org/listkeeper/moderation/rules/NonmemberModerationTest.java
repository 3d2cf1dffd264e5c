package org.listkeeper.moderation.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.listkeeper.moderation.rules.RuleFixture.mail;
import static org.listkeeper.moderation.rules.RuleFixture.post;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.listkeeper.list.ListChanges.Setting;
import org.listkeeper.list.ModerationAction;
import org.listkeeper.list.Role;
import org.listkeeper.moderation.RuleResult;

class NonmemberModerationTest {
    @RegisterExtension
    final RuleFixture fixture = new RuleFixture();

    @Test
    void checkShouldHitAnUnknownSenderWithTheListsDefaultNonmemberActionHold() throws Exception {
        RuleResult result = fixture.check("nonmember-moderation", post("stranger@outside.example", "Subject: hi\n", "x\n"));

        assertThat(result).hasToString("hit: stranger@outside.example is not a member of team@lists.example.org (nonmember action hold)");
        assertThat(result.rosterAction()).hasValue(ModerationAction.HOLD);
    }

    @Test
    void checkShouldHitAnUnknownSenderWithTheListsDefaultWhenItIsSet() throws Exception {
        fixture.set(Setting.DEFAULT_NONMEMBER_ACTION, "reject");

        assertThat(fixture.check("nonmember-moderation", post("stranger@outside.example", "Subject: hi\n", "x\n")).rosterAction())
            .hasValue(ModerationAction.REJECT);
    }

    @Test
    void checkShouldMissWhenTheListsDefaultNonmemberActionIsDefer() throws Exception {
        fixture.set(Setting.DEFAULT_NONMEMBER_ACTION, "defer");

        assertThat(fixture.check("nonmember-moderation", post("stranger@outside.example", "Subject: hi\n", "x\n"))).hasToString("miss");
    }

    @Test
    void checkShouldHitAKnownNonmemberWithItsOwnActionRatherThanTheListDefault() throws Exception {
        fixture.addToRoster("friend@outside.example", Role.NONMEMBER, ModerationAction.ACCEPT);

        RuleResult result = fixture.check("nonmember-moderation", post("friend@outside.example", "Subject: hi\n", "x\n"));

        assertThat(result).hasToString("hit: friend@outside.example is not a member of team@lists.example.org (nonmember action accept)");
        assertThat(result.rosterAction()).hasValue(ModerationAction.ACCEPT);
    }

    @Test
    void checkShouldHitAKnownNonmemberWithoutAnActionWithTheListDefault() throws Exception {
        fixture.addToRoster("friend@outside.example", Role.NONMEMBER, null);
        fixture.set(Setting.DEFAULT_NONMEMBER_ACTION, "discard");

        assertThat(fixture.check("nonmember-moderation", post("friend@outside.example", "Subject: hi\n", "x\n")).rosterAction())
            .hasValue(ModerationAction.DISCARD);
    }

    @Test
    void checkShouldMissWhenAnyOfTheSendersIsAMember() throws Exception {
        fixture.addToRoster("ann@member.example", Role.MEMBER, null);
        fixture.set(Setting.DEFAULT_NONMEMBER_ACTION, "reject");

        assertThat(fixture.check("nonmember-moderation", post("ann@member.example", "Subject: hi\n", "x\n"))).hasToString("miss");
        assertThat(fixture.check("nonmember-moderation", mail("ann@member.example",
            "From: Ann at home <ann@home.example>\nTo: team@lists.example.org\nSubject: hi\n\nx\n"))).hasToString("miss");
    }

    @Test
    void checkShouldHitWithTheListDefaultWhenThePostNamesNoSenderAtAll() throws Exception {
        RuleResult result = fixture.check("nonmember-moderation", mail(null, "To: team@lists.example.org\nSubject: hi\n\nx\n"));

        assertThat(result).hasToString("hit: the sender is not a member of team@lists.example.org (nonmember action hold)");
        assertThat(result.rosterAction()).hasValue(ModerationAction.HOLD);
    }
}
