package org.listkeeper.handlers;

import org.listkeeper.internal.MailSessions;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.mail.BodyPart;
import javax.mail.MessagingException;
import javax.mail.Multipart;
import javax.mail.Part;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.InternetHeaders;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;

import org.listkeeper.digest.DigestEntry;
import org.listkeeper.digest.DigestIssue;
import org.listkeeper.internal.Headers;
import org.listkeeper.internal.Html;
import org.listkeeper.internal.RawBodyPart;
import org.listkeeper.list.DigestMode;
import org.listkeeper.list.FooterTemplate;
import org.listkeeper.list.MailingList;

/**
 * A digest issue as mail, in either kind Mailman and Sympa send: MIME (a {@code multipart/mixed} of the masthead, the
 * list's digest header, the table of contents, a {@code multipart/digest} of each post as {@code message/rfc822}, and
 * the digest footer) or plain text after RFC 1153 (preamble, 70 dashes, each post's main headers and text between
 * lines of 30 dashes, the footer, the trailer). The same issue always makes the same headers, so a resent digest
 * carries the same Message-ID.
 */
final class DigestMessages {
    static final String PREAMBLE_SEPARATOR = "-".repeat(70);
    static final String MESSAGE_SEPARATOR = "-".repeat(30);
    private static final List<String> PLAIN_HEADERS = List.of("Date", "From", "To", "Cc", "Subject", "Message-ID");

    private DigestMessages() {
    }

    /** The subject of an issue: {@code Team Digest, Vol 3, Issue 12}. */
    static String subject(MailingList list, DigestIssue issue) {
        return list.displayName() + " Digest, Vol " + issue.volume() + ", Issue " + issue.number();
    }

