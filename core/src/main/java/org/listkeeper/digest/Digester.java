package org.listkeeper.digest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import javax.mail.MessagingException;

import org.listkeeper.list.MailingList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers a list's posts into digest issues and hands each closed issue to delivery: closed by size when a post is
 * added, by age in housekeeping, or on an operator's request. Closing is recorded before the hand-over and the
 * hand-over after it, so a crash in between leaves a closed issue that housekeeping hands over later; a second hand-over
 * of one issue is harmless (its delivery is checkpointed and the transport drops repeated batches).
 */
public final class Digester {
    private static final Logger LOGGER = LoggerFactory.getLogger(Digester.class);
    /** How long a closed issue may wait for the hand-over its closer is about to make before housekeeping makes it. */
    static final Duration HAND_OVER_GRACE = Duration.ofMinutes(1);

    private final DigestStore store;
    private final DigestDispatch dispatch;
    private final Clock clock;

    public Digester(DigestStore store, DigestDispatch dispatch, Clock clock) {
        this.store = Objects.requireNonNull(store);
        this.dispatch = Objects.requireNonNull(dispatch);
        this.clock = Objects.requireNonNull(clock);
    }

    /**
     * Adds the post to the list's open issue, and hands the issue over when this post closed it. On a replay (the post
     * is in an issue already) hands over that issue if it was closed and never handed over (a crash in between).
     */
    public DigestStore.Addition add(MailingList list, DigestEntry entry) throws MessagingException {
        DigestStore.Addition addition = store.add(list.id(), entry, list.digestSizeThreshold(), clock.instant());
        DigestIssue issue = addition.issue();
        if (addition.closed() || !addition.added() && !issue.open() && issue.triggeredAt().isEmpty()) {
            handOver(list, issue);
        }
        return addition;
    }

    /** Closes the list's open issue now and hands it over; empty when there is no post to send. */
    public Optional<DigestIssue> sendNow(MailingList list) throws MessagingException {
        Optional<DigestIssue> closed = store.close(list.id(), clock.instant());
        if (closed.isPresent()) {
            handOver(list, closed.get());
        }
        return closed;
    }

    /**
     * The periodic work: closes the open issue when {@code digestInterval} has passed since it opened (or at once when
     * the list no longer has digests, so the posts gathered still reach their readers), and hands over closed issues a
     * crash left behind. Answers the issues handed over.
     */
    public List<DigestIssue> housekeeping(MailingList list) throws MessagingException {
        Instant now = clock.instant();
        List<DigestIssue> handed = new ArrayList<>();
        for (DigestIssue stranded : store.closedNotTriggered(list.id())) {
            if (stranded.closedAt().orElseThrow().isBefore(now.minus(HAND_OVER_GRACE))) {
                LOGGER.warn("Digest issue {} of {} was closed but never handed to delivery; handing it over now", stranded,
                    list.address().asString());
                handOver(list, stranded);
                handed.add(stranded);
            }
        }
        Optional<DigestIssue> open = store.openIssue(list.id()).filter(issue -> issue.posts() > 0);
        if (open.isPresent() && (!list.digestsEnabled() || due(list, open.get(), now))) {
            Optional<DigestIssue> closed = sendNow(list);
            closed.ifPresent(handed::add);
        }
        return handed;
    }

    private static boolean due(MailingList list, DigestIssue issue, Instant now) {
        Optional<Duration> interval = list.digestInterval();
        return interval.isPresent() && !issue.openedAt().plus(interval.get()).isAfter(now);
    }

    private void handOver(MailingList list, DigestIssue issue) throws MessagingException {
        dispatch.dispatch(list, issue);
        store.markTriggered(issue.id(), clock.instant());
        LOGGER.info("Digest {} of {} handed to delivery", issue, list.address().asString());
    }
}
