package org.listkeeper.moderation;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.listkeeper.ListkeeperException;

/**
 * Every rule a moderation chain may name, keyed by name: the built-in ones and a site's own. Two rules with one
 * name, or a name that is not kebab-case, are refused when the registry is made (at start-up).
 */
public final class RuleRegistry {
    private static final Pattern NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    private final Map<String, Rule> rules;

    private RuleRegistry(Map<String, Rule> rules) {
        this.rules = Collections.unmodifiableMap(rules);
    }

    public static RuleRegistry of(Collection<? extends Rule> rules) {
        Map<String, Rule> byName = new LinkedHashMap<>();
        for (Rule rule : rules) {
            String name = rule.name();
            if (name == null || !NAME.matcher(name).matches()) {
                throw new ListkeeperException("Rule " + rule.getClass().getName() + " has name '" + name
                    + "', which is not kebab-case (like no-subject)");
            }
            Rule previous = byName.putIfAbsent(name, rule);
            if (previous != null) {
                throw new ListkeeperException("Duplicate rule name '" + name + "': " + previous.getClass().getName() + " and "
                    + rule.getClass().getName());
            }
        }
        return new RuleRegistry(byName);
    }

    public Optional<Rule> named(String name) {
        return Optional.ofNullable(rules.get(name));
    }

    /** Every rule, by name, in registration order. */
    public Map<String, Rule> all() {
        return rules;
    }
}
