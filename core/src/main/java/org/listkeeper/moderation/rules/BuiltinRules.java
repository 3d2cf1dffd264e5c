package org.listkeeper.moderation.rules;

import java.util.List;

import org.listkeeper.list.AddressPatterns;
import org.listkeeper.list.Roster;
import org.listkeeper.moderation.Rule;

/** The rules Listkeeper ships, as in GNU Mailman 3's default posting chain. Names are configuration API. */
public final class BuiltinRules {
    /** Every built-in rule's name, in the order of the default chain; names are configuration API: add, never rename. */
    public static final List<String> NAMES = List.of("approved", "emergency", "loop", "banned-address", "member-moderation",
        "nonmember-moderation", "administrivia", "implicit-destination", "max-recipients", "max-size", "no-subject",
        "suspicious-header");

    private BuiltinRules() {
    }

    /**
     * A fresh set of the built-in rules, in the order of the default chain: the roster rules read {@code roster}, and
     * {@code banned-address} bans {@code globalBans} from every list of the site as well as each list's own.
     */
    public static List<Rule> create(Roster roster, AddressPatterns globalBans) {
        return List.of(new Approved(), new Emergency(), new Loop(), new BannedAddress(globalBans), new MemberModeration(roster),
            new NonmemberModeration(roster), new Administrivia(), new ImplicitDestination(), new MaxRecipients(), new MaxSize(),
            new NoSubject(), new SuspiciousHeader());
    }
}
