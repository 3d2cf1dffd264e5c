package org.listkeeper.moderation;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.mail.MessagingException;
import javax.mail.Multipart;
import javax.mail.Part;
import javax.mail.internet.ContentType;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimePart;

import org.apache.mailet.AttributeName;
import org.listkeeper.internal.Html;

import org.listkeeper.internal.PasswordHash;
/**
 * The moderator password a post may carry: an {@code Approved:} (or {@code Approve:}) header, or the same as the
 * first non-blank line of its first {@code text/plain} part (GNU Mailman 3's {@code approved} rule). {@link #extract}
 * removes every such header and line, right password or wrong, and then the same {@code Approved: password} from
 * every other text part at any depth (the {@code text/html} alternative of the same text above all), so that a
 * password never reaches the members. Where it cannot be removed without breaking the post (inside a signed or
 * encrypted part, or a text part that cannot be decoded), the extraction says so and the post is held instead.
 */
public final class Approval {
    /** Set by the moderation handler while its chain runs: whether the post carried the right moderator password. */
    public static final AttributeName APPROVED = AttributeName.of("listkeeper.approved");
    private static final Pattern LINE = Pattern.compile("^\\s*approved?\\s*:\\s*(\\S.*?)\\s*$", Pattern.CASE_INSENSITIVE);
    private static final String KEYWORD = "approved?\\s*:";
    /** What may stand between the keyword and the password in HTML: spaces, non-breaking spaces, tags. */
    private static final String HTML_GAP = "(?:\\s|&nbsp;|&#160;|&#x0*a0;|\u00a0|<[^>]*>)*";
    private static final Pattern INLINE_PGP = Pattern.compile("-----BEGIN PGP (?:SIGNED )?MESSAGE-----");

    private Approval() {
    }

    /** What {@link #extract} found and whether every copy of it could be taken out of the post. */
    public static final class Extraction {
        private final List<String> passwords;
        private final String unremovable;

        private Extraction(List<String> passwords, String unremovable) {
            this.passwords = List.copyOf(passwords);
            this.unremovable = unremovable;
        }

        /** Every password the post offered, right or wrong. */
        public List<String> passwords() {
            return passwords;
        }

        /** Why a copy of an approval line is still in the post (it could not be removed safely); empty when none is. */
        public Optional<String> unremovable() {
            return Optional.ofNullable(unremovable);
        }

        @Override
        public String toString() {
            return "Extraction{" + passwords.size() + " password(s)" + (unremovable == null ? "" : ", unremovable: " + unremovable) + "}";
        }
    }

    /** Removes the password headers and lines from {@code message}; answers the passwords found. */
    public static Extraction extract(MimeMessage message) throws MessagingException {
        Set<String> candidates = new LinkedHashSet<>();
        for (String header : List.of("Approved", "Approve")) {
            String[] values = message.getHeader(header);
            if (values != null) {
                for (String value : values) {
                    if (!value.isBlank()) {
                        candidates.add(value.strip());
                    }
                }
                message.removeHeader(header);
            }
        }
        List<TextPart> texts = new ArrayList<>();
        collect(message, false, texts);
        boolean changed = !candidates.isEmpty();
        // The line the rule reads: first non-blank line of the first text/plain part, as Mailman reads it.
        Optional<TextPart> firstPlain = texts.stream().filter(t -> t.plain && !t.attachment).findFirst();
        String unremovable = null;
        if (firstPlain.isPresent() && firstPlain.get().text != null) {
            TextPart first = firstPlain.get();
            Optional<String> line = firstLinePassword(first.text);
            if (line.isPresent()) {
                candidates.add(line.get());
                if (first.sealed) {
                    unremovable = "an approval line inside a signed or encrypted part";
                } else {
                    first.replace(withoutFirstLine(first.text));
                    changed = true;
                }
            }
        }
        // A text/html (or other) alternative carries its own first line: read it too, so its password is known.
        for (TextPart text : texts) {
            if (!text.plain && !text.attachment && text.text != null) {
                firstLinePassword(visibleText(text.text)).ifPresent(candidates::add);
            }
        }
        if (!candidates.isEmpty()) {
            for (TextPart text : texts) {
                String problem = removeEverywhere(text, candidates);
                if (problem != null) {
                    unremovable = unremovable == null ? problem : unremovable;
                } else if (text.changed) {
                    changed = true;
                }
            }
        }
        if (changed) {
            message.saveChanges();
        }
        return new Extraction(new ArrayList<>(candidates), unremovable);
    }

