package org.listkeeper.moderation.rules;

import java.util.Objects;
import org.listkeeper.list.Roster;
import java.util.List;
import java.util.Optional;
import javax.mail.MessagingException;
import org.apache.james.core.MailAddress;
import org.listkeeper.list.Member;
import org.listkeeper.list.ModerationAction;
import org.listkeeper.moderation.Rule;
import org.listkeeper.moderation.RuleInput;
import org.listkeeper.moderation.RuleResult;
import org.listkeeper.moderation.Senders;

public final class NonmemberModeration implements Rule {
    private final Roster roster;

    public NonmemberModeration(Roster roster) {
        this.roster = Objects.requireNonNull(roster);
    }

    @Override
    public String name() {
        return "nonmember-moderation";
    }

    @Override
    public String description() {
        return "The sender is not a member: the known nonmember's action, else the list's default nonmember action";
    }

    @Override
    public RuleResult check(RuleInput post) throws MessagingException {
        List<MailAddress> senders = Senders.of(post.mail());
        Optional<Member> known = Optional.empty();
        for (MailAddress sender : senders) {
            Optional<Member> entry = roster.findMember(post.list().id(), sender);
            if (entry.isPresent() && entry.get().role().receivesPosts()) {
                return RuleResult.miss();
            }
            if (entry.isPresent() && known.isEmpty()) {
                known = entry;
            }
        }
        ModerationAction action = known.flatMap(Member::moderationAction).orElse(post.list().defaultNonmemberAction());
        String who = senders.isEmpty() ? "the sender" : senders.get(0).asString();
        return action == ModerationAction.DEFER ? RuleResult.miss()
            : RuleResult.hit(who + " is not a member of " + post.list().address().asString() + " (nonmember action "
                + action.value() + ")", action);
    }
}
