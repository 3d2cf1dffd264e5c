package org.listkeeper.unsubscribe;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.listkeeper.list.Delivery;
import org.listkeeper.list.DisabledBy;
import org.listkeeper.list.MailingList;
import org.listkeeper.list.Member;
import org.listkeeper.list.Role;
import org.listkeeper.membership.Tokens;
import org.listkeeper.notices.Notice;
import org.listkeeper.notices.NoticeKind;
import org.listkeeper.Transactions;
import org.listkeeper.list.Lists;
import org.listkeeper.list.Roster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a one-click unsubscribe link does. A member leaves the list at once, whatever the list's unsubscription
 * policy (RFC 8058: the receiver's one click is the confirmation) and gets the list's goodbye notice, so that a
 * member whose link was used by someone else (a forwarded or quoted copy) learns of it and can join again; an owner
 * or moderator stays in that role and only stops receiving posts. The token dies with the membership, so a second
 * use finds nothing, and answers the same as an unknown token.
 */
public final class OneClickUnsubscribe {
    private static final Logger LOGGER = LoggerFactory.getLogger(OneClickUnsubscribe.class);

    private final Lists lists;
    private final Roster roster;
    private final UnsubscribeTokens unsubscribeTokens;
    private final Transactions transactions;

    public OneClickUnsubscribe(Lists lists, Roster roster, UnsubscribeTokens unsubscribeTokens, Transactions transactions) {
        this.lists = Objects.requireNonNull(lists);
        this.roster = Objects.requireNonNull(roster);
        this.unsubscribeTokens = Objects.requireNonNull(unsubscribeTokens);
        this.transactions = Objects.requireNonNull(transactions);
    }

    /** The list a valid token belongs to, for the confirmation page; empty for an unknown, used or malformed token. */
    public Optional<MailingList> listOf(String token) {
        return target(token).flatMap(target -> lists.findList(target.list()));
    }

    /** What a one-click unsubscribe did: on which list, and the notices to send about it. */
    public static final class Unsubscribed {
        private final MailingList list;
        private final List<Notice> notices;

        Unsubscribed(MailingList list, List<Notice> notices) {
            this.list = list;
            this.notices = List.copyOf(notices);
        }

        public MailingList list() {
            return list;
        }

        public List<Notice> notices() {
            return notices;
        }
    }

    /** Unsubscribes the member the token stands for; empty when the token is unknown, used or malformed. */
    public Optional<Unsubscribed> unsubscribe(String token) {
        Optional<UnsubscribeTarget> found = target(token);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        UnsubscribeTarget target = found.get();
        return transactions.atomically(() -> {
            Optional<Member> member = roster.findMember(target.listId(), target.member());
            Optional<MailingList> list = lists.findList(target.list());
            if (member.isEmpty() || list.isEmpty()) {
                return Optional.<Unsubscribed>empty();
            }
            if (member.get().role() == Role.MEMBER || member.get().role() == Role.NONMEMBER) {
                roster.removeMember(target.listId(), target.member());
                LOGGER.info("{} left {} by one-click unsubscribe", target.member().asString(), target.list().asString());
                return Optional.of(new Unsubscribed(list.get(), List.of(Notice.to(target.member(), NoticeKind.GOODBYE,
                    Map.of("address", target.member().asString())))));
            }
            roster.saveMember(target.listId(), member.get().toBuilder().delivery(Delivery.DISABLED).disabledBy(DisabledBy.USER).build());
            unsubscribeTokens.revokeUnsubscribeToken(target.listId(), target.member());
            LOGGER.info("{} ({} of {}) stopped receiving posts by one-click unsubscribe", target.member().asString(),
                member.get().role().value(), target.list().asString());
            return Optional.of(new Unsubscribed(list.get(), List.of()));
        });
    }

    private Optional<UnsubscribeTarget> target(String token) {
        if (!Tokens.looksLikeToken(token)) {
            return Optional.empty();
        }
        return unsubscribeTokens.unsubscribeTarget(token);
    }
}
