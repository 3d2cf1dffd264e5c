package org.listkeeper.bounces;

import java.util.Locale;

/**
 * Why delivery to a recipient failed, as far as it says anything about the recipient's mailbox. Only a mailbox that
 * does not exist (and one that stays full for days) counts against a member: a provider that refuses the list's mail
 * for spam, reputation or authentication, a message refused for its size or content, and a delay say nothing about
 * whether the member's address works.
 */
public enum BounceClass {
    /** The address does not exist or is disabled ({@code 5.1.1}, {@code 5.1.10}, {@code 5.2.1}, {@code 5.1.2}, {@code 5.4.4}). */
    MAILBOX(true),
    /** Over quota ({@code 5.2.2}, {@code 4.2.2}): counted only when it persists over several days. */
    FULL(true),
    /** Spam, reputation, content or authentication policy ({@code 5.7.x}, block texts): never counted. */
    POLICY(false),
    /** The message itself was refused ({@code 5.3.4} too large, {@code 5.6.x} content): never counted. */
    MESSAGE(false),
    /** A delay, or a {@code 4.x.x} failure: never counted. */
    TRANSIENT(false);

    private final boolean scored;

    BounceClass(boolean scored) {
        this.scored = scored;
    }

    /** Whether this class can count against the member's bounce score at all ({@link #FULL} only after days). */
    public boolean scored() {
        return scored;
    }

    /** The lower-case name used in REST, metrics and the store. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static BounceClass ofLabel(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}
