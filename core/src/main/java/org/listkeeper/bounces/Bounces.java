package org.listkeeper.bounces;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.apache.james.core.MailAddress;
import org.listkeeper.Transactions;
import org.listkeeper.list.DisabledBy;
import org.listkeeper.list.Delivery;
import org.listkeeper.list.ListChanges;
import org.listkeeper.list.MailingList;
import org.listkeeper.list.Member;
import org.listkeeper.list.Role;
import org.listkeeper.list.Roster;
import org.listkeeper.list.VerpMode;
import org.listkeeper.notices.Notice;
import org.listkeeper.notices.NoticeKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounce scores, as GNU Mailman keeps them: at most one point per member and day, forgotten after
 * {@code bounceScoreDecay} without a bounce. At {@code bounceScoreThreshold} the member's delivery is disabled
 * ({@code by bounce}) and a warning goes out; each warning is also a probe, sent from the member's VERP address.
 * A warning that is not bounced within {@code bounceProbeGrace} switches delivery back on; after the last of
 * {@code bounceWarnings} warnings an address that still bounces is removed, and the owners are told.
 */
public final class Bounces {
    private static final Logger LOGGER = LoggerFactory.getLogger(Bounces.class);
    /** How long the bounce log (summaries, block detection) is kept. */
    static final java.time.Duration LOG_KEPT = java.time.Duration.ofDays(30);
    /** How long a domain must refuse no member for policy before its block event closes by itself. */
    static final java.time.Duration BLOCK_QUIET = java.time.Duration.ofDays(3);

    private final Roster roster;
    private final BounceRecords bounceRecords;
    private final Transactions transactions;
    private final Clock clock;

    public Bounces(Roster roster, BounceRecords bounceRecords, Transactions transactions, Clock clock) {
        this.roster = Objects.requireNonNull(roster);
        this.bounceRecords = Objects.requireNonNull(bounceRecords);
        this.transactions = Objects.requireNonNull(transactions);
        this.clock = Objects.requireNonNull(clock);
    }

    /** What recording one bounce did: whether it counted against the member, and the notices to send. */
    public static final class Outcome {
        private final boolean member;
        private final boolean scored;
        private final List<Notice> notices;

        Outcome(boolean member, boolean scored, List<Notice> notices) {
            this.member = member;
            this.scored = scored;
            this.notices = List.copyOf(notices);
        }

        /** Whether the address is a roster entry that receives posts (only those are recorded). */
        public boolean member() {
            return member;
        }

        public boolean scored() {
            return scored;
        }

        /** The warning to send when this bounce disabled the member. */
        public List<Notice> notices() {
            return notices;
        }
    }

    /** Counts one mailbox failure of {@code address}; answers the warning to send when this one disabled the member. */
    public List<Notice> record(MailingList list, MailAddress address) {
        return record(list, address, BounceClass.MAILBOX, null).notices();
    }

    /**
     * Records one bounce of {@code address} of class {@code bounceClass} with the receiving server's {@code reply}: kept
     * as the member's last bounce; a mailbox failure is scored, a full mailbox only once it was reported full on
     * {@code bounceFullDays} distinct days, any other class never.
     */
    public Outcome record(MailingList list, MailAddress address, BounceClass bounceClass, String reply) {
        Instant now = clock.instant();
        return transactions.atomically(() -> {
            Optional<Member> member = roster.findMember(list.id(), address);
            Optional<BounceState> state = bounceRecords.bounceState(list.id(), address);
            Optional<BounceDetail> detail = bounceRecords.bounceDetail(list.id(), address);
            if (member.isEmpty() || state.isEmpty() || detail.isEmpty() || !member.get().role().receivesPosts()) {
                return new Outcome(false, false, List.of());
            }
            long today = day(now);
            int fullDays = detail.get().fullDays();
            Instant lastFullAt = detail.get().lastFullAt().orElse(null);
            if (bounceClass == BounceClass.FULL) {
                boolean sameDay = lastFullAt != null && day(lastFullAt) == today;
                boolean stale = lastFullAt == null || lastFullAt.plus(list.bounceScoreDecay()).isBefore(now);
                fullDays = sameDay ? fullDays : stale ? 1 : fullDays + 1;
                lastFullAt = now;
            }
            bounceRecords.saveBounceDetail(list.id(), address, BounceDetail.of(bounceClass, reply, now, fullDays, lastFullAt));
            boolean scores = bounceClass == BounceClass.MAILBOX || bounceClass == BounceClass.FULL && fullDays >= list.bounceFullDays();
            if (!scores) {
                LOGGER.info("Bounce of {} on {}: {}{}, not counted", address.asString(), list.address().asString(), bounceClass.label(),
                    bounceClass == BounceClass.FULL ? " (" + fullDays + " of " + list.bounceFullDays() + " days)" : "");
                return new Outcome(true, false, List.of());
            }
            BounceState current = state.get();
            boolean sameDay = current.lastBounceAt().map(last -> day(last) == today).orElse(false);
            boolean stale = current.lastBounceAt().map(last -> last.plus(list.bounceScoreDecay()).isBefore(now)).orElse(true);
            int score = sameDay ? current.score() : stale ? 1 : current.score() + 1;
            BounceState next = BounceState.of(score, now, current.warnings(), current.lastWarningAt().orElse(null));
            LOGGER.info("Bounce of {} on {}: {}, score {}{}", address.asString(), list.address().asString(), bounceClass.label(), score,
                sameDay ? " (already counted today)" : "");
            if (member.get().delivery() == Delivery.ENABLED && score >= list.bounceScoreThreshold()) {
                roster.saveMember(list.id(), member.get().toBuilder().delivery(Delivery.DISABLED).disabledBy(DisabledBy.BOUNCE).build());
                bounceRecords.saveBounceState(list.id(), address, BounceState.of(score, now, 1, now));
                LOGGER.info("Delivery to {} on {} disabled by bounces (score {})", address.asString(), list.address().asString(), score);
                return new Outcome(true, !sameDay, List.of(warning(list, address, 1, score)));
            }
            bounceRecords.saveBounceState(list.id(), address, next);
            return new Outcome(true, !sameDay, List.of());
        });
    }

