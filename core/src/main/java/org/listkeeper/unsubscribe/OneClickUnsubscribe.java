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
import org.listkeeper.store.ListStore;
import org.listkeeper.store.UnsubscribeTarget;
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

    private final ListStore store;

    public OneClickUnsubscribe(ListStore store) {
        this.store = Objects.requireNonNull(store);
    }

    /** The list a valid token belongs to, for the confirmation page; empty for an unknown, used or malformed token. */
    public Optional<MailingList> listOf(String token) {
        return target(token).flatMap(target -> store.findList(target.list()));
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
        return store.atomically(() -> {
            Optional<Member> member = store.findMember(target.list(), target.member());
            Optional<MailingList> list = store.findList(target.list());
            if (member.isEmpty() || list.isEmpty()) {
                return Optional.<Unsubscribed>empty();
            }
            if (member.get().role() == Role.MEMBER || member.get().role() == Role.NONMEMBER) {
                store.removeMember(target.list(), target.member());
                LOGGER.info("{} left {} by one-click unsubscribe", target.member().asString(), target.list().asString());
                return Optional.of(new Unsubscribed(list.get(), List.of(Notice.to(target.member(), NoticeKind.GOODBYE,
                    Map.of("address", target.member().asString())))));
            }
            store.saveMember(target.list(), member.get().toBuilder().delivery(Delivery.DISABLED).disabledBy(DisabledBy.USER).build());
            store.revokeUnsubscribeToken(target.listId(), target.member());
            LOGGER.info("{} ({} of {}) stopped receiving posts by one-click unsubscribe", target.member().asString(),
                member.get().role().value(), target.list().asString());
            return Optional.of(new Unsubscribed(list.get(), List.of()));
        });
    }

    private Optional<UnsubscribeTarget> target(String token) {
        if (!Tokens.looksLikeToken(token)) {
            return Optional.empty();
        }
        return store.unsubscribeTarget(token);
    }
}
