package org.listkeeper.archive;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.mail.Address;
import javax.mail.MessagingException;
import javax.mail.Multipart;
import javax.mail.Part;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;

import org.listkeeper.internal.Headers;
import org.listkeeper.internal.Html;
import org.listkeeper.internal.MessageIds;
import org.listkeeper.list.MailingList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a message into a list's archive under a post number: reads its identity, author, date and subject, places it in
 * a thread (the thread of the post its {@code In-Reply-To} or {@code References} name; a reply whose post is not
 * archived joins the newest thread of the same subject within {@link #SUBJECT_THREAD_WINDOW}; anything else starts a
 * thread), and indexes the words of its subject, author and text parts for search.
 */
public final class Archiver {
    /** How far back a reply without a known parent looks for a thread of the same subject. */
    public static final Duration SUBJECT_THREAD_WINDOW = Duration.ofDays(30);
    private static final Logger LOGGER = LoggerFactory.getLogger(Archiver.class);
    private static final Pattern MESSAGE_ID = Pattern.compile("<[^<>\\s]+>");
    private static final Pattern REPLY_MARKER = Pattern.compile("^\\s*(re|aw|sv|antw|vs|odp|fwd?|wg)(\\[\\d+\\]|\\^\\d+)?\\s*:\\s*",
        Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    private static final Pattern BRACKETED = Pattern.compile("^\\s*\\[[^\\]]*\\]\\s*");
    private static final int MAX_SUBJECT = 2_000;

    private final Archive archive;
    private final Clock clock;

    public Archiver(Archive archive, Clock clock) {
        this.archive = Objects.requireNonNull(archive);
        this.clock = Objects.requireNonNull(clock);
    }

    /** Archives {@code raw} as post {@code number} of {@code list}, once; answers whether this call added it. */
    public boolean archive(MailingList list, long number, byte[] raw) throws MessagingException {
        return archive(list, number, raw, null);
    }

    /**
     * As {@link #archive(MailingList, long, byte[])}, with the key the archive finds the message by when it has no
     * Message-ID ({@code keyWithoutMessageId}; null for none).
     */
    public boolean archive(MailingList list, long number, byte[] raw, String keyWithoutMessageId) throws MessagingException {
        MimeMessage message = parse(raw);
        Optional<String> messageId = Optional.ofNullable(MessageIds.read(message));
        String subject = subject(message);
        String subjectKey = subjectKey(subject, list.subjectPrefix());
        Instant date = date(message);
        Optional<String> inReplyTo = firstId(header(message, "In-Reply-To"));
        long thread = thread(list.id(), number, inReplyTo, references(message), subject, subjectKey, date);
        Optional<InternetAddress> author = author(message);
        String authorAddress = author.map(InternetAddress::getAddress).orElse(null);
        String authorName = author.map(Archiver::displayName).orElse("");
        ArchiveEntry entry = ArchiveEntry.builder(number).messageId(messageId.orElse(null)).subject(abbreviate(subject, MAX_SUBJECT))
            .author(abbreviate(authorName, 500), authorAddress).date(date).threadId(thread).inReplyTo(inReplyTo.orElse(null))
            .size(raw.length).build();
        Set<String> words = new LinkedHashSet<>();
        Words.add(words, subject);
        Words.add(words, authorName);
        Words.add(words, authorAddress);
        for (String text : texts(message)) {
            Words.add(words, text);
        }
        boolean added = archive.add(list.id(), entry, messageId.map(MessageIds::key).orElse(keyWithoutMessageId), subjectKey, raw,
            words);
        if (added) {
            LOGGER.debug("Post #{} of {} archived in thread {} ({} words)", number, list.address().asString(), thread, words.size());
        }
        return added;
    }

    /** The Message-ID key of {@code raw}, if it has one (an import skips messages the archive has). */
    public static Optional<String> messageIdKey(byte[] raw) throws MessagingException {
        return Optional.ofNullable(MessageIds.read(parse(raw))).map(MessageIds::key);
    }

    static MimeMessage parse(byte[] raw) throws MessagingException {
        return new MimeMessage(org.listkeeper.internal.MailSessions.shared(), new ByteArrayInputStream(raw));
    }

    private long thread(long listId, long number, Optional<String> inReplyTo, List<String> references, String subject,
                        String subjectKey, Instant date) {
        List<String> parents = new ArrayList<>();
        inReplyTo.ifPresent(parents::add);
        List<String> newestFirst = new ArrayList<>(references);
        Collections.reverse(newestFirst);
        parents.addAll(newestFirst);
        List<String> keys = new ArrayList<>();
        for (String parent : parents) {
            keys.add(MessageIds.key(parent));
        }
        if (!keys.isEmpty()) {
            Optional<Long> thread = archive.threadOfMessage(listId, keys);
            if (thread.isPresent()) {
                return thread.get();
            }
        }
        boolean reply = inReplyTo.isPresent() || !references.isEmpty() || REPLY_MARKER.matcher(stripPrefix(subject)).find();
        if (reply && !subjectKey.isEmpty()) {
            Optional<Long> thread = archive.threadOfSubject(listId, subjectKey, date.minus(SUBJECT_THREAD_WINDOW));
            if (thread.isPresent()) {
                return thread.get();
            }
        }
        return number;
    }

    /** The subject without list prefixes, reply and forward markers, folded and lower-cased: what a thread shares. */
    public static String subjectKey(String subject, String prefix) {
        String rest = subject.replaceAll("\\s+", " ").strip();
        boolean changed = true;
        while (changed) {
            changed = false;
            if (!prefix.isBlank() && rest.toLowerCase(Locale.ROOT).startsWith(prefix.strip().toLowerCase(Locale.ROOT))) {
                rest = rest.substring(prefix.strip().length()).strip();
                changed = true;
            }
            Matcher marker = REPLY_MARKER.matcher(rest);
            if (marker.find()) {
                rest = rest.substring(marker.end()).strip();
                changed = true;
            }
        }
        String key = rest.toLowerCase(Locale.ROOT);
        return key.length() > 255 ? key.substring(0, 255) : key;
    }

    private static String stripPrefix(String subject) {
        return BRACKETED.matcher(subject).replaceFirst("");
    }

    private static String subject(MimeMessage message) {
        return Headers.subject(message);
    }

    private Instant date(MimeMessage message) {
        return Headers.sentDate(message, clock.instant());
    }

    private static Optional<InternetAddress> author(MimeMessage message) {
        try {
            Address[] from = message.getFrom();
            if (from != null && from.length > 0 && from[0] instanceof InternetAddress) {
                return Optional.of((InternetAddress) from[0]);
            }
        } catch (MessagingException | RuntimeException e) {
            LOGGER.debug("Unreadable From in an archived message: {}", e.getMessage());
        }
        return Optional.empty();
    }

    private static String displayName(InternetAddress address) {
        String personal = address.getPersonal();
        if (personal != null && !personal.isBlank()) {
            return personal.strip();
        }
        String value = address.getAddress() == null ? "" : address.getAddress();
        int at = value.indexOf('@');
        return at > 0 ? value.substring(0, at) : value;
    }

    private static String header(MimeMessage message, String name) {
        try {
            return message.getHeader(name, " ");
        } catch (MessagingException | RuntimeException e) {
            return null;
        }
    }

    private static List<String> references(MimeMessage message) {
        List<String> ids = new ArrayList<>();
        String value = header(message, "References");
        if (value != null) {
            Matcher matcher = MESSAGE_ID.matcher(value);
            while (matcher.find()) {
                ids.add(matcher.group());
            }
        }
        return ids;
    }

    private static Optional<String> firstId(String value) {
        if (value == null) {
            return Optional.empty();
        }
        Matcher matcher = MESSAGE_ID.matcher(value);
        return matcher.find() ? Optional.of(matcher.group()) : Optional.empty();
    }

    /** The text of every inline text part: plain as it is, HTML as a reader sees it. */
    public static List<String> texts(Part part) {
        List<String> texts = new ArrayList<>();
        collect(part, texts, 0);
        return texts;
    }

    private static void collect(Part part, List<String> texts, int depth) {
        if (depth > 20) {
            return;
        }
        try {
            if (part.isMimeType("multipart/*")) {
                Object content = part.getContent();
                if (content instanceof Multipart) {
                    Multipart multipart = (Multipart) content;
                    for (int i = 0; i < multipart.getCount(); i++) {
                        collect(multipart.getBodyPart(i), texts, depth + 1);
                    }
                }
            } else if (part.isMimeType("text/plain") || part.isMimeType("text/html")) {
                Object content = part.getContent();
                if (content instanceof String) {
                    texts.add(part.isMimeType("text/html") ? Html.visibleText((String) content) : (String) content);
                }
            }
        } catch (MessagingException | IOException | RuntimeException e) {
            // a part that does not decode has no words to index; the message itself is kept whole
        }
    }

    private static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "\u2026";
    }
}
