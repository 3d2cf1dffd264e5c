package org.listkeeper.moderation.rules;

import javax.mail.MessagingException;
import org.listkeeper.moderation.Rule;
import org.listkeeper.moderation.RuleInput;
import org.listkeeper.moderation.RuleResult;

public final class MaxRecipients implements Rule {
    @Override
    public String name() {
        return "max-recipients";
    }

    @Override
    public String description() {
        return "The post names too many To and Cc recipients (the list's maxRecipients)";
    }

    @Override
    public RuleResult check(RuleInput post) throws MessagingException {
        int limit = post.list().maxRecipients();
        if (limit <= 0) {
            return RuleResult.miss();
        }
        int count = Destinations.of(post.mail().getMessage()).size();
        return count >= limit ? RuleResult.hit(count + " To and Cc recipients, the limit is fewer than " + limit) : RuleResult.miss();
    }
}
