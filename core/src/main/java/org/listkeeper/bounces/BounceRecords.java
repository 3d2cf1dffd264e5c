package org.listkeeper.bounces;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.james.core.MailAddress;
import org.listkeeper.list.Member;

/** Each roster entry's bounce record, and the opaque VERP tokens that stand for long addresses. */
public interface BounceRecords {

    /** The bounce record of a roster entry; empty when the address is not on the roster. */
    Optional<BounceState> bounceState(long listId, MailAddress address);

    /** Replaces the bounce record of a roster entry; false when the address is not on the roster. */
    boolean saveBounceState(long listId, MailAddress address, BounceState state);

    /** Roster entries whose delivery bounce processing disabled. */
    List<Member> disabledByBounce(long listId);

    /** Forgets scores of entries whose last bounce is older than {@code before}; returns how many. */
    int forgetBouncesBefore(long listId, Instant before);

    /** The opaque VERP token of a roster entry, made the first time it is asked for. */
    String verpToken(long listId, MailAddress address, Instant now);

    /** The address an opaque VERP token stands for on the list. */
    Optional<String> verpAddress(long listId, String token);
}
