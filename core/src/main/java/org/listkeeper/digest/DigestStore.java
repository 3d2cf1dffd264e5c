package org.listkeeper.digest;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where digest issues and their posts are kept. A post is in at most one issue; a list has at most one open issue.
 * Every change is one transaction, so a crash leaves an issue either with a post or without it, open or closed.
 */
public interface DigestStore {

    /**
     * Adds the post to the list's open issue (opening one, numbered on from the last, when there is none) and closes
     * that issue when its size reaches {@code threshold}. A post already in an issue is not added again: the answer
     * names that issue, so a replay finds where its post went.
     */
    Addition add(long listId, DigestEntry entry, OptionalLong threshold, Instant now);

    /** The list's open issue, if it has one. */
    Optional<DigestIssue> openIssue(long listId);

    /** Closes the list's open issue when it has posts; empty when there is none or it is empty. */
    Optional<DigestIssue> close(long listId, Instant now);

    Optional<DigestIssue> issue(long listId, long issueId);

    /** The list's issues, newest first. */
    List<DigestIssue> issues(long listId, int limit);

    /** The posts of an issue, in post-number order. */
    List<DigestEntry> entries(long issueId);

    /** Closed issues of the list not yet handed to delivery (a crash came between closing and handing over). */
    List<DigestIssue> closedNotTriggered(long listId);

    /** The issue was handed to the list pipeline for delivery. */
    void markTriggered(long issueId, Instant now);

    /** Every digest member has been handed the issue. */
    void markSent(long issueId, Instant now);

    /** Forgets the posts of issues sent before {@code before} (the issues themselves stay, numbered); answers how many. */
    int purgeSentBefore(Instant before);

    /** What {@link #add} did. */
    final class Addition {
        private final DigestIssue issue;
        private final boolean added;
        private final boolean closed;

        public Addition(DigestIssue issue, boolean added, boolean closed) {
            this.issue = issue;
            this.added = added;
            this.closed = closed;
        }

        /** The issue that holds the post, as it stands after the call. */
        public DigestIssue issue() {
            return issue;
        }

        /** False when the post was already in an issue (a replay). */
        public boolean added() {
            return added;
        }

        /** True when this call closed the issue (its size reached the threshold). */
        public boolean closed() {
            return closed;
        }
    }
}
