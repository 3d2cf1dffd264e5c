package org.listkeeper.bounces;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.mail.BodyPart;
import javax.mail.MessagingException;
import javax.mail.Multipart;
import javax.mail.Part;
import javax.mail.internet.AddressException;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;

/**
 * Reads bounces: RFC 3464 delivery status notifications first (Postfix, Sendmail, Exim 4.7+, Gmail, Exchange and
 * Outlook, Yahoo's newer ones, James's own), then the common formats that predate or ignore the RFC: Exim's plain
 * text, qmail's (and the many systems built on it), Postfix's, Sendmail's and Gmail's before DSNs, Yahoo's, and Exchange's
 * "could not be reached" text. A plain-text report counts as a permanent failure unless it is worded as a delay
 * warning. Checked beyond the samples under test resources against the 102 real bounces that GNU Mailman's
 * flufl.bounce keeps as test data (not copied here).
 */
public final class BounceParser {
    private static final int MAX_TEXT = 200_000;
    private static final Pattern ADDRESS = Pattern.compile("<?([^\\s<>\"'(),;:]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,})>?");
    private static final Pattern STATUS = Pattern.compile("\\b([245]\\.\\d{1,3}\\.\\d{1,3})\\b");

    private BounceParser() {
    }

    /** The report, or empty when the message is not a bounce this parser can read. */
    public static Optional<BounceReport> parse(MimeMessage message) throws MessagingException {
        Optional<BounceReport> dsn = dsn(message);
        if (dsn.isPresent()) {
            return dsn;
        }
        String text = text(message);
        if (text == null) {
            return Optional.empty();
        }
        for (TextFormat format : TextFormat.values()) {
            Optional<BounceReport> report = format.read(text);
            if (report.isPresent()) {
                return report;
            }
        }
        return Optional.empty();
    }

    /** The text of a message as a person reads it (its first text part), for classifying a report that is not a DSN. */
    public static Optional<String> plainText(MimeMessage message) {
        try {
            return Optional.ofNullable(text(message));
        } catch (MessagingException | RuntimeException e) {
            return Optional.empty();
        }
    }

    // ---- RFC 3464

