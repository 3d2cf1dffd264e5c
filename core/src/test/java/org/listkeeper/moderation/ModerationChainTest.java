package org.listkeeper.moderation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.james.core.MailAddress;
import org.apache.mailet.base.test.FakeMail;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.listkeeper.InvalidValueException;
import org.listkeeper.list.MailingList;
import org.listkeeper.list.ModerationAction;
import org.listkeeper.moderation.rules.BuiltinRules;

/** The chain on rules whose verdicts the test fixes: what it parses, and what it does with hits and misses. */
class ModerationChainTest {
    private final List<FixedRule> rules = new ArrayList<>();

    private FixedRule rule(String name, RuleResult result) {
        FixedRule rule = new FixedRule(name, result);
        rules.add(rule);
        return rule;
    }

    private ModerationChain.Decision run(String chain) throws Exception {
        RuleInput post = RuleInput.of(MailingList.of(1, new MailAddress("team@lists.example.org"), null, null, null, null, null),
            FakeMail.builder().name("post").sender("ann@member.example").build());
        return ModerationChain.parse(chain, RuleRegistry.of(rules)).run(post);
    }

    private RuleRegistry builtinNames() {
        BuiltinRules.NAMES.forEach(name -> rule(name, RuleResult.miss()));
        return RuleRegistry.of(rules);
    }

    @Test
    void formatShouldWriteWhatParseReadsForTheDefaultChain() {
        assertThat(ModerationChain.parse(ModerationChain.DEFAULT, builtinNames()).format()).isEqualTo(ModerationChain.DEFAULT);
    }

    @Test
    void parseShouldReadLinksAcrossLinesWhateverTheSpacesAndCase() {
        assertThat(ModerationChain.parse(" Approved : ACCEPT ,\n\nloop:discard\r\nmember-moderation: roster,", builtinNames()).format())
            .isEqualTo("approved:accept,loop:discard,member-moderation:roster");
    }

    @Test
    void parseShouldRefuseAnUnknownRuleNamingItAndTheKnownOnes() {
        RuleRegistry registry = builtinNames();

        assertThatThrownBy(() -> ModerationChain.parse("approved:accept,charisma:hold", registry))
            .isInstanceOf(InvalidValueException.class).hasMessageContaining("moderationChain").hasMessageContaining("charisma")
            .hasMessageContaining("no-subject");
    }

    @Test
    void parseShouldRefuseAnUnknownActionNamingIt() {
        RuleRegistry registry = builtinNames();

        assertThatThrownBy(() -> ModerationChain.parse("loop:explode", registry)).isInstanceOf(InvalidValueException.class)
            .hasMessageContaining("explode");
    }

    @Test
    void parseShouldRefuseALinkWithoutAnAction() {
        RuleRegistry registry = builtinNames();

        assertThatThrownBy(() -> ModerationChain.parse("approved:accept,loop", registry)).isInstanceOf(InvalidValueException.class)
            .hasMessageContaining("loop").hasMessageContaining("rule:action");
    }

    @Test
    void runShouldAcceptWhenNoLinkDecides() throws Exception {
        rule("a", RuleResult.miss());
        rule("b", RuleResult.hit("b found it"));

        ModerationChain.Decision decision = run("a:hold,b:defer");

        assertThat(decision.action()).isEqualTo(ModerationAction.ACCEPT);
        assertThat(decision.rule()).isEmpty();
        assertThat(decision.describe()).isEqualTo("no rule held the post");
    }

    @Test
    void runShouldLetTheFirstRuleThatHitsDecideAndAskNoFurther() throws Exception {
        rule("a", RuleResult.miss());
        rule("b", RuleResult.hit("b found it"));
        FixedRule later = rule("c", RuleResult.hit("c found it"));

        ModerationChain.Decision decision = run("a:accept,b:discard,c:hold");

        assertThat(decision.action()).isEqualTo(ModerationAction.DISCARD);
        assertThat(decision.describe()).isEqualTo("b: b found it");
        assertThat(later.checks()).isZero();
    }

    @Test
    void runShouldCollectTheReasonOfEveryHoldLinkOfAGroupThatHits() throws Exception {
        rule("a", RuleResult.hit("too big"));
        rule("b", RuleResult.miss());
        rule("c", RuleResult.hit("no subject"));

        ModerationChain.Decision decision = run("a:hold,b:hold,c:hold");

        assertThat(decision.action()).isEqualTo(ModerationAction.HOLD);
        assertThat(decision.rule()).isEqualTo("a,c");
        assertThat(decision.reason()).isEqualTo("a: too big; c: no subject");
        assertThat(decision.describe()).isEqualTo(decision.reason());
    }

    @Test
    void runShouldHoldWithTheRulesOwnReasonWhenOneLinkOfTheGroupHits() throws Exception {
        rule("a", RuleResult.miss());
        rule("b", RuleResult.hit("no subject"));

        ModerationChain.Decision decision = run("a:hold,b:hold");

        assertThat(decision.rule()).isEqualTo("b");
        assertThat(decision.reason()).isEqualTo("no subject");
        assertThat(decision.describe()).isEqualTo("b: no subject");
    }

    @Test
    void runShouldEndTheHoldGroupAtTheFirstLinkThatIsNotHold() throws Exception {
        rule("a", RuleResult.hit("too big"));
        FixedRule after = rule("b", RuleResult.hit("a loop"));

        ModerationChain.Decision decision = run("a:hold,b:discard");

        assertThat(decision.action()).isEqualTo(ModerationAction.HOLD);
        assertThat(decision.describe()).isEqualTo("a: too big");
        assertThat(after.checks()).isZero();
    }

    @Test
    void runShouldShortenTheReasonsOfALongHoldToWhatTheStoreKeeps() throws Exception {
        rule("a", RuleResult.hit("x".repeat(1500)));
        rule("b", RuleResult.hit("y".repeat(1500)));

        String reason = run("a:hold,b:hold").reason();

        assertThat(reason).hasSize(2000).startsWith("a: xxx").endsWith("y\u2026");
    }

    @ParameterizedTest
    @EnumSource(value = ModerationAction.class, names = {"ACCEPT", "HOLD", "REJECT", "DISCARD"})
    void runShouldTakeTheActionTheRosterGivesOnARosterLinkAndAskNoFurther(ModerationAction action) throws Exception {
        rule("member", RuleResult.hit("ann is a member with moderation action " + action.value(), action));
        FixedRule after = rule("b", RuleResult.hit("no subject"));

        ModerationChain.Decision decision = run("member:roster,b:hold");

        assertThat(decision.action()).isEqualTo(action);
        assertThat(decision.describe()).isEqualTo("member: ann is a member with moderation action " + action.value());
        assertThat(after.checks()).isZero();
    }

    @Test
    void runShouldGoOnWhenTheRosterGivesDeferOrNoActionOrTheLinkSaysDefer() throws Exception {
        rule("deferred", RuleResult.hit("ann is a member with moderation action defer", ModerationAction.DEFER));
        rule("plain", RuleResult.hit("a hit without a roster action"));
        rule("noted", RuleResult.hit("noted only"));
        rule("last", RuleResult.hit("a loop"));

        ModerationChain.Decision decision = run("deferred:roster,plain:roster,noted:defer,last:discard");

        assertThat(decision.action()).isEqualTo(ModerationAction.DISCARD);
        assertThat(decision.rule()).isEqualTo("last");
        assertThat(rules.stream().map(FixedRule::checks).collect(Collectors.toList())).containsExactly(1, 1, 1, 1);
    }
}
