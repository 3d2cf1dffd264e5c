package org.listkeeper.membership;

import java.util.Locale;
import java.util.Optional;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;

/**
 * RFC 3834's rules for not answering robots: no automatic reply to mail that has no sender or comes from a
 * mailer daemon, that says it was itself automatic ({@code Auto-Submitted} other than {@code no}), bulk
 * ({@code Precedence: bulk|list|junk}) or list traffic ({@code List-Id}), or that carries the list's own loop
 * marker ({@code X-Loop}).
 */
public final class AutoReplyGuard {
    private AutoReplyGuard() {
    }

    /** Why no reply may be sent to this mail, or empty when one may. */
    public static Optional<String> reasonNotToReply(MaybeSender sender, MimeMessage message, MailAddress list)
        throws MessagingException {
        if (sender.isNullSender() || sender.asOptional().isEmpty()) {
            return Optional.of("null sender");
        }
        MailAddress address = sender.get();
        String local = address.getLocalPart().toLowerCase(Locale.ROOT);
        if (local.equals("mailer-daemon") || local.equals("mailer_daemon") || local.equals("mailerdaemon")) {
            return Optional.of("sent by " + address.asString());
        }
        String autoSubmitted = first(message, "Auto-Submitted");
        if (autoSubmitted != null && !autoSubmitted.strip().toLowerCase(Locale.ROOT).startsWith("no")) {
            return Optional.of("Auto-Submitted: " + autoSubmitted.strip());
        }
        String precedence = first(message, "Precedence");
        if (precedence != null) {
            String value = precedence.strip().toLowerCase(Locale.ROOT);
            if (value.equals("bulk") || value.equals("list") || value.equals("junk")) {
                return Optional.of("Precedence: " + value);
            }
        }
        if (first(message, "List-Id") != null) {
            return Optional.of("List-Id: " + first(message, "List-Id").strip());
        }
        String[] loops = message.getHeader("X-Loop");
        if (loops != null) {
            for (String loop : loops) {
                if (loop.toLowerCase(Locale.ROOT).contains(list.asString().toLowerCase(Locale.ROOT))) {
                    return Optional.of("X-Loop: " + loop.strip());
                }
            }
        }
        return Optional.empty();
    }

    private static String first(MimeMessage message, String header) throws MessagingException {
        String[] values = message.getHeader(header);
        return values == null || values.length == 0 ? null : values[0];
    }
}
