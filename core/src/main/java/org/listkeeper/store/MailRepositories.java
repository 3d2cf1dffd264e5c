package org.listkeeper.store;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Mail repositories kept in the list store rather than on one node's disk, so that every James node sharing the
 * database sees the same held and parked posts. A repository is named by its URL (at most
 * {@value StoredMail#MAX_KEY_LENGTH} characters) and holds mails by key, as a James mail repository does.
 *
 * <p>Each call is one short transaction (or joins the running {@link org.listkeeper.Transactions#atomically} one) and
 * takes no lock beyond the rows it writes: nodes storing and removing the same keys at once leave one consistent
 * repository, and two stores racing on one new key both succeed, the later one replacing the earlier.</p>
 */
public interface MailRepositories {
    /**
     * Stores {@code mail} under its key, replacing a mail stored under the same key (James's {@code store} semantics);
     * a replaced mail keeps its place in {@link #keys}.
     */
    void store(String repository, StoredMail mail);

    Optional<StoredMail> find(String repository, String key);

    /** The keys of the repository's mails, in the order they were first stored. */
    List<String> keys(String repository);

    long count(String repository);

    /** Removes the mail under {@code key}; false when there was none. */
    boolean remove(String repository, String key);

    /** Removes the mails under {@code keys}, skipping keys with no mail; answers how many were removed. */
    int remove(String repository, Collection<String> keys);

    /** Removes every mail of the repository; answers how many there were. */
    int removeAll(String repository);
}
