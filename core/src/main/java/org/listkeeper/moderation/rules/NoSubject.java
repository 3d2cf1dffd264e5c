package org.listkeeper.moderation.rules;

import javax.mail.MessagingException;
import org.listkeeper.moderation.Rule;
import org.listkeeper.moderation.RuleInput;
import org.listkeeper.moderation.RuleResult;

public final class NoSubject implements Rule {
    @Override
    public String name() {
        return "no-subject";
    }

    @Override
    public String description() {
        return "The post has no Subject, or an empty one";
    }

    @Override
    public RuleResult check(RuleInput post) throws MessagingException {
        // as GNU Mailman 3: only a missing or blank Subject; one that is only the prefix or "Re:" is not empty,
        // and subject-prefix turns it into "[prefix] (no subject)"
        String subject = post.mail().getMessage().getSubject();
        return subject == null || subject.isBlank() ? RuleResult.hit("the post has no subject") : RuleResult.miss();
    }
}
