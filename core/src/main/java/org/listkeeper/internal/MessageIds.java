package org.listkeeper.internal;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.listkeeper.internal.Digests;

/** Message-ID reading and, for mail that has none, a deterministic one. */
public final class MessageIds {
    private MessageIds() {
    }

    /** The first Message-ID header, unfolded and trimmed; null when absent or blank. */
    public static String read(MimeMessage message) throws MessagingException {
        String value = message.getHeader("Message-ID", null);
        if (value == null) {
            return null;
        }
        String unfolded = value.replaceAll("\\s+", " ").strip();
        return unfolded.isEmpty() ? null : unfolded;
    }

    /**
     * Gives {@code message} a Message-ID derived from {@code seed} if it has none, so that a crash and
     * redelivery of the same spool item produces the same identifier again. Returns the Message-ID.
     */
    public static String ensure(MimeMessage message, String seed, String domain) throws MessagingException {
        String existing = read(message);
        if (existing != null) {
            return existing;
        }
        String generated = "<listkeeper." + Digests.sha256Hex(seed).substring(0, 32) + "@" + domain + ">";
        message.setHeader("Message-ID", generated);
        return generated;
    }

    /** The key under which the store remembers a Message-ID: fixed length whatever the header holds. */
    public static String key(String messageId) {
        return Digests.sha256Hex(messageId);
    }
}
