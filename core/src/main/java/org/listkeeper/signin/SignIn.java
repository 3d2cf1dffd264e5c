package org.listkeeper.signin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import org.apache.james.core.MailAddress;
import org.listkeeper.membership.Tokens;

/**
 * Passwordless sign-in for the web pages: a one-time link mailed to the address (160 random bits, single use, valid
 * {@link #LINK_LIFETIME}, stored hashed), then a session (a random identifier in a cookie, stored hashed) that ends
 * after {@link #IDLE_TIMEOUT} without activity or {@link #ABSOLUTE_TIMEOUT} after signing in, whichever comes first.
 */
public final class SignIn {
    public static final Duration LINK_LIFETIME = Duration.ofMinutes(30);
    public static final Duration IDLE_TIMEOUT = Duration.ofHours(2);
    public static final Duration ABSOLUTE_TIMEOUT = Duration.ofHours(12);
    /** Activity is written at most this often, so that reading a page is not a write each time. */
    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

    private final SignIns store;
    private final Clock clock;

    public SignIn(SignIns store, Clock clock) {
        this.store = Objects.requireNonNull(store);
        this.clock = Objects.requireNonNull(clock);
    }

    /** A new sign-in link token for {@code address}: the caller mails it; only its hash is kept. */
    public String issueLink(MailAddress address) {
        String token = Tokens.generate();
        Instant now = clock.instant();
        store.saveSignInLink(Tokens.hash(token), address, now, now.plus(LINK_LIFETIME));
        return token;
    }

    /** Uses a link's token, once. */
    public LinkUse useLink(String token) {
        if (!Tokens.looksLikeToken(token)) {
            return LinkUse.refused(LinkUse.State.UNKNOWN);
        }
        return store.useSignInLink(Tokens.hash(token), clock.instant());
    }

    /** Opens a session for {@code address}; the identifier goes into the visitor's cookie and nowhere else. */
    public String openSession(MailAddress address) {
        String id = Tokens.generate();
        store.saveSession(Tokens.hash(id), address, clock.instant());
        return id;
    }

    /** The live session of identifier {@code id}; an ended one is deleted and answers empty. */
    public Optional<WebSession> session(String id) {
        if (id == null || !Tokens.looksLikeToken(id)) {
            return Optional.empty();
        }
        String hash = Tokens.hash(id);
        Optional<WebSession> found = store.findSession(hash);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        WebSession session = found.get();
        if (!now.isBefore(session.lastSeenAt().plus(IDLE_TIMEOUT)) || !now.isBefore(session.createdAt().plus(ABSOLUTE_TIMEOUT))) {
            store.deleteSession(hash);
            return Optional.empty();
        }
        if (!now.isBefore(session.lastSeenAt().plus(TOUCH_EVERY))) {
            store.touchSession(hash, now);
        }
        return found;
    }

    public void closeSession(String id) {
        if (id != null && Tokens.looksLikeToken(id)) {
            store.deleteSession(Tokens.hash(id));
        }
    }

    /** The shortest web password accepted. */
    public static final int MIN_PASSWORD = 10;

    /** Sets (or replaces) {@code address}'s optional web password; {@link org.listkeeper.InvalidValueException} when too short. */
    public void setPassword(MailAddress address, String password) {
        if (password == null || password.length() < MIN_PASSWORD || password.length() > 200) {
            throw new org.listkeeper.InvalidValueException("password", "(hidden)", "use " + MIN_PASSWORD + " to 200 characters");
        }
        store.savePassword(address, org.listkeeper.internal.PasswordHash.hash(password), clock.instant());
    }

    public boolean clearPassword(MailAddress address) {
        return store.deletePassword(address);
    }

    public boolean hasPassword(MailAddress address) {
        return store.passwordHash(address).isPresent();
    }

    /** Whether {@code password} is {@code address}'s web password (false when it has none). */
    public boolean checkPassword(MailAddress address, String password) {
        if (password == null || password.isEmpty() || password.length() > 200) {
            return false;
        }
        return store.passwordHash(address).map(hash -> org.listkeeper.internal.PasswordHash.matches(hash, password)).orElse(false);
    }

    /** Forgets ended sessions and links past any use (housekeeping); how many rows went. */
    public int purge() {
        Instant now = clock.instant();
        return store.purgeSignIns(now.minus(Duration.ofDays(1)), now.minus(IDLE_TIMEOUT), now.minus(ABSOLUTE_TIMEOUT));
    }
}
