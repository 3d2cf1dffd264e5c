package org.listkeeper.moderation;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** A post that waits (or waited) for a moderator, as the list store records it. */
public final class HeldPost {
    private final long id;
    private final long listId;
    private final String postKey;
    private final String mailKey;
    private final String sender;
    private final String subject;
    private final String reasons;
    private final Instant heldAt;
    private final Instant expiresAt;
    private final HeldState state;
    private final String decidedBy;
    private final Instant decidedAt;

    private HeldPost(long id, long listId, String postKey, String mailKey, String sender, String subject, String reasons,
                     Instant heldAt, Instant expiresAt, HeldState state, String decidedBy, Instant decidedAt) {
        this.id = id;
        this.listId = listId;
        this.postKey = Objects.requireNonNull(postKey);
        this.mailKey = Objects.requireNonNull(mailKey);
        this.sender = sender;
        this.subject = subject;
        this.reasons = Objects.requireNonNull(reasons);
        this.heldAt = Objects.requireNonNull(heldAt);
        this.expiresAt = Objects.requireNonNull(expiresAt);
        this.state = Objects.requireNonNull(state);
        this.decidedBy = decidedBy;
        this.decidedAt = decidedAt;
    }

    public static HeldPost of(long id, long listId, String postKey, String mailKey, String sender, String subject, String reasons,
                              Instant heldAt, Instant expiresAt, HeldState state, String decidedBy, Instant decidedAt) {
        return new HeldPost(id, listId, postKey, mailKey, sender, subject, reasons, heldAt, expiresAt, state, decidedBy, decidedAt);
    }

    public long id() {
        return id;
    }

    public long listId() {
        return listId;
    }

    public String postKey() {
        return postKey;
    }

    /** Where the hold queue keeps the mail. */
    public String mailKey() {
        return mailKey;
    }

    public Optional<String> sender() {
        return Optional.ofNullable(sender);
    }

    public Optional<String> subject() {
        return Optional.ofNullable(subject);
    }

    /** Why it was held, for moderators. */
    public String reasons() {
        return reasons;
    }

    public Instant heldAt() {
        return heldAt;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    public HeldState state() {
        return state;
    }

    public Optional<String> decidedBy() {
        return Optional.ofNullable(decidedBy);
    }

    public Optional<Instant> decidedAt() {
        return Optional.ofNullable(decidedAt);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HeldPost && ((HeldPost) o).id == id && ((HeldPost) o).state == state;
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, state);
    }

    @Override
    public String toString() {
        return "HeldPost{#" + id + " " + state.value() + " " + reasons + "}";
    }
}
