package org.listkeeper.moderation.rules;

import javax.mail.MessagingException;
import org.apache.james.core.MailAddress;
import org.listkeeper.list.Addresses;
import org.listkeeper.list.MailingList;
import org.listkeeper.moderation.Rule;
import org.listkeeper.moderation.RuleInput;
import org.listkeeper.moderation.RuleResult;

public final class ImplicitDestination implements Rule {
    @Override
    public String name() {
        return "implicit-destination";
    }

    @Override
    public String description() {
        return "The list (or an acceptable alias) is not in To or Cc: the post was Bcc'd or forwarded";
    }

    @Override
    public RuleResult check(RuleInput post) throws MessagingException {
        MailingList list = post.list();
        if (!list.requireExplicitDestination()) {
            return RuleResult.miss();
        }
        for (MailAddress destination : Destinations.of(post.mail().getMessage())) {
            if (Addresses.key(destination).equals(Addresses.key(list.address())) || list.acceptableAliases().matches(destination)) {
                return RuleResult.miss();
            }
        }
        return RuleResult.hit(list.address().asString() + " is not among the To and Cc addresses");
    }
}
