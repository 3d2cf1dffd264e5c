package org.listkeeper.archive;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A list's archive: each post once, as the members received it, keyed by its post number, with a search index of its
 * words. Adding is idempotent: a post replayed after a crash finds its entry and adds nothing.
 */
public interface Archive {
    /**
     * Adds {@code entry} with its message and words unless the list's archive has an entry of that number; answers
     * whether this call added it.
     */
    boolean add(long listId, ArchiveEntry entry, String messageIdKey, String subjectKey, byte[] message, Set<String> words);

    Optional<ArchiveEntry> find(long listId, long number);

    /** The archived message of an entry; empty when there is none or it was deleted. */
    Optional<byte[]> message(long listId, long number);

    /** The entries {@code query} selects, by number, one page ({@code offset} skipped). */
    List<ArchiveEntry> entries(long listId, ArchiveQuery query, int offset, int limit);

    int count(long listId, ArchiveQuery query);

    /** The thread of the newest entry whose Message-ID key is one of {@code messageIdKeys}. */
    Optional<Long> threadOfMessage(long listId, Collection<String> messageIdKeys);

    /** The thread of the newest entry since {@code since} whose normalised subject is {@code subjectKey}. */
    Optional<Long> threadOfSubject(long listId, String subjectKey, Instant since);

    /** Whether the archive has an entry with this Message-ID key (an import skips those). */
    boolean hasMessage(long listId, String messageIdKey);

    /** Removes an entry's message and words, keeping its number and thread place; false when there is no such entry. */
    boolean delete(long listId, long number);
}
