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

class MemberModerationTest {
    @RegisterExtension
    final RuleFixture fixture = new RuleFixture();

    @Test
    void checkShouldMissWhenTheMemberHasNoActionAndTheListDefaultIsDefer() throws Exception {
        fixture.addToRoster("ann@member.example", Role.MEMBER, null);

        assertThat(fixture.check("member-moderation", post("ann@member.example", "Subject: hi\n", "x\n"))).hasToString("miss");
    }

    @Test
    void checkShouldHitWithTheMembersOwnModerationAction() throws Exception {
        fixture.addToRoster("ann@member.example", Role.MEMBER, ModerationAction.HOLD);

        RuleResult result = fixture.check("member-moderation", post("ann@member.example", "Subject: hi\n", "x\n"));

        assertThat(result).hasToString("hit: ann@member.example is a member with moderation action hold");
        assertThat(result.rosterAction()).hasValue(ModerationAction.HOLD);
    }

    @Test
    void checkShouldHitWithTheListsDefaultMemberActionWhenTheMemberHasNone() throws Exception {
        fixture.addToRoster("ann@member.example", Role.MEMBER, null);
        fixture.set(Setting.DEFAULT_MEMBER_ACTION, "accept");

        RuleResult result = fixture.check("member-moderation", post("ann@member.example", "Subject: hi\n", "x\n"));

        assertThat(result).hasToString("hit: ann@member.example is a member with moderation action accept");
        assertThat(result.rosterAction()).hasValue(ModerationAction.ACCEPT);
    }

    @Test
    void checkShouldMissWhenTheMembersOwnActionIsDeferWhateverTheListDefault() throws Exception {
        fixture.addToRoster("ann@member.example", Role.MEMBER, ModerationAction.DEFER);
        fixture.set(Setting.DEFAULT_MEMBER_ACTION, "hold");

        assertThat(fixture.check("member-moderation", post("ann@member.example", "Subject: hi\n", "x\n"))).hasToString("miss");
    }

    @Test
    void checkShouldCountOwnersAndModeratorsAsMembers() throws Exception {
        fixture.addToRoster("boss@member.example", Role.OWNER, ModerationAction.ACCEPT);
        fixture.addToRoster("mod@member.example", Role.MODERATOR, ModerationAction.ACCEPT);

        assertThat(fixture.check("member-moderation", post("boss@member.example", "Subject: hi\n", "x\n")))
            .hasToString("hit: boss@member.example is an owner with moderation action accept");
        assertThat(fixture.check("member-moderation", post("mod@member.example", "Subject: hi\n", "x\n")))
            .hasToString("hit: mod@member.example is a moderator with moderation action accept");
    }

    @Test
    void checkShouldFindTheMemberByTheEnvelopeSenderWhenFromIsAnotherAddress() throws Exception {
        fixture.addToRoster("ann@member.example", Role.MEMBER, ModerationAction.HOLD);

        assertThat(fixture.check("member-moderation", mail("ann@member.example",
            "From: Ann at home <ann@home.example>\nTo: team@lists.example.org\nSubject: hi\n\nx\n")))
            .hasToString("hit: ann@member.example is a member with moderation action hold");
    }

    @Test
    void checkShouldMissWhenTheSenderIsAKnownNonmemberOrUnknown() throws Exception {
        fixture.addToRoster("friend@outside.example", Role.NONMEMBER, ModerationAction.HOLD);
        fixture.set(Setting.DEFAULT_MEMBER_ACTION, "hold");

        assertThat(fixture.check("member-moderation", post("friend@outside.example", "Subject: hi\n", "x\n"))).hasToString("miss");
        assertThat(fixture.check("member-moderation", post("stranger@outside.example", "Subject: hi\n", "x\n"))).hasToString("miss");
    }
}
