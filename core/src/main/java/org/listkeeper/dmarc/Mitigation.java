package org.listkeeper.dmarc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.mail.Address;
import javax.mail.MessagingException;
import javax.mail.Part;
import javax.mail.Session;
import javax.mail.internet.AddressException;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.InternetHeaders;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import javax.mail.internet.MimeUtility;

import org.listkeeper.internal.RawBodyPart;
import org.listkeeper.list.MailingList;

/**
 * The two DMARC mitigations, as GNU Mailman has them. {@link #mungeFrom} puts the list's address in From with the
 * author's name ({@code "Alice Example via Team" <team@lists.example.org>}) and the author in Reply-To, or in Cc
 * when the post already has a Reply-To. {@link #wrap} makes a new message from the list, with the same
 * addressing headers and the original post, byte for byte, attached as {@code message/rfc822}.
 */
public final class Mitigation {
    /** Signature headers a rewritten From breaks. */
    static final List<String> AUTHOR_SIGNATURES = List.of("DKIM-Signature", "DomainKey-Signature");
    /** The headers a wrapper carries over from the post it wraps. */
    private static final List<String> WRAPPER_HEADERS = List.of("To", "Cc", "Subject", "Date", "Message-ID", "In-Reply-To",
        "References", "X-BeenThere", "Keywords", "Comments");
    private static final int MAX_NAME = 64;
    private static final Pattern ANGLE_ADDRESS = Pattern.compile("<([^<>@\\s,;:\"]+@[^<>@\\s,;:\"]+)>");

    private Mitigation() {
    }

    /**
     * The post's author: the first address of its From header. A From that does not parse strictly (hostile or
     * sloppy encoding) is read leniently, and at worst its {@code <address>} is taken alone: a post whose author's
     * domain asks for mitigation must not escape it through a malformed From.
     */
    public static Optional<InternetAddress> author(MimeMessage message) {
        try {
            Optional<InternetAddress> strict = first(message.getFrom());
            if (strict.isPresent()) {
                return strict;
            }
        } catch (MessagingException e) {
            // read it leniently below
        }
        try {
            String raw = message.getHeader("From", ",");
            if (raw == null) {
                return Optional.empty();
            }
            try {
                Optional<InternetAddress> lenient = first(InternetAddress.parseHeader(MimeUtility.unfold(raw), false));
                if (lenient.isPresent() && isAddress(lenient.get().getAddress())) {
                    return lenient;
                }
            } catch (AddressException e) {
                // take the angle address alone below
            }
            Matcher angle = ANGLE_ADDRESS.matcher(raw);
            if (angle.find()) {
                return Optional.of(new InternetAddress(angle.group(1), false));
            }
        } catch (MessagingException e) {
            // nothing readable
        }
        return Optional.empty();
    }

    /**
     * The domains of the addresses in the From headers, at most {@code max} of them: a message with several authors
     * must pass DMARC for each (RFC 7489 section 6.6.1), so each domain's policy counts. Empty when From does not
     * parse; {@link #author} still finds the first address then.
     */
    public static List<String> authorDomains(MimeMessage message, int max) {
        Set<String> domains = new LinkedHashSet<>();
        try {
            String raw = message.getHeader("From", ",");
            if (raw != null) {
                for (InternetAddress address : InternetAddress.parseHeader(MimeUtility.unfold(raw), false)) {
                    if (domains.size() >= max) {
                        break;
                    }
                    if (isAddress(address.getAddress())) {
                        domains.add(domainOf(address));
                    }
                }
            }
        } catch (MessagingException e) {
            // unreadable: the caller judges by the first address alone
        }
        return List.copyOf(domains);
    }

    private static Optional<InternetAddress> first(Address[] addresses) {
        if (addresses != null) {
            for (Address address : addresses) {
                if (address instanceof InternetAddress && isAddress(((InternetAddress) address).getAddress())) {
                    return Optional.of((InternetAddress) address);
                }
            }
        }
        return Optional.empty();
    }

    private static boolean isAddress(String address) {
        return address != null && address.indexOf('@') > 0 && address.lastIndexOf('@') < address.length() - 1
            && address.chars().noneMatch(c -> c <= ' ' || c == '<' || c == '>' || c == ',' || c == ';' || c == ':');
    }

