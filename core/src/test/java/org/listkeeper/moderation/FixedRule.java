package org.listkeeper.moderation;

/** A rule with a fixed verdict that counts how often it was asked. */
final class FixedRule implements Rule {
    private final String name;
    private final RuleResult result;
    private int checks;

    FixedRule(String name, RuleResult result) {
        this.name = name;
        this.result = result;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return "test rule";
    }

    @Override
    public RuleResult check(RuleInput post) {
        checks++;
        return result;
    }

    int checks() {
        return checks;
    }
}
