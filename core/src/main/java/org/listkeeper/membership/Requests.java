package org.listkeeper.membership;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.james.core.MailAddress;
import org.listkeeper.list.Member;

/** Requests to join or leave that wait for a confirmation or a moderator. */
public interface Requests {

    /** Records a new request; its id is assigned here. */
    PendingRequest createRequest(long listId, RequestAction action, Member subject, RequestState state, String requestedBy,
                                 Instant now, Instant expiresAt);

    Optional<PendingRequest> findRequest(long listId, long requestId);

    /** The open, unexpired request of {@code address} for {@code action}, if any (the newest). */
    Optional<PendingRequest> openRequest(long listId, RequestAction action, MailAddress address, Instant now);

    /** Every open, unexpired request of the list, oldest first. */
    List<PendingRequest> openRequests(long listId, Instant now);

    /**
     * Moves a request from {@code from} to {@code to} when it is still in {@code from}: true for the one caller
     * that made the move, false for every other (it was handled meanwhile).
     */
    boolean moveRequest(long requestId, RequestState from, RequestState to, String decidedBy, Instant now);

    /** Marks open requests past their expiry as expired; returns how many. */
    int expireRequests(Instant now);
}
