package org.listkeeper.moderation;

import java.time.Instant;
import java.util.Optional;
import org.listkeeper.list.ModerationAction;

/** The moderation chain's decision on each post, recorded once so that a replay acts on it again. */
public interface ModerationRecords {

    /** The moderation chain's recorded decision on a post, if it made one. */
    Optional<ModerationRecord> moderation(long listId, String postKey);

    /**
     * Records the chain's decision on a post unless one is recorded; answers the recorded one (the earlier, when
     * two runs of the same post race).
     */
    ModerationRecord recordModeration(long listId, String postKey, ModerationAction action, String rule, String reason, Instant now);

    /** Marks the notices of a post's decision as sent: true for the one caller that does so. */
    boolean markModerationNotified(long listId, String postKey);
}
