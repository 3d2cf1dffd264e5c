package org.listkeeper.moderation.rules;

import org.listkeeper.moderation.Rule;
import org.listkeeper.moderation.RuleInput;
import org.listkeeper.moderation.RuleResult;

public final class Emergency implements Rule {
    @Override
    public String name() {
        return "emergency";
    }

    @Override
    public String description() {
        return "The list is in emergency moderation: every post waits for a moderator";
    }

    @Override
    public RuleResult check(RuleInput post) {
        return post.list().emergency() ? RuleResult.hit("the list is in emergency moderation") : RuleResult.miss();
    }
}
