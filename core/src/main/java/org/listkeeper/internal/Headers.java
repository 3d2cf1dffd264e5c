package org.listkeeper.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.time.Instant;
import java.util.Date;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeUtility;

/** Reading a message's headers as a person sees them, and its bytes, for what keeps posts (the archive, digests). */
public final class Headers {
    private Headers() {
    }

    /** A header value unfolded, RFC 2047 words decoded, on one line; as it is when its charset is unknown. */
    public static String decode(String raw) {
        String unfolded = MimeUtility.unfold(raw);
        String decoded;
        try {
            decoded = MimeUtility.decodeText(unfolded);
        } catch (UnsupportedEncodingException e) {
            decoded = unfolded;
        }
        return decoded.replaceAll("[\\r\\n\\t]+", " ").strip();
    }

    /** The decoded Subject; empty when there is none or it cannot be read. */
    public static String subject(MimeMessage message) {
        try {
            String raw = message.getHeader("Subject", null);
            return raw == null ? "" : decode(raw);
        } catch (MessagingException | RuntimeException e) {
            return "";
        }
    }

    /** The Date header, or {@code otherwise} when it is missing or unreadable. */
    public static Instant sentDate(MimeMessage message, Instant otherwise) {
        try {
            Date sent = message.getSentDate();
            return sent != null ? sent.toInstant() : otherwise;
        } catch (MessagingException | RuntimeException e) {
            return otherwise;
        }
    }

    /** The message as it would be sent. */
    public static byte[] bytes(MimeMessage message) throws MessagingException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            message.writeTo(out);
        } catch (IOException e) {
            throw new MessagingException("Cannot read the message: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }
}