    static MimeMessage build(DigestMode kind, MailingList list, DigestIssue issue, List<DigestEntry> entries,
                             Optional<URI> publicBaseUrl) throws MessagingException {
        MimeMessage message = new MimeMessage(MailSessions.shared()) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", messageId(kind, list, issue));
            }
        };
        try {
            message.setFrom(new InternetAddress(list.requestAddress().asString(), list.displayName(), "UTF-8"));
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException("UTF-8 is missing from this JVM", e);
        }
        message.setRecipients(javax.mail.Message.RecipientType.TO, list.address().asString());
        message.setReplyTo(new InternetAddress[] {new InternetAddress(list.address().asString())});
        message.setSubject(subject(list, issue), "UTF-8");
        message.setSentDate(Date.from(issue.closedAt().orElse(issue.openedAt())));
        ListHeaders.addTo(message, list, publicBaseUrl);
        String header = FooterTemplate.render(list, list.digestHeaderTemplate()).strip();
        String footer = FooterTemplate.render(list, list.digestFooterTemplate()).strip();
        if (kind == DigestMode.MIME) {
            message.setContent(mime(list, issue, entries, header, footer));
            if (eightBit(entries)) {
                // RFC 2045 6.4: a multipart is labelled with the widest encoding of what it holds, so that a relay
                // without 8BITMIME knows to downgrade it
                message.setHeader("Content-Transfer-Encoding", "8bit");
            }
        } else {
            message.setText(plain(list, issue, entries, header, footer), "UTF-8");
        }
        message.saveChanges();
        return message;
    }

    private static String messageId(DigestMode kind, MailingList list, DigestIssue issue) {
        return "<digest." + issue.id() + "." + kind.value() + "." + list.listId() + "@" + list.address().getDomain().asString() + ">";
    }

    private static MimeMultipart mime(MailingList list, DigestIssue issue, List<DigestEntry> entries, String header, String footer)
        throws MessagingException {
        MimeMultipart mixed = new MimeMultipart("mixed");
        mixed.addBodyPart(text(masthead(list), subject(list, issue)));
        if (!header.isEmpty()) {
            mixed.addBodyPart(text(header, "Digest Header"));
        }
        mixed.addBodyPart(text(contents(entries), "Today's Topics (" + entries.size() + " messages)"));
        MimeMultipart digest = new MimeMultipart("digest");
        for (DigestEntry entry : entries) {
            byte[] bytes = entry.message();
            InternetHeaders headers = new InternetHeaders();
            headers.addHeader("Content-Type", "message/rfc822");
            if (!ascii(bytes)) {
                headers.addHeader("Content-Transfer-Encoding", "8bit");
            }
            digest.addBodyPart(new RawBodyPart(headers, bytes));
        }
        MimeBodyPart posts = new MimeBodyPart();
        posts.setContent(digest);
        if (eightBit(entries)) {
            posts.setHeader("Content-Transfer-Encoding", "8bit");
        }
        mixed.addBodyPart(posts);
        if (!footer.isEmpty()) {
            mixed.addBodyPart(text(footer, "Digest Footer"));
        }
        return mixed;
    }

    private static boolean eightBit(List<DigestEntry> entries) {
        return entries.stream().anyMatch(entry -> !ascii(entry.message()));
    }

    private static BodyPart text(String text, String description) throws MessagingException {
        MimeBodyPart part = new MimeBodyPart();
        part.setText(text.endsWith("\n") ? text : text + "\n", "UTF-8");
        part.setDescription(description, "UTF-8");
        return part;
    }

    private static String plain(MailingList list, DigestIssue issue, List<DigestEntry> entries, String header, String footer)
        throws MessagingException {
        StringBuilder text = new StringBuilder();
        text.append(masthead(list)).append('\n');
        if (!header.isEmpty()) {
            text.append(header).append("\n\n");
        }
        text.append(contents(entries)).append('\n');
        text.append(PREAMBLE_SEPARATOR).append("\n\n");
        int index = 1;
        for (DigestEntry entry : entries) {
            if (index > 1) {
                text.append(MESSAGE_SEPARATOR).append("\n\n");
            }
            text.append("Message: ").append(index++).append('\n');
            appendPost(text, entry);
            text.append('\n');
        }
        if (!footer.isEmpty()) {
            text.append(MESSAGE_SEPARATOR).append("\n\nSubject: Digest Footer\n\n").append(stuffed(footer)).append("\n\n");
        }
        text.append(MESSAGE_SEPARATOR).append("\n\n");
        String end = "End of " + subject(list, issue);
        text.append(end).append('\n').append("*".repeat(end.length())).append('\n');
        return text.toString();
    }

    private static void appendPost(StringBuilder text, DigestEntry entry) throws MessagingException {
        MimeMessage post = new MimeMessage(MailSessions.shared(), new ByteArrayInputStream(entry.message()));
        for (String name : PLAIN_HEADERS) {
            String value = post.getHeader(name, ", ");
            if (value != null) {
                text.append(name).append(": ").append(decoded(value)).append('\n');
            }
        }
        text.append('\n');
        String body;
        try {
            body = bodyText(post, 0).strip();
        } catch (MessagingException | IOException | RuntimeException e) {
            body = "[the text of this message could not be read]";
        }
        text.append(stuffed(body)).append('\n');
    }

    /** The text a reader sees: plain parts as they are, HTML as its visible text, other parts named but left out. */
    private static String bodyText(Part part, int depth) throws MessagingException, IOException {
        if (depth > 10) {
            return "";
        }
        if (part.isMimeType("text/plain")) {
            return String.valueOf(part.getContent());
        }
        if (part.isMimeType("text/html")) {
            return Html.visibleText(String.valueOf(part.getContent()));
        }
        if (part.isMimeType("multipart/alternative")) {
            Multipart alternatives = (Multipart) part.getContent();
            for (int i = 0; i < alternatives.getCount(); i++) {
                if (alternatives.getBodyPart(i).isMimeType("text/plain")) {
                    return bodyText(alternatives.getBodyPart(i), depth + 1);
                }
            }
            return alternatives.getCount() == 0 ? "" : bodyText(alternatives.getBodyPart(0), depth + 1);
        }
        if (part.isMimeType("multipart/*")) {
            Multipart multipart = (Multipart) part.getContent();
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < multipart.getCount(); i++) {
                String text = bodyText(multipart.getBodyPart(i), depth + 1).strip();
                if (!text.isEmpty()) {
                    texts.add(text);
                }
            }
            return String.join("\n\n", texts);
        }
        String name = part.getFileName();
        return "[" + (name == null ? "a part" : "attachment " + decoded(name)) + " of type " + baseType(part)
            + " is not included in the plain digest]";
    }

    private static String baseType(Part part) throws MessagingException {
        String type = part.getContentType();
        int semicolon = type == null ? -1 : type.indexOf(';');
        return type == null ? "unknown" : (semicolon < 0 ? type : type.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }

    private static String masthead(MailingList list) {
        return "Send " + list.displayName() + " mailing list submissions to\n\t" + list.address().asString() + "\n\n"
            + "To subscribe or unsubscribe, send an email with the subject or body 'help' to\n\t"
            + list.requestAddress().asString() + "\n\n"
            + "You can reach the person managing the list at\n\t" + list.ownerAddress().asString() + "\n\n"
            + "When replying, please edit your Subject line so it is more specific\n"
            + "than \"Re: Contents of " + list.displayName() + " digest...\"\n";
    }

    private static String contents(List<DigestEntry> entries) {
        StringBuilder text = new StringBuilder("Today's Topics:\n\n");
        int index = 1;
        for (DigestEntry entry : entries) {
            text.append(String.format(Locale.ROOT, "%4d. ", index++)).append(oneLine(entry.subject())).append(" (")
                .append(oneLine(entry.author())).append(")\n");
        }
        return text.toString();
    }

    /** A body line that could pass for a separator (30 dashes or more) gets RFC 934's {@code "- "} in front. */
    private static String stuffed(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (String line : text.replace("\r\n", "\n").split("\n", -1)) {
            if (out.length() > 0) {
                out.append('\n');
            }
            out.append(line.startsWith(MESSAGE_SEPARATOR) ? "- " + line : line);
        }
        return out.toString();
    }

    private static String decoded(String value) {
        return Headers.decode(value);
    }

    private static String oneLine(String value) {
        return value.replaceAll("[\\r\\n\\t]+", " ").strip();
    }

    private static boolean ascii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }
}
