package org.listkeeper.signin;

import java.time.Instant;
import java.util.Optional;

import org.apache.james.core.MailAddress;

/**
 * The web pages' sign-in links and sessions, in the list store so that every node of a cluster knows them. Only
 * hashes of links and session identifiers are kept: a copy of the store opens no session.
 */
public interface SignIns {
    /** Keeps a new sign-in link for {@code address} (by the hash of its token), usable until {@code expiresAt}. */
    void saveSignInLink(String tokenHash, MailAddress address, Instant createdAt, Instant expiresAt);

    /** Uses the link once: a compare-and-set, so two clicks at the same moment open one session. */
    LinkUse useSignInLink(String tokenHash, Instant now);

    void saveSession(String idHash, MailAddress address, Instant now);

    Optional<WebSession> findSession(String idHash);

    /** Records activity on the session (its idle timeout starts again). */
    void touchSession(String idHash, Instant now);

    void deleteSession(String idHash);

    /** Keeps (or replaces) the hash of {@code address}'s web password. */
    void savePassword(MailAddress address, String hash, Instant now);

    Optional<String> passwordHash(MailAddress address);

    /** Forgets {@code address}'s web password; false when it had none. */
    boolean deletePassword(MailAddress address);

    /** Deletes links used or expired before {@code linksBefore} and sessions idle since {@code idleBefore} or opened before {@code openedBefore}. */
    int purgeSignIns(Instant linksBefore, Instant idleBefore, Instant openedBefore);
}
