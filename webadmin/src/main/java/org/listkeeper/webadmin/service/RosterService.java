package org.listkeeper.webadmin.service;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import javax.inject.Inject;

import org.apache.james.core.MailAddress;
import org.listkeeper.Transactions;
import org.listkeeper.bounces.BounceRecords;
import org.listkeeper.bounces.BlockEvent;
import org.listkeeper.bounces.BounceDetail;
import org.listkeeper.bounces.BounceState;
import org.listkeeper.bounces.BounceSummary;
import org.listkeeper.list.Lists;
import org.listkeeper.list.Member;
import org.listkeeper.list.Role;
import org.listkeeper.list.Roster;
import org.listkeeper.unsubscribe.UnsubscribeTokens;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A list's roster as an administrator reads and changes it. A change to a member and its bounce record is one
 * transaction: either both are written or neither is.
 */
public final class RosterService {
    private static final Logger LOGGER = LoggerFactory.getLogger(RosterService.class);
    /** Entries the CSV export reads from the store at a time. */
    private static final int EXPORT_PAGE = 1000;

    private final Lists lists;
    private final Roster roster;
    private final BounceRecords bounces;
    private final UnsubscribeTokens unsubscribeTokens;
    private final Transactions transactions;

    @Inject
    public RosterService(Lists lists, Roster roster, BounceRecords bounces, UnsubscribeTokens unsubscribeTokens,
                         Transactions transactions) {
        this.lists = Objects.requireNonNull(lists);
        this.roster = Objects.requireNonNull(roster);
        this.bounces = Objects.requireNonNull(bounces);
        this.unsubscribeTokens = Objects.requireNonNull(unsubscribeTokens);
        this.transactions = Objects.requireNonNull(transactions);
    }

    /** One page of a roster, and how many entries the whole roster (of that role) has. */
    public static final class Page {
        private final int total;
        private final List<Member> members;

        private Page(int total, List<Member> members) {
            this.total = total;
            this.members = List.copyOf(members);
        }

        public int total() {
            return total;
        }

        public List<Member> members() {
            return members;
        }
    }

    /** A roster entry with its bounce record. */
    public static final class Entry {
        private final Member member;
        private final BounceState bounces;
        private final BounceDetail detail;

        private Entry(Member member, BounceState bounces, BounceDetail detail) {
            this.member = member;
            this.bounces = bounces;
            this.detail = detail;
        }

        /** The last bounce whatever its class, and the days the mailbox was reported full. */
        public BounceDetail detail() {
            return detail;
        }

        public Member member() {
            return member;
        }

        public BounceState bounces() {
            return bounces;
        }
    }

    /** {@code limit} entries after the first {@code offset}, ordered by address, optionally of one role only. */
    public Page page(MailAddress list, Optional<Role> role, int offset, int limit) {
        long listId = listId(list);
        return new Page(roster.memberCount(listId, role), roster.members(listId, role, offset, limit));
    }

    /** The roster (optionally of one role) as CSV, with a header line. */
    public String csv(MailAddress list, Optional<Role> role) {
        long listId = listId(list);
        StringBuilder out = new StringBuilder();
        RosterCsv csv = RosterCsv.export(out);
        for (int offset = 0; ; offset += EXPORT_PAGE) {
            List<Member> page = roster.members(listId, role, offset, EXPORT_PAGE);
            page.forEach(csv::print);
            if (page.size() < EXPORT_PAGE) {
                return out.toString();
            }
        }
    }

    /** The entry of {@code address}; {@link NoSuchMemberException} when it is not on the roster. */
    public Entry member(MailAddress list, MailAddress address) {
        long listId = listId(list);
        Member member = roster.findMember(listId, address).orElseThrow(() -> new NoSuchMemberException(list, address));
        return new Entry(member, bounces.bounceState(listId, address).orElse(BounceState.clean()),
            bounces.bounceDetail(listId, address).orElse(BounceDetail.none()));
    }

    /** What {@code GET /lists/{list}/bounces} shows: bounces since {@code since} by class and domain, and block events. */
    public BounceOverview bounces(MailAddress list, Instant since) {
        long listId = listId(list);
        return new BounceOverview(since, bounces.bounceSummary(listId, since), bounces.blocks(listId, false, 50));
    }

    /** Closes an open block event of the list by hand; false when there is no such open event. */
    public boolean closeBlock(MailAddress list, long id, Instant now) {
        return bounces.closeBlock(listId(list), id, now, "owner");
    }

    /** Bounces of a list by class and domain since a time, with its block events. */
    public static final class BounceOverview {
        private final Instant since;
        private final List<BounceSummary> summary;
        private final List<BlockEvent> blocks;

        BounceOverview(Instant since, List<BounceSummary> summary, List<BlockEvent> blocks) {
            this.since = since;
            this.summary = List.copyOf(summary);
            this.blocks = List.copyOf(blocks);
        }

        public Instant since() {
            return since;
        }

        public List<BounceSummary> summary() {
            return summary;
        }

        public List<BlockEvent> blocks() {
            return blocks;
        }
    }

    /** Adds {@code address} with {@code changes} made to the default options, or changes its entry when it has one. */
    public void put(MailAddress list, MailAddress address, MemberChanges changes) {
        transactions.atomically(() -> {
            long listId = listId(list);
            save(listId, roster.findMember(listId, address).orElseGet(() -> Member.of(address)), changes);
            return null;
        });
    }

    /** Changes the entry of {@code address}; {@link NoSuchMemberException} when it is not on the roster. */
    public void patch(MailAddress list, MailAddress address, MemberChanges changes) {
        transactions.atomically(() -> {
            long listId = listId(list);
            save(listId, roster.findMember(listId, address).orElseThrow(() -> new NoSuchMemberException(list, address)), changes);
            return null;
        });
    }

    private void save(long listId, Member existing, MemberChanges changes) {
        Member changed = changes.applyTo(existing);
        roster.saveMember(listId, changed);
        if (changes.resetsBounceRecord()) {
            // the score starts again, and so do the warnings
            bounces.saveBounceState(listId, changed.address(), BounceState.clean());
            bounces.saveBounceDetail(listId, changed.address(), BounceDetail.none());
        }
    }

    /** Takes {@code address} off the roster, if it is on it. */
    public void remove(MailAddress list, MailAddress address) {
        roster.removeMember(listId(list), address);
    }

    /** Makes the member's one-click links already sent stop working; the next copy carries a new one. */
    public void revokeUnsubscribeToken(MailAddress list, MailAddress address) {
        long listId = listId(list);
        roster.findMember(listId, address).orElseThrow(() -> new NoSuchMemberException(list, address));
        unsubscribeTokens.revokeUnsubscribeToken(listId, address);
        LOGGER.info("Unsubscribe token of {} on {} revoked", address.asString(), list.asString());
    }

    private long listId(MailAddress list) {
        return lists.getList(list).id();
    }
}
