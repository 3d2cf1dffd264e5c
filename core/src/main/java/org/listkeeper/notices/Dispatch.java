package org.listkeeper.notices;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.MailetContext;
import org.listkeeper.list.Addresses;
import org.listkeeper.list.MailingList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes notices into letters under the list's daily limit of automatic replies per address (GNU Mailman's
 * brake on reply loops with robots that ignore RFC 3834), and sends letters through the transport with the
 * list's bounce address as envelope sender.
 */
public final class Dispatch {
    private static final Logger LOGGER = LoggerFactory.getLogger(Dispatch.class);

    private final AutoReplies autoReplies;
    private final Templates templates;

    public Dispatch(AutoReplies autoReplies, Templates templates) {
        this.autoReplies = Objects.requireNonNull(autoReplies);
        this.templates = Objects.requireNonNull(templates);
    }

    /**
     * The letters for {@code notices}: those to {@code replyTo} thread to {@code inReply}; a confirmation's reply
     * address is its {@code confirmAddress}. Notices over the recipient's daily limit are left out (and logged).
     */
    public List<Letters.Letter> write(MailingList list, List<Notice> notices, Optional<MailAddress> replyTo,
                                             Optional<MimeMessage> inReply, Instant now) throws MessagingException {
        return write(list, notices, replyTo, inReply, now, key -> Optional.empty());
    }

    /** Writes notices that answer no mail (a REST action, a task, a bounce) and hands them to {@code processor}. */
    public void notify(MailetContext context, MailingList list, List<Notice> notices, Instant now,
                              String processor) throws MessagingException {
        send(context, list, write(list, notices, Optional.empty(), Optional.empty(), now), processor);
    }

    /** Where the mails that notices attach are found (the hold queue). */
    public interface Attachments {
        Optional<MimeMessage> get(String key) throws MessagingException;
    }

    /** As above, attaching to each notice the mail it names. */
    public List<Letters.Letter> write(MailingList list, List<Notice> notices, Optional<MailAddress> replyTo,
                                             Optional<MimeMessage> inReply, Instant now, Attachments attachments)
        throws MessagingException {
        long day = now.atZone(ZoneOffset.UTC).toLocalDate().toEpochDay();
        List<Letters.Letter> letters = new ArrayList<>();
        for (Notice notice : notices) {
            if (notice.automaticReply() && !autoReplies.countAutoReply(list.id(), notice.recipient(), day, list.autoRepliesPerDay())) {
                LOGGER.info("No {} to {} for {}: it had its {} automatic replies today", notice.kind().templateName(),
                    notice.recipient().asString(), list.address().asString(), list.autoRepliesPerDay());
                continue;
            }
            boolean answers = replyTo.map(Addresses::key).map(Addresses.key(notice.recipient())::equals).orElse(false);
            Optional<MailAddress> confirmAddress = notice.value("confirmAddress").map(value -> Addresses.parse("confirmAddress", value));
            Optional<MimeMessage> attachment = notice.attachment().isPresent() ? attachments.get(notice.attachment().get()) : Optional.empty();
            Letters.Letter letter = Letters.write(list, templates, notice, answers ? inReply : Optional.empty(), confirmAddress, attachment);
            letters.add(notice.envelope().isPresent() ? letter.from(notice.envelope().get()) : letter);
        }
        return letters;
    }

    /**
     * Hands each letter to {@code processor} (the transport), from the list's bounce address. A letter to the list's
     * own owner address (a list without owners) starts in the root processor instead, where that address is
     * forwarded to the postmaster, rather than leaving through the transport.
     */
    public static void send(MailetContext context, MailingList list, List<Letters.Letter> letters, String processor)
        throws MessagingException {
        for (Letters.Letter letter : letters) {
            String state = letter.recipient().equals(list.ownerAddress()) ? Mail.DEFAULT : processor;
            context.sendMail(letter.envelope().orElse(list.bouncesAddress()), List.of(letter.recipient()), letter.message(), state);
        }
    }
}
