package org.listkeeper.membership;

import java.time.Instant;
import java.util.Optional;

/** Confirmation and approval tokens, kept only as hashes, each usable once. */
public interface ConfirmationTokens {

    /** Records a token bound to a request or (a moderator's) to a held post. */
    void saveToken(String tokenHash, long listId, TokenAction action, String addressKey, Optional<Long> requestId,
                   Optional<Long> heldId, Instant now, Instant expiresAt);

    Optional<TokenRecord> findToken(String tokenHash);

    /**
     * Uses a token once: true when this call used it, or when {@code usedBy} already had (a replay of the same
     * request mail); false when someone else used it first.
     */
    boolean useToken(String tokenHash, String usedBy, Instant now);

    /** Drops tokens that expired before {@code before}; returns how many. */
    int purgeTokensBefore(Instant before);
}