    /** Whether one of {@code candidates} is the password {@code stored} was made from. */
    public static boolean matches(String stored, List<String> candidates) {
        for (String candidate : candidates) {
            if (PasswordHash.matches(stored, candidate.strip())) {
                return true;
            }
        }
        return false;
    }

    /** Removes {@code Approved: candidate} from one text part; answers why it could not, or null. */
    private static String removeEverywhere(TextPart part, Set<String> candidates) throws MessagingException {
        if (part.text == null) {
            return part.rawContainsAny(candidates) ? "an approval line in a text part that cannot be decoded" : null;
        }
        String text = part.text;
        for (String candidate : candidates) {
            Pattern pattern = part.plain ? plainPattern(candidate) : htmlPattern(candidate);
            Matcher matcher = pattern.matcher(text);
            if (!matcher.find()) {
                continue;
            }
            if (part.sealed) {
                return "an approval line inside a signed or encrypted part";
            }
            Matcher pgp = INLINE_PGP.matcher(text);
            if (pgp.find() && pgp.start() < matcher.end()) {
                return "an approval line inside an inline PGP signed or encrypted text";
            }
            text = pattern.matcher(text).replaceAll("");
        }
        if (!text.equals(part.text)) {
            part.replace(text);
        }
        String visible = part.plain ? text : visibleText(text);
        for (String candidate : candidates) {
            if (plainPattern(candidate).matcher(visible).find()) {
                return "an approval line that could not be removed from a " + part.type + " part";
            }
        }
        return null;
    }

    /** A whole line {@code Approved: candidate} with its line break, or the phrase inside a longer line. */
    private static Pattern plainPattern(String candidate) {
        String password = Pattern.quote(candidate);
        return Pattern.compile("(?im)^[ \\t]*" + KEYWORD + "[ \\t\\u00a0]*" + password + "[ \\t]*(?:\\r?\\n|$)|" + KEYWORD
            + "[\\s\\u00a0]*" + password);
    }

    private static Pattern htmlPattern(String candidate) {
        StringBuilder password = new StringBuilder();
        for (char c : candidate.toCharArray()) {
            password.append("(?:").append(Pattern.quote(String.valueOf(c))).append("|&#0*").append((int) c).append(";|&#[xX]0*")
                .append(Integer.toHexString(c)).append(';');
            switch (c) {
                case '&':
                    password.append("|&amp;");
                    break;
                case '<':
                    password.append("|&lt;");
                    break;
                case '>':
                    password.append("|&gt;");
                    break;
                case '"':
                    password.append("|&quot;");
                    break;
                case '\'':
                    password.append("|&apos;");
                    break;
                default:
                    break;
            }
            password.append(')');
        }
        return Pattern.compile("(?is)" + KEYWORD + HTML_GAP + password);
    }

    private static Optional<String> firstLinePassword(String text) {
        for (String line : text.split("\r?\n", -1)) {
            if (line.isBlank()) {
                continue;
            }
            Matcher matcher = LINE.matcher(line.replace('\u00a0', ' '));
            return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
        }
        return Optional.empty();
    }

    private static String withoutFirstLine(String body) {
        String[] lines = body.split("\r?\n", -1);
        int first = 0;
        while (lines[first].isBlank()) {
            first++;
        }
        int next = first + 1;
        if (next < lines.length && lines[next].isBlank()) {
            next++; // the blank line after the password line goes with it
        }
        return String.join("\n", Arrays.asList(lines).subList(next, lines.length));
    }

    /** The text a reader of an HTML part sees, line by line: tags out, entities decoded. */
    static String visibleText(String html) {
        return Html.visibleText(html);
    }

