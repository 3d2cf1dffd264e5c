package org.listkeeper.moderation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.listkeeper.ListkeeperException;
import org.listkeeper.list.AddressPatterns;
import org.listkeeper.list.Roster;
import org.listkeeper.moderation.rules.BuiltinRules;

class RuleRegistryTest {
    /** The built-in rules over a roster nobody asks anything: a registry reads only names. */
    private static List<Rule> builtins() {
        Roster unused = (Roster) Proxy.newProxyInstance(Roster.class.getClassLoader(), new Class<?>[] {Roster.class},
            (proxy, method, arguments) -> {
                throw new UnsupportedOperationException(method.getName());
            });
        return BuiltinRules.create(unused, AddressPatterns.none());
    }

    @Test
    void ofShouldRegisterEveryBuiltinRuleUnderTheNameItAlwaysHadInTheOrderOfTheDefaultChain() {
        // names are configuration API: a change to this list is a change every list's moderationChain sees
        List<String> names = List.of("approved", "emergency", "loop", "banned-address", "member-moderation", "nonmember-moderation",
            "administrivia", "implicit-destination", "max-recipients", "max-size", "no-subject", "suspicious-header");

        RuleRegistry registry = RuleRegistry.of(builtins());

        assertThat(registry.all().keySet()).containsExactlyElementsOf(names);
        assertThat(BuiltinRules.NAMES).containsExactlyElementsOf(names);
        assertThat(registry.all().values()).allSatisfy(rule -> assertThat(rule.description()).isNotBlank().doesNotContain("\n"));
    }

    @Test
    void ofShouldKeepASiteRuleBesideTheBuiltinOnes() {
        List<Rule> rules = new ArrayList<>(builtins());
        Rule site = new FixedRule("subject-shouting", RuleResult.miss());
        rules.add(site);

        RuleRegistry registry = RuleRegistry.of(rules);

        assertThat(registry.named("subject-shouting")).containsSame(site);
        assertThat(registry.named("no-subject")).isPresent();
        assertThat(registry.named("charisma")).isEmpty();
    }

    @Test
    void ofShouldRefuseTwoRulesWithOneNameNamingItAndBothClasses() {
        List<Rule> rules = new ArrayList<>(builtins());
        rules.add(new FixedRule("no-subject", RuleResult.miss()));

        assertThatThrownBy(() -> RuleRegistry.of(rules)).isInstanceOf(ListkeeperException.class)
            .hasMessageContaining("'no-subject'").hasMessageContaining("NoSubject").hasMessageContaining(FixedRule.class.getName());
    }

    @Test
    void ofShouldRefuseANameThatIsNotKebabCaseNamingIt() {
        for (String name : new String[] {"NoSubject", "no_subject", "no subject", "-no-subject", "no-subject-", "no--subject", ""}) {
            assertThatThrownBy(() -> RuleRegistry.of(List.of(new FixedRule(name, RuleResult.miss())))).isInstanceOf(ListkeeperException.class)
                .hasMessageContaining("'" + name + "'").hasMessageContaining("kebab-case");
        }
        assertThatThrownBy(() -> RuleRegistry.of(List.of(new FixedRule(null, RuleResult.miss())))).isInstanceOf(ListkeeperException.class)
            .hasMessageContaining("'null'");
    }
}
