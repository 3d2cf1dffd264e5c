package org.listkeeper.membership;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import org.apache.james.core.MailAddress;
import org.listkeeper.list.DigestMode;

/** A request to join or leave a list that waits for a confirmation or an approval. */
public final class PendingRequest {
    private final long id;
    private final long listId;
    private final RequestAction action;
    private final MailAddress address;
    private final String displayName;
    private final DigestMode digest;
    private final RequestState state;
    private final String requestedBy;
    private final Instant createdAt;
    private final Instant expiresAt;
    private final Instant decidedAt;
    private final String decidedBy;

    private PendingRequest(long id, long listId, RequestAction action, MailAddress address, String displayName, DigestMode digest,
                           RequestState state, String requestedBy, Instant createdAt, Instant expiresAt, Instant decidedAt,
                           String decidedBy) {
        this.id = id;
        this.listId = listId;
        this.action = Objects.requireNonNull(action);
        this.address = Objects.requireNonNull(address);
        this.displayName = displayName;
        this.digest = digest;
        this.state = Objects.requireNonNull(state);
        this.requestedBy = requestedBy;
        this.createdAt = Objects.requireNonNull(createdAt);
        this.expiresAt = Objects.requireNonNull(expiresAt);
        this.decidedAt = decidedAt;
        this.decidedBy = decidedBy;
    }

    public static PendingRequest of(long id, long listId, RequestAction action, MailAddress address, String displayName,
                                    DigestMode digest, RequestState state, String requestedBy, Instant createdAt, Instant expiresAt,
                                    Instant decidedAt, String decidedBy) {
        return new PendingRequest(id, listId, action, address, displayName, digest, state, requestedBy, createdAt, expiresAt,
            decidedAt, decidedBy);
    }

    public long id() {
        return id;
    }

    public long listId() {
        return listId;
    }

    public RequestAction action() {
        return action;
    }

    public MailAddress address() {
        return address;
    }

    public Optional<String> displayName() {
        return Optional.ofNullable(displayName);
    }

    public Optional<DigestMode> digest() {
        return Optional.ofNullable(digest);
    }

    public RequestState state() {
        return state;
    }

    /** Who asked: the sender of the request mail, {@code admin} or {@code import}. */
    public Optional<String> requestedBy() {
        return Optional.ofNullable(requestedBy);
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    public Optional<Instant> decidedAt() {
        return Optional.ofNullable(decidedAt);
    }

    public Optional<String> decidedBy() {
        return Optional.ofNullable(decidedBy);
    }

    /** Open and not yet expired at {@code now}. */
    public boolean isOpenAt(Instant now) {
        return state.open() && expiresAt.isAfter(now);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof PendingRequest)) {
            return false;
        }
        PendingRequest other = (PendingRequest) o;
        return id == other.id && listId == other.listId && state == other.state && action == other.action
            && address.equals(other.address) && Objects.equals(decidedAt, other.decidedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, listId, state);
    }

    @Override
    public String toString() {
        return "PendingRequest{#" + id + " " + action.value() + " " + address.asString() + " " + state.value() + "}";
    }
}
