package org.listkeeper.parking;

import java.util.List;
import java.util.Optional;

import org.apache.james.core.MailAddress;

/**
 * The posts of a list that wait for an operator, wherever the host keeps them (a James mail repository).
 * A replay sends the post back into the list pipeline, where it resumes at the handler that failed; it
 * leaves the parking place only once it is durably queued again.
 */
public interface ParkedPosts {
    /** The list's parked posts, oldest first. */
    List<ParkedPost> list(MailAddress list);

    Optional<ParkedPost> get(MailAddress list, String id);

    /** Queues the post again; false when there is no such parked post of that list. */
    boolean replay(MailAddress list, String id);

    /** Drops the post for good; false when there is no such parked post of that list. */
    boolean discard(MailAddress list, String id);
}