    /**
     * After a policy refusal at {@code domain}: when the domain refused at least {@code bounceBlockMembers} distinct
     * members within {@code bounceBlockWindow} and no event is open for it, opens a block event and answers the one
     * notice to the owners (only the bounce that opens the event gets it, on whichever node).
     */
    public Optional<Notice> detectBlock(MailingList list, String domain, String reply) {
        Instant now = clock.instant();
        Instant since = now.minus(list.bounceBlockWindow());
        int refused = bounceRecords.policyRefusals(list.id(), domain, since);
        if (refused < list.bounceBlockMembers()) {
            return Optional.empty();
        }
        Optional<BlockEvent> opened = bounceRecords.openBlock(list.id(), domain, since, now, reply);
        if (opened.isEmpty()) {
            return Optional.empty();
        }
        LOGGER.warn("Block event on {}: {} refused {} members for policy within {} ({})", list.address().asString(), domain, refused,
            list.bounceBlockWindow(), reply);
        return Optional.of(Notice.toModerator(list.ownerAddress(), NoticeKind.BOUNCE_BLOCK, Map.of("domain", domain, "members",
            String.valueOf(refused), "reply", reply == null ? "" : reply, "window", list.setting(ListChanges.Setting.BOUNCE_BLOCK_WINDOW).orElse("1h"))));
    }

    /**
     * Hourly work: forgets old scores; for members disabled by bounces, re-enables those whose last warning was not
     * bounced within the grace, warns again after the interval, removes those past the last warning. Answers the
     * notices to send (warnings go out as probes, from the member's VERP address).
     */
    public List<Notice> housekeeping(MailingList list) {
        Instant now = clock.instant();
        bounceRecords.forgetBouncesBefore(list.id(), now.minus(list.bounceScoreDecay()));
        bounceRecords.forgetBounceLogBefore(list.id(), now.minus(LOG_KEPT));
        // a block nobody saw lifted (no delivery reported it, as in a James without Listkeeper's queues) ends once the
        // domain has refused no one for a while
        for (BlockEvent event : bounceRecords.blocks(list.id(), true, 100)) {
            if (bounceRecords.policyRefusals(list.id(), event.domain(), now.minus(BLOCK_QUIET)) == 0
                && bounceRecords.closeBlock(list.id(), event.id(), now, "expired")) {
                LOGGER.info("Block event of {} on {} closed: no policy refusal for {}", event.domain(), list.address().asString(),
                    BLOCK_QUIET);
            }
        }
        List<Notice> notices = new ArrayList<>();
        for (Member member : bounceRecords.disabledByBounce(list.id())) {
            MailAddress address = member.address();
            BounceState state = bounceRecords.bounceState(list.id(), address).orElse(BounceState.clean());
            Instant warned = state.lastWarningAt().orElse(Instant.EPOCH);
            boolean bouncedSinceWarning = state.lastBounceAt().map(last -> last.isAfter(warned)).orElse(false);
            if (!bouncedSinceWarning && !warned.plus(list.bounceProbeGrace()).isAfter(now)) {
                roster.saveMember(list.id(), member.toBuilder().delivery(Delivery.ENABLED).build());
                bounceRecords.saveBounceState(list.id(), address, BounceState.clean());
                LOGGER.info("Delivery to {} on {} enabled again: the probe of {} was not bounced", address.asString(),
                    list.address().asString(), warned);
            } else if (!warned.plus(list.bounceWarningInterval()).isAfter(now)) {
                if (state.warnings() < list.bounceWarnings()) {
                    int warning = state.warnings() + 1;
                    bounceRecords.saveBounceState(list.id(), address, BounceState.of(state.score(), state.lastBounceAt().orElse(null), warning, now));
                    notices.add(warning(list, address, warning, state.score()));
                } else {
                    roster.removeMember(list.id(), address);
                    LOGGER.info("{} removed from {} after {} bounce warnings", address.asString(), list.address().asString(),
                        state.warnings());
                    for (Member owner : roster.members(list.id(), Optional.of(Role.OWNER), 0, 100)) {
                        notices.add(Notice.toModerator(owner.address(), NoticeKind.BOUNCE_REMOVED, Map.of("address", address.asString(),
                            "score", String.valueOf(state.score()))));
                    }
                }
            }
        }
        return notices;
    }

    /** A warning is a probe: from the member's VERP address when the list uses VERP, so its bounce names them. */
    private Notice warning(MailingList list, MailAddress address, int warning, int score) {
        Notice notice = Notice.toModerator(address, NoticeKind.BOUNCE_WARNING, Map.of("address", address.asString(), "warning",
            String.valueOf(warning), "warnings", String.valueOf(Math.max(warning, list.bounceWarnings())), "score",
            String.valueOf(score)));
        boolean verp = list.verp() != VerpMode.OFF || list.verpEveryPost();
        return verp ? notice.from(Verp.envelope(bounceRecords, list, address, clock.instant())) : notice;
    }

    private static long day(Instant instant) {
        return instant.atZone(ZoneOffset.UTC).toLocalDate().toEpochDay();
    }
}
