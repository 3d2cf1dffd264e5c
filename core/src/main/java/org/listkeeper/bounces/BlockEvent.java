package org.listkeeper.bounces;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A receiving domain that refused the list's mail for policy (spam, reputation, authentication) to several members
 * within a short time: the provider blocks the list, the members' mailboxes are fine. Open until a delivery to the
 * domain succeeds or an owner closes it.
 */
public final class BlockEvent {
    private final long id;
    private final long listId;
    private final String domain;
    private final Instant since;
    private final Instant openedAt;
    private final String reply;
    private final int members;
    private final Instant closedAt;
    private final String closedBy;

    public BlockEvent(long id, long listId, String domain, Instant since, Instant openedAt, String reply, int members,
                      Instant closedAt, String closedBy) {
        this.id = id;
        this.listId = listId;
        this.domain = Objects.requireNonNull(domain);
        this.since = Objects.requireNonNull(since);
        this.openedAt = Objects.requireNonNull(openedAt);
        this.reply = reply;
        this.members = members;
        this.closedAt = closedAt;
        this.closedBy = closedBy;
    }

    public long id() {
        return id;
    }

    public long listId() {
        return listId;
    }

    public String domain() {
        return domain;
    }

    /** The first policy rejection the event counts. */
    public Instant since() {
        return since;
    }

    public Instant openedAt() {
        return openedAt;
    }

    /** The reply text of the rejection that opened the event. */
    public Optional<String> reply() {
        return Optional.ofNullable(reply);
    }

    /** Distinct members the domain refused for policy since {@link #since()} (until the event closed). */
    public int members() {
        return members;
    }

    public boolean open() {
        return closedAt == null;
    }

    public Optional<Instant> closedAt() {
        return Optional.ofNullable(closedAt);
    }

    /** {@code delivery} (a delivery to the domain succeeded), {@code owner} (closed over REST) or {@code expired}. */
    public Optional<String> closedBy() {
        return Optional.ofNullable(closedBy);
    }

    @Override
    public String toString() {
        return "BlockEvent{" + domain + ", members=" + members + (open() ? ", open" : ", closed by " + closedBy) + "}";
    }
}
