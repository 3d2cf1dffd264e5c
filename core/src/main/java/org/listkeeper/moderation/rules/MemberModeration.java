package org.listkeeper.moderation.rules;

import java.util.Objects;
import org.listkeeper.list.Roster;
import java.util.Optional;
import javax.mail.MessagingException;
import org.apache.james.core.MailAddress;
import org.listkeeper.list.Member;
import org.listkeeper.list.ModerationAction;
import org.listkeeper.list.Role;
import org.listkeeper.moderation.Rule;
import org.listkeeper.moderation.RuleInput;
import org.listkeeper.moderation.RuleResult;
import org.listkeeper.moderation.Senders;

public final class MemberModeration implements Rule {
    private final Roster roster;

    public MemberModeration(Roster roster) {
        this.roster = Objects.requireNonNull(roster);
    }

    @Override
    public String name() {
        return "member-moderation";
    }

    @Override
    public String description() {
        return "The sender is a member whose posts get the member's (or the list's default member) action";
    }

    @Override
    public RuleResult check(RuleInput post) throws MessagingException {
        for (MailAddress sender : Senders.of(post.mail())) {
            Optional<Member> member = roster.findMember(post.list().id(), sender);
            if (member.isPresent() && member.get().role().receivesPosts()) {
                ModerationAction action = member.get().moderationAction().orElse(post.list().defaultMemberAction());
                return action == ModerationAction.DEFER ? RuleResult.miss()
                    : RuleResult.hit(sender.asString() + (member.get().role() == Role.OWNER ? " is an " : " is a ")
                        + member.get().role().value() + " with moderation action " + action.value(), action);
            }
        }
        return RuleResult.miss();
    }
}
