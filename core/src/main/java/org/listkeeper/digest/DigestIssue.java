package org.listkeeper.digest;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One issue of a list's digest: its volume and number, the posts gathered so far, and where it stands: open (posts
 * are added), closed (no more posts; waiting to be or being delivered), handed to delivery, sent.
 */
public final class DigestIssue {
    private final long id;
    private final long listId;
    private final int volume;
    private final int number;
    private final Instant openedAt;
    private final Instant closedAt;
    private final Instant triggeredAt;
    private final Instant sentAt;
    private final int posts;
    private final long size;

    private DigestIssue(long id, long listId, int volume, int number, Instant openedAt, Instant closedAt, Instant triggeredAt,
                        Instant sentAt, int posts, long size) {
        this.id = id;
        this.listId = listId;
        this.volume = volume;
        this.number = number;
        this.openedAt = Objects.requireNonNull(openedAt);
        this.closedAt = closedAt;
        this.triggeredAt = triggeredAt;
        this.sentAt = sentAt;
        this.posts = posts;
        this.size = size;
    }

    /** The store's view of an issue; the three instants are null until the issue gets there. */
    public static DigestIssue of(long id, long listId, int volume, int number, Instant openedAt, Instant closedAt,
                                 Instant triggeredAt, Instant sentAt, int posts, long size) {
        return new DigestIssue(id, listId, volume, number, openedAt, closedAt, triggeredAt, sentAt, posts, size);
    }

    /** The store's identity of the issue, increasing with time on every list. */
    public long id() {
        return id;
    }

    public long listId() {
        return listId;
    }

    /** A new volume starts with the first issue of each calendar month (UTC), as Mailman 3 does by default. */
    public int volume() {
        return volume;
    }

    /** The issue's number within its volume, from 1. */
    public int number() {
        return number;
    }

    public Instant openedAt() {
        return openedAt;
    }

    public Optional<Instant> closedAt() {
        return Optional.ofNullable(closedAt);
    }

    /** When the closed issue was handed to the list pipeline for delivery. */
    public Optional<Instant> triggeredAt() {
        return Optional.ofNullable(triggeredAt);
    }

    /** When every digest member had been handed the issue. */
    public Optional<Instant> sentAt() {
        return Optional.ofNullable(sentAt);
    }

    public boolean open() {
        return closedAt == null;
    }

    public int posts() {
        return posts;
    }

    /** The size in bytes of the posts gathered. */
    public long size() {
        return size;
    }

    /** {@code open}, {@code closed}, {@code sending} or {@code sent}. */
    public String state() {
        if (sentAt != null) {
            return "sent";
        }
        if (triggeredAt != null) {
            return "sending";
        }
        return closedAt != null ? "closed" : "open";
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DigestIssue)) {
            return false;
        }
        DigestIssue other = (DigestIssue) o;
        return id == other.id && listId == other.listId && volume == other.volume && number == other.number
            && openedAt.equals(other.openedAt) && Objects.equals(closedAt, other.closedAt)
            && Objects.equals(triggeredAt, other.triggeredAt) && Objects.equals(sentAt, other.sentAt) && posts == other.posts
            && size == other.size;
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, listId, volume, number, openedAt, closedAt, triggeredAt, sentAt, posts, size);
    }

    @Override
    public String toString() {
        return "DigestIssue{#" + id + ", vol " + volume + ", issue " + number + ", " + state() + ", " + posts + " posts, " + size
            + " bytes}";
    }
}
