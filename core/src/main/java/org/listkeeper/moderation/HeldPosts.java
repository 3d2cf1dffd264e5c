package org.listkeeper.moderation;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The records of posts waiting for a moderator (the posts themselves wait in the {@link HoldQueue}). */
public interface HeldPosts {

    /** Records a held post unless the same post is recorded; answers the record. */
    HeldPost holdPost(long listId, String postKey, String mailKey, String sender, String subject, String reasons, Instant now,
                      Instant expiresAt);

    Optional<HeldPost> findHeld(long listId, long heldId);

    /** The list's held posts held since {@code since} (decided ones too), oldest first. */
    List<HeldPost> heldPosts(long listId, Instant since);

    /** Decides a held post when it is still in {@code from}: true for the one caller that did. */
    boolean decideHeld(long heldId, HeldState from, HeldState to, String decidedBy, String note, Instant now);

    /** Marks a held post's notices as sent: true for the one caller that does so. */
    boolean markHeldNotified(long heldId);

    /** Claims the list's daily summary of held posts when none was sent since {@code before}: true for one caller. */
    boolean claimHeldSummary(long listId, Instant before, Instant now);
}