    private static Optional<BounceReport> dsn(Part part) throws MessagingException {
        try {
            if (part.isMimeType("message/delivery-status")) {
                return Optional.of(deliveryStatus(raw(part)));
            }
            if (part.isMimeType("multipart/*")) {
                Object content = part.getContent();
                if (content instanceof Multipart) {
                    Multipart multipart = (Multipart) content;
                    for (int i = 0; i < multipart.getCount(); i++) {
                        BodyPart child = multipart.getBodyPart(i);
                        if (child.isMimeType("message/rfc822") || child.isMimeType("text/rfc822-headers")) {
                            continue; // the returned message: its own headers are not the report
                        }
                        Optional<BounceReport> report = dsn(child);
                        if (report.isPresent()) {
                            return report;
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new MessagingException("Cannot read a part of the bounce", e);
        }
        return Optional.empty();
    }

    /** The per-message block first, then one block per recipient, separated by blank lines (RFC 3464 section 2). */
    static BounceReport deliveryStatus(String text) {
        List<BounceReport.Recipient> recipients = new ArrayList<>();
        for (Map<String, String> fields : blocks(text)) {
            String action = fields.get("action");
            if (action == null) {
                continue;
            }
            // the original recipient is the address the list sent to (the final one may be where an alias led, or an
            // X.400 or host-local name); without it, the final recipient
            Optional<MailAddress> address = recipientField(fields.get("original-recipient"))
                .or(() -> recipientField(fields.get("final-recipient")));
            Optional<BounceReport.Action> parsed = action(action);
            if (address.isPresent() && parsed.isPresent()) {
                String status = fields.get("status");
                recipients.add(new BounceReport.Recipient(address.get(), parsed.get(), status == null ? null : status.strip(),
                    fields.get("diagnostic-code")));
            }
        }
        return new BounceReport("dsn", recipients);
    }

    private static List<Map<String, String>> blocks(String text) {
        List<Map<String, String>> blocks = new ArrayList<>();
        Map<String, String> current = new LinkedHashMap<>();
        String last = null;
        for (String line : text.split("\r?\n", -1)) {
            if (line.isBlank()) {
                if (!current.isEmpty()) {
                    blocks.add(current);
                    current = new LinkedHashMap<>();
                }
                last = null;
            } else if ((line.startsWith(" ") || line.startsWith("\t")) && last != null) {
                current.put(last, current.get(last) + " " + line.strip());
            } else {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    last = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                    current.put(last, line.substring(colon + 1).strip());
                }
            }
        }
        if (!current.isEmpty()) {
            blocks.add(current);
        }
        return blocks;
    }

    private static Optional<MailAddress> recipientField(String value) {
        if (value == null) {
            return Optional.empty();
        }
        return address(value.contains(";") ? value.substring(value.indexOf(';') + 1) : value);
    }

    private static Optional<BounceReport.Action> action(String value) {
        String word = value.strip().split("[\\s(]")[0].toLowerCase(Locale.ROOT);
        switch (word) {
            case "failed":
            case "failure": // seen from older MTAs
                return Optional.of(BounceReport.Action.FAILED);
            case "delayed":
                return Optional.of(BounceReport.Action.DELAYED);
            case "delivered":
                return Optional.of(BounceReport.Action.DELIVERED);
            case "relayed":
                return Optional.of(BounceReport.Action.RELAYED);
            case "expanded":
                return Optional.of(BounceReport.Action.EXPANDED);
            default:
                return Optional.empty();
        }
    }

    // ---- plain-text formats

    /** The non-standard reports, each recognised by its fixed wording. */
    private enum TextFormat {
        /** Exim before DSNs: "The following address(es) failed:" then indented addresses. */
        EXIM("exim", Pattern.compile("(?is)this message was created automatically by mail delivery software.*?"
            + "following address\\(es\\) failed:\\s*\\n(.*?)(?:\\n\\s*-{3,}|\\n\\s*\\n\\s*\\S[^\\n]*(?:reporting-mta|original message)|\\z)")),
        /** Yahoo: "Sorry, we were unable to deliver your message to the following address." */
        YAHOO("yahoo", Pattern.compile("(?is)sorry,? we were unable to deliver your message to the following address(?:es)?\\.?"
            + "\\s*\\n(.*?)(?:--- below this line is a copy of the message|\\z)")),
        /**
         * qmail and the mail systems built on it (hosting providers, Yahoo before DSNs): whatever the wording above,
         * each failed address opens a line as {@code <address>:}, before qmail's copy of the message.
         */
        QMAIL("qmail", Pattern.compile("(?is)\\A(.*?)\\n--- (?:below this line is a copy of the message|original message follows)"),
            true),
        /**
         * Postfix before DSNs (also when a site renamed it: "This is the Keftamail program at host …"), then a
         * {@code <address>: reason} line each.
         */
        POSTFIX("postfix", Pattern.compile("(?is)this is the [^\\n]{1,80}? (?:program|system) at host[^\\n]*\\n(.*)"), true),
        /** Sendmail before DSNs: the permanent failures between dashed rulers; "expanded from" names the list's address. */
        SENDMAIL("sendmail", Pattern.compile("(?is)-{3,} the following addresses had permanent fatal errors -{3,}[^\\n]*\\n(.*?)"
            + "(?:\\n\\s*-{3,}|\\z)")),
        /** Gmail before DSNs: "Delivery to the following recipient failed permanently:" (or "has been delayed:"). */
        GMAIL("gmail", Pattern.compile("(?is)delivery to the following recipients? (?:failed permanently|has been delayed):"
            + "\\s*\\n(.*?)(?:\\n\\s*technical details|-{3,} original message|\\z)")),
        /** Older Exchange: "The following recipient(s) cannot be reached:" */
        EXCHANGE("exchange", Pattern.compile("(?is)(?:your message did not reach some or all of the intended recipients|"
            + "delivery has failed to these recipients or groups|did not reach the following recipient\\(s\\):).*?\\n(.*?)"
            + "(?:diagnostic information for administrators|\\n-{3,}|\\z)"));

        /** The wording of delay warnings, which some MTAs send in the shape of their failure reports. */
        private static final Pattern WARNING = Pattern.compile("(?i)this is a warning only|will (?:continue|keep) trying"
            + "|(?:has been|was|is) delayed|delivery (?:is )?delayed|not yet been delivered|will be retried");
        /** A line that holds an address and nothing else, maybe indented or in angle brackets. */
        private static final Pattern ALONE_LINE = Pattern.compile("(?m)^[ \\t]*<?([^\\s<>\"'(),;:]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,})>?[ \\t]*$");
        /** A line that opens with a failed address: {@code <alice@example.com>:} (qmail, old Postfix). */
        private static final Pattern ANGLE_LINE = Pattern.compile("(?m)^<([^\\s<>]+@[^\\s<>]+)>:");
        /** Sendmail's note of the address an alias or list expanded from: that is the one the list sent to. */
        private static final Pattern EXPANDED_FROM = Pattern.compile("(?i)\\(expanded from:\\s*<?([^\\s<>()]+@[^\\s<>()]+)>?\\)");

        private final String name;
        private final Pattern pattern;
        private final boolean angleLines;

        TextFormat(String name, Pattern pattern) {
            this(name, pattern, false);
        }

        TextFormat(String name, Pattern pattern, boolean angleLines) {
            this.name = name;
            this.pattern = pattern;
            this.angleLines = angleLines;
        }

        /** The addresses a report section names: its {@code <address>:} lines, or every address in it. */
        private Matcher addresses(String section) {
            if (angleLines) {
                return ANGLE_LINE.matcher(section);
            }
            Matcher expanded = EXPANDED_FROM.matcher(section);
            if (expanded.find()) {
                return EXPANDED_FROM.matcher(section);
            }
            // Exim and Gmail put each failed address alone on a line, the SMTP dialogue (MAIL FROM:<the list>) below
            Matcher alone = ALONE_LINE.matcher(section);
            if (alone.find()) {
                return ALONE_LINE.matcher(section);
            }
            // Exchange's X.400 lines carry the address as "SMTP=alice@example.com"
            return ADDRESS.matcher(section.replaceAll("(?i)\\bSMTP=", " "));
        }

        private static final Pattern RETURNED = Pattern.compile("(?im)^[ \\t]*-{2,}[ \\t]*(?:original message|below this line"
            + "|this is a copy|the original message)|^[ \\t]*-{3,}[^\\n]*original");
        private static final int MAX_REASON = 1000;

        private static String reason(String text, int from) {
            Matcher returned = RETURNED.matcher(text);
            int end = returned.find(from) ? returned.start() : text.length();
            String reason = text.substring(from, Math.min(end, from + MAX_REASON)).strip();
            return reason.replaceAll("=\\r?\\n", "").replaceAll("\\s+", " ");
        }

        Optional<BounceReport> read(String text) {
            Matcher matcher = pattern.matcher(text);
            if (!matcher.find()) {
                return Optional.empty();
            }
            List<BounceReport.Recipient> recipients = new ArrayList<>();
            String section = matcher.group(1);
            // Postfix and others warn of a delay in the same shape as a failure: a warning never counts
            BounceReport.Action action = WARNING.matcher(text).find() ? BounceReport.Action.DELAYED : BounceReport.Action.FAILED;
            Matcher status = STATUS.matcher(section);
            String code = status.find() ? status.group(1) : action == BounceReport.Action.DELAYED ? "4.0.0" : "5.0.0";
            // the reason: the failed addresses' section and what follows it up to the returned message (Gmail's "Technical
            // details", Exim's SMTP dialogue), which is what the receiving server said
            String reason = reason(text, matcher.start(1));
            Matcher address = addresses(section);
            List<String> seen = new ArrayList<>();
            while (address.find()) {
                String candidate = address.group(1).toLowerCase(Locale.ROOT);
                if (seen.contains(candidate)) {
                    continue;
                }
                seen.add(candidate);
                address(candidate).ifPresent(a -> recipients.add(new BounceReport.Recipient(a, action, code, reason)));
            }
            return recipients.isEmpty() ? Optional.empty() : Optional.of(new BounceReport(name, recipients));
        }
    }

    // ---- plumbing

    private static Optional<MailAddress> address(String text) {
        Matcher matcher = ADDRESS.matcher(text.strip());
        if (!matcher.find()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new MailAddress(matcher.group(1)));
        } catch (AddressException e) {
            return Optional.empty();
        }
    }

    /** The first text/plain part (or the whole text of a non-MIME message), as a bounce reads to a person. */
    private static String text(Part part) throws MessagingException {
        try {
            if (part.isMimeType("text/plain")) {
                Object content = part.getContent();
                return content instanceof String ? cut((String) content) : raw(part);
            }
            if (part.isMimeType("multipart/*") && part.getContent() instanceof Multipart) {
                Multipart multipart = (Multipart) part.getContent();
                for (int i = 0; i < multipart.getCount(); i++) {
                    String text = text(multipart.getBodyPart(i));
                    if (text != null) {
                        return text;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    private static String raw(Part part) throws MessagingException, IOException {
        try (InputStream in = part.getInputStream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int read;
            while ((read = in.read(buffer)) > 0 && out.size() < MAX_TEXT) {
                out.write(buffer, 0, read);
            }
            return out.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static String cut(String text) {
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT);
    }
}
