package org.listkeeper.internal;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.james.core.MailAddress;
import org.slf4j.MDC;

/**
 * Text fit for a log line: a confirmation address ({@code team-confirm+TOKEN@…}) or a one-click link
 * ({@code …/unsubscribe/TOKEN}) carries a live token that lets whoever reads it act in a member's or moderator's
 * name, and a JDBC URL may carry a password. Each is shown with the secret replaced by {@code …}, so a log line
 * still says which list and which kind of address it was about.
 */
public final class Redaction {
    private static final String HIDDEN = "\u2026";
    private static final Pattern CONFIRM = Pattern.compile("(?i)(-confirm\\+)[^@\\s<>\"',;\\]\\[()]+");
    private static final Pattern CONFIRM_SUBJECT = Pattern.compile("(?i)(\\bconfirm\\s+)[A-Za-z0-9_-]{20,}");
    private static final Pattern UNSUBSCRIBE = Pattern.compile("(?i)(/unsubscribe/)[^/?#\\s\"'<>]+");
    private static final Pattern PASSWORD = Pattern.compile("(?i)(password=)[^&;\\s]*");

    private Redaction() {
    }

    /** {@code text} with every confirmation token, one-click token and URL password replaced. */
    public static String of(String text) {
        if (text == null) {
            return null;
        }
        String redacted = CONFIRM.matcher(text).replaceAll("$1" + HIDDEN);
        redacted = CONFIRM_SUBJECT.matcher(redacted).replaceAll("$1" + HIDDEN);
        redacted = UNSUBSCRIBE.matcher(redacted).replaceAll("$1" + HIDDEN);
        return PASSWORD.matcher(redacted).replaceAll("$1" + HIDDEN);
    }

    /**
     * Replaces, until {@link Scope#close()}, every MDC value that carries a secret (James puts a mail's recipients
     * and WebAdmin's request path there) with its redacted form, so that nothing logged meanwhile, by Listkeeper
     * or by James code it calls, ships a token with its context; the original values come back on close.
     */
    public static Scope scrubMdc() {
        Map<String, String> context = MDC.getCopyOfContextMap();
        Map<String, String> originals = new HashMap<>();
        if (context != null) {
            context.forEach((key, value) -> {
                String redacted = of(value);
                if (redacted != null && !redacted.equals(value)) {
                    originals.put(key, value);
                    MDC.put(key, redacted);
                }
            });
        }
        return new Scope(originals);
    }

    /** The span during which the MDC shows redacted values. */
    public static final class Scope implements AutoCloseable {
        private final Map<String, String> originals;

        private Scope(Map<String, String> originals) {
            this.originals = originals;
        }

        @Override
        public void close() {
            originals.forEach(MDC::put);
        }
    }

    public static String address(MailAddress address) {
        return address == null ? null : of(address.asString());
    }

    public static String addresses(Collection<MailAddress> addresses) {
        return addresses.stream().map(Redaction::address).collect(Collectors.joining(", ", "[", "]"));
    }
}