    /** The domain of an author address, lower case. */
    public static String domainOf(InternetAddress author) {
        String address = author.getAddress();
        return address.substring(address.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
    }

    /**
     * Rewrites From to the list's address under the author's name, keeps the author reachable in Reply-To (or Cc),
     * and removes the author's DKIM signatures unless {@code keepSignatures}.
     */
    public static void mungeFrom(MimeMessage message, MailingList list, InternetAddress author, boolean keepSignatures)
        throws MessagingException {
        String originalFrom = headerValue(message, "From").orElse(author.toString());
        message.setHeader("From", listFrom(list, author));
        keepAuthorReachable(message, author, originalFrom);
        if (!keepSignatures) {
            for (String header : AUTHOR_SIGNATURES) {
                message.removeHeader(header);
            }
        }
    }

    /**
     * A new message from the list that carries {@code original} unchanged as a {@code message/rfc822} part, after a
     * plain-text {@code explanation} when that is not blank.
     */
    public static MimeMessage wrap(MimeMessage original, MailingList list, InternetAddress author, String explanation)
        throws MessagingException, IOException {
        MimeMessage wrapper = new MimeMessage(org.listkeeper.internal.MailSessions.shared());
        for (String header : WRAPPER_HEADERS) {
            String[] values = original.getHeader(header);
            if (values != null) {
                for (String value : values) {
                    wrapper.addHeader(header, value);
                }
            }
        }
        String originalFrom = headerValue(original, "From").orElse(author.toString());
        wrapper.setHeader("From", listFrom(list, author));
        Optional<String> replyTo = headerValue(original, "Reply-To");
        if (replyTo.isPresent()) {
            wrapper.setHeader("Reply-To", replyTo.get());
        }
        keepAuthorReachable(wrapper, author, originalFrom);

        MimeMultipart mixed = new MimeMultipart("mixed");
        if (!explanation.isBlank()) {
            MimeBodyPart text = new MimeBodyPart();
            text.setText(explanation.strip() + "\n", isAscii(explanation) ? "us-ascii" : "UTF-8");
            text.setDisposition(Part.INLINE);
            mixed.addBodyPart(text);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        original.writeTo(bytes);
        byte[] content = bytes.toByteArray();
        InternetHeaders headers = new InternetHeaders();
        headers.addHeaderLine("Content-Type: message/rfc822");
        // RFC 2046 5.2.1: a message/rfc822 part is never base64 or quoted-printable; 8bit when the post is
        headers.addHeaderLine("Content-Transfer-Encoding: " + (isSevenBit(content) ? "7bit" : "8bit"));
        headers.addHeaderLine("Content-Disposition: inline");
        mixed.addBodyPart(new RawBodyPart(headers, content));
        wrapper.setContent(mixed);
        wrapper.saveChanges();
        String messageId = original.getHeader("Message-ID", null);
        if (messageId != null) {
            // javax.mail invents a Message-ID on saveChanges(); the wrapper is still the same post
            wrapper.setHeader("Message-ID", messageId);
        }
        return wrapper;
    }

    /**
     * {@code "Alice Example via Team" <team@lists.example.org>}, encoded per RFC 2047 when the name is not ASCII.
     * An author without a display name is shown as {@code alice at example.com}, never with an {@code @} that a
     * receiver could take for a spoofed address.
     */
    static String listFrom(MailingList list, InternetAddress author) throws MessagingException {
        String name = author.getPersonal() != null ? clean(author.getPersonal()) : "";
        if (name.isEmpty()) {
            name = clean(author.getAddress().replace("@", " at "));
        }
        if (name.codePointCount(0, name.length()) > MAX_NAME) {
            name = name.substring(0, name.offsetByCodePoints(0, MAX_NAME)).strip() + "…";
        }
        String display = name + " via " + clean(list.displayName());
        try {
            return new InternetAddress(list.address().asString(), display, "UTF-8").toString();
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException("UTF-8 is missing from this JVM", e);
        }
    }

    /** The author in Reply-To when the message has none, else in Cc (once). */
    private static void keepAuthorReachable(MimeMessage message, InternetAddress author, String originalFrom)
        throws MessagingException {
        if (message.getHeader("Reply-To") == null) {
            message.setHeader("Reply-To", originalFrom);
            return;
        }
        List<String> cc = new ArrayList<>();
        String[] existing = message.getHeader("Cc");
        if (existing != null) {
            for (String value : existing) {
                if (containsAddress(value, author.getAddress())) {
                    return;
                }
                cc.add(MimeUtility.unfold(value).strip());
            }
        }
        cc.add(originalFrom);
        message.setHeader("Cc", MimeUtility.fold(4, String.join(", ", cc)));
    }

    private static boolean containsAddress(String headerValue, String address) {
        try {
            for (InternetAddress candidate : InternetAddress.parseHeader(headerValue, false)) {
                if (address.equalsIgnoreCase(candidate.getAddress())) {
                    return true;
                }
            }
        } catch (AddressException e) {
            return headerValue.toLowerCase(Locale.ROOT).contains(address.toLowerCase(Locale.ROOT));
        }
        return false;
    }

    /** A header's value as it came (still encoded), unfolded; empty when absent or blank. */
    private static Optional<String> headerValue(MimeMessage message, String name) throws MessagingException {
        String value = message.getHeader(name, ",");
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(MimeUtility.unfold(value).strip());
    }

    /** No control characters (a display name must not smuggle header lines), whitespace collapsed. */
    static String clean(String text) {
        StringBuilder cleaned = new StringBuilder(text.length());
        boolean space = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) || Character.isWhitespace(c) || c == '\u2028' || c == '\u2029') {
                space = cleaned.length() > 0;
                continue;
            }
            if (space) {
                cleaned.append(' ');
                space = false;
            }
            cleaned.append(c);
        }
        return cleaned.toString();
    }

    private static boolean isAscii(String text) {
        return text.chars().allMatch(c -> c < 0x80);
    }

    private static boolean isSevenBit(byte[] content) {
        for (byte b : content) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }
}
