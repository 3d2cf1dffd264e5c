package org.listkeeper.unsubscribe;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import org.apache.james.core.MailAddress;

/** The per-member tokens of RFC 8058 one-click unsubscribe links. */
public interface UnsubscribeTokens {

    /**
     * The one-click unsubscribe token of each of {@code members} (address key → token), issuing one to those without,
     * in one transaction.
     */
    Map<String, String> unsubscribeTokens(long listId, Collection<MailAddress> members, Instant now);

    /** The list and member a token was issued to, while that address is still on the list's roster. */
    Optional<UnsubscribeTarget> unsubscribeTarget(String token);

    /** Withdraws a member's token: the links already sent stop working, the next copy carries a new one. */
    boolean revokeUnsubscribeToken(long listId, MailAddress address);
}
