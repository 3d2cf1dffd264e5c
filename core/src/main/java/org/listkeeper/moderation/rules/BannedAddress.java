package org.listkeeper.moderation.rules;

import java.util.Objects;
import javax.mail.MessagingException;
import org.apache.james.core.MailAddress;
import org.listkeeper.list.AddressPatterns;
import org.listkeeper.moderation.Rule;
import org.listkeeper.moderation.RuleInput;
import org.listkeeper.moderation.RuleResult;
import org.listkeeper.moderation.Senders;

public final class BannedAddress implements Rule {
    private final AddressPatterns globalBans;

    public BannedAddress(AddressPatterns globalBans) {
        this.globalBans = Objects.requireNonNull(globalBans);
    }

    @Override
    public String name() {
        return "banned-address";
    }

    @Override
    public String description() {
        return "The sender is banned from this list or from every list";
    }

    @Override
    public RuleResult check(RuleInput post) throws MessagingException {
        AddressPatterns list = post.list().bannedAddresses();
        AddressPatterns global = globalBans;
        for (MailAddress sender : Senders.of(post.mail())) {
            if (list.matches(sender)) {
                return RuleResult.hit(sender.asString() + " is banned from " + post.list().address().asString());
            }
            if (global.matches(sender)) {
                return RuleResult.hit(sender.asString() + " is banned from every list of this site");
            }
        }
        return RuleResult.miss();
    }
}
