package org.listkeeper.moderation.rules;

import java.util.Optional;
import javax.mail.MessagingException;
import org.listkeeper.moderation.Approval;
import org.listkeeper.moderation.Rule;
import org.listkeeper.moderation.RuleInput;
import org.listkeeper.moderation.RuleResult;

/**
 * The post carried the list's moderator password. The {@code moderation} handler takes the password out of the
 * post before the chain runs ({@link Approval}) and leaves the verdict in a mail attribute; run on its own, the
 * rule takes it out itself.
 */
public final class Approved implements Rule {
    @Override
    public String name() {
        return "approved";
    }

    @Override
    public String description() {
        return "The post carries the list's moderator password in an Approved: header or first line";
    }

    @Override
    public RuleResult check(RuleInput post) throws MessagingException {
        Optional<Boolean> verdict = post.mail().getAttribute(Approval.APPROVED).map(a -> Boolean.TRUE.equals(a.getValue().value()));
        boolean approved = verdict.isPresent() ? verdict.get()
            : post.list().moderatorPasswordHash().map(hash -> {
                try {
                    Approval.Extraction extraction = Approval.extract(post.mail().getMessage());
                    return extraction.unremovable().isEmpty() && Approval.matches(hash, extraction.passwords());
                } catch (MessagingException e) {
                    return false;
                }
            }).orElse(false);
        return approved ? RuleResult.hit("approved with the moderator password") : RuleResult.miss();
    }
}
