package org.listkeeper.membership;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** What the store knows of a token: never the token itself, only its hash and what it is bound to. */
public final class TokenRecord {
    private final long listId;
    private final TokenAction action;
    private final String addressKey;
    private final Long requestId;
    private final Long heldId;
    private final Instant expiresAt;
    private final Instant usedAt;
    private final String usedBy;

    private TokenRecord(long listId, TokenAction action, String addressKey, Long requestId, Long heldId, Instant expiresAt,
                        Instant usedAt, String usedBy) {
        this.listId = listId;
        this.action = Objects.requireNonNull(action);
        this.addressKey = Objects.requireNonNull(addressKey);
        this.requestId = requestId;
        this.heldId = heldId;
        this.expiresAt = Objects.requireNonNull(expiresAt);
        this.usedAt = usedAt;
        this.usedBy = usedBy;
    }

    public static TokenRecord of(long listId, TokenAction action, String addressKey, Long requestId, Long heldId, Instant expiresAt,
                                 Instant usedAt, String usedBy) {
        return new TokenRecord(listId, action, addressKey, requestId, heldId, expiresAt, usedAt, usedBy);
    }

    public long listId() {
        return listId;
    }

    public TokenAction action() {
        return action;
    }

    /** The address the token was sent to (its store key). */
    public String addressKey() {
        return addressKey;
    }

    public Optional<Long> requestId() {
        return Optional.ofNullable(requestId);
    }

    /** The held post a moderator's token decides on. */
    public Optional<Long> heldId() {
        return Optional.ofNullable(heldId);
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    public Optional<Instant> usedAt() {
        return Optional.ofNullable(usedAt);
    }

    /** The key of the request mail (or route call) that used it, so a replay of that same use is recognised. */
    public Optional<String> usedBy() {
        return Optional.ofNullable(usedBy);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TokenRecord)) {
            return false;
        }
        TokenRecord other = (TokenRecord) o;
        return listId == other.listId && action == other.action && addressKey.equals(other.addressKey)
            && Objects.equals(requestId, other.requestId) && Objects.equals(heldId, other.heldId) && expiresAt.equals(other.expiresAt)
            && Objects.equals(usedAt, other.usedAt) && Objects.equals(usedBy, other.usedBy);
    }

    @Override
    public int hashCode() {
        return Objects.hash(listId, action, addressKey, requestId, heldId, expiresAt, usedAt, usedBy);
    }

    @Override
    public String toString() {
        return "TokenRecord{" + action.value() + " for " + addressKey + " on list #" + listId + (usedAt == null ? "" : ", used") + "}";
    }
}