    private static void collect(Part part, boolean sealed, List<TextPart> into) throws MessagingException {
        boolean seal = sealed || isSealed(part);
        try {
            if (part.isMimeType("multipart/*")) {
                Object content = part.getContent();
                if (content instanceof Multipart) {
                    Multipart multipart = (Multipart) content;
                    for (int i = 0; i < multipart.getCount(); i++) {
                        collect(multipart.getBodyPart(i), seal, into);
                    }
                }
                return;
            }
        } catch (IOException | RuntimeException e) {
            return; // a multipart that does not parse is mime-check's business; it has no text part to read
        }
        if (part.isMimeType("text/*") && part instanceof MimePart) {
            into.add(TextPart.of((MimePart) part, seal, Part.ATTACHMENT.equalsIgnoreCase(disposition(part))));
        }
    }

    private static String disposition(Part part) {
        try {
            return part.getDisposition();
        } catch (MessagingException e) {
            return null;
        }
    }

    private static boolean isSealed(Part part) throws MessagingException {
        return part.isMimeType("multipart/signed") || part.isMimeType("multipart/encrypted")
            || part.isMimeType("application/pkcs7-mime") || part.isMimeType("application/x-pkcs7-mime");
    }

    /** One text part, decoded once. */
    private static final class TextPart {
        final MimePart part;
        final boolean plain;
        final boolean sealed;
        final boolean attachment;
        final String type;
        String text;
        boolean changed;

        private TextPart(MimePart part, boolean plain, boolean sealed, boolean attachment, String type, String text) {
            this.part = part;
            this.plain = plain;
            this.sealed = sealed;
            this.attachment = attachment;
            this.type = type;
            this.text = text;
        }

        static TextPart of(MimePart part, boolean sealed, boolean attachment) throws MessagingException {
            String type;
            try {
                type = new ContentType(part.getContentType()).getBaseType().toLowerCase(Locale.ROOT);
            } catch (MessagingException e) {
                type = "text/plain";
            }
            String text;
            try {
                Object content = part.getContent();
                text = content instanceof String ? (String) content : null;
            } catch (IOException | RuntimeException e) {
                text = null;
            }
            return new TextPart(part, type.equals("text/plain"), sealed, attachment, type, text);
        }

        void replace(String newText) throws MessagingException {
            ContentType contentType = new ContentType(part.getContentType());
            String charset = contentType.getParameter("charset") == null ? "us-ascii" : contentType.getParameter("charset");
            if (!charset.equalsIgnoreCase("us-ascii") && !charsetKnown(charset)) {
                charset = "utf-8";
            } else if (charset.equalsIgnoreCase("us-ascii") && !StandardCharsets.US_ASCII.newEncoder().canEncode(newText)) {
                charset = "utf-8";
            }
            part.setText(newText, charset, contentType.getSubType());
            text = newText;
            changed = true;
        }

        private static boolean charsetKnown(String charset) {
            try {
                return java.nio.charset.Charset.isSupported(javax.mail.internet.MimeUtility.javaCharset(charset));
            } catch (RuntimeException e) {
                return false;
            }
        }

        private static InputStream rawStream(MimePart part) throws MessagingException {
            if (part instanceof MimeMessage) {
                return ((MimeMessage) part).getRawInputStream();
            }
            if (part instanceof MimeBodyPart) {
                return ((MimeBodyPart) part).getRawInputStream();
            }
            throw new MessagingException("no raw content");
        }

        /** For a part that cannot be decoded: whether its raw bytes show one of the passwords. */
        boolean rawContainsAny(Set<String> candidates) throws MessagingException {
            String raw;
            try (InputStream in = part.getInputStream()) {
                raw = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            } catch (IOException | RuntimeException e) {
                try (InputStream in = rawStream(part)) {
                    raw = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                } catch (IOException | MessagingException | RuntimeException e2) {
                    return true; // nothing readable: cannot tell, so do not send it
                }
            }
            String lower = raw.toLowerCase(Locale.ROOT);
            return candidates.stream().map(c -> c.toLowerCase(Locale.ROOT)).anyMatch(lower::contains);
        }
    }
}
