package org.listkeeper.notices;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.AddressException;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.listkeeper.list.MailingList;

/**
 * Turns notices into mail: plain text in UTF-8 with correct MIME headers, from the list's request address,
 * marked {@code Auto-Submitted} (RFC 3834) so that well-behaved robots never answer, and threaded to the mail
 * it answers. Also writes letters to and reads them from the text form they travel in as a mail attribute.
 */
public final class Letters {
    private static final Session SESSION = org.listkeeper.internal.MailSessions.shared();

    private Letters() {
    }

    /** One written notice and its envelope recipient. */
    public static final class Letter {
        private final MailAddress recipient;
        private final MimeMessage message;
        private final MailAddress envelope;

        Letter(MailAddress recipient, MimeMessage message, MailAddress envelope) {
            this.recipient = recipient;
            this.message = message;
            this.envelope = envelope;
        }

        /** The same letter sent from {@code envelope} (a VERP address) rather than the list's bounce address. */
        public Letter from(MailAddress envelope) {
            return new Letter(recipient, message, envelope);
        }

        /** The envelope sender, when it is not the list's bounce address. */
        public Optional<MailAddress> envelope() {
            return Optional.ofNullable(envelope);
        }

        public MailAddress recipient() {
            return recipient;
        }

        public MimeMessage message() {
            return message;
        }
    }

    /**
     * Writes {@code notice} for {@code list}. {@code inReplyTo} is the mail it answers, if any; {@code replyTo},
     * when present, is where a reply to it should go (a confirmation address).
     */
    public static Letter write(MailingList list, Templates templates, Notice notice, Optional<MimeMessage> inReplyTo,
                               Optional<MailAddress> replyTo) throws MessagingException {
        return write(list, templates, notice, inReplyTo, replyTo, Optional.empty());
    }

    /** As above, with {@code attachment} (a held post) after the text as {@code message/rfc822}. */
    public static Letter write(MailingList list, Templates templates, Notice notice, Optional<MimeMessage> inReplyTo,
                               Optional<MailAddress> replyTo, Optional<MimeMessage> attachment) throws MessagingException {
        Templates.RenderedText text = templates.render(list, notice.kind(), notice.values());
        String messageId = "<" + UUID.randomUUID() + "@" + list.address().getDomain().asString() + ">";
        MimeMessage message = new MimeMessage(SESSION) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", messageId);
            }
        };
        message.setFrom(address(list.requestAddress(), list.displayName()));
        message.setRecipient(javax.mail.Message.RecipientType.TO, new InternetAddress(notice.recipient().asString()));
        if (replyTo.isPresent()) {
            message.setReplyTo(new InternetAddress[] {new InternetAddress(replyTo.get().asString())});
        }
        message.setSubject(text.subject(), "UTF-8");
        message.setSentDate(new Date());
        message.setHeader("Auto-Submitted", inReplyTo.isPresent() ? "auto-replied" : "auto-generated");
        message.setHeader("Precedence", "bulk");
        message.setHeader("X-Loop", list.address().asString());
        if (inReplyTo.isPresent()) {
            String id = inReplyTo.get().getMessageID();
            if (id != null && !id.isBlank() && id.length() < 500) {
                message.setHeader("In-Reply-To", id);
                String references = inReplyTo.get().getHeader("References", " ");
                message.setHeader("References", references == null || references.length() > 2000 ? id : references + " " + id);
            }
        }
        String body = text.body().endsWith("\n") ? text.body() : text.body() + "\n";
        if (attachment.isPresent()) {
            javax.mail.internet.MimeMultipart parts = new javax.mail.internet.MimeMultipart("mixed");
            javax.mail.internet.MimeBodyPart textPart = new javax.mail.internet.MimeBodyPart();
            textPart.setText(body, "UTF-8");
            parts.addBodyPart(textPart);
            javax.mail.internet.MimeBodyPart held = new javax.mail.internet.MimeBodyPart();
            held.setContent(attachment.get(), "message/rfc822");
            held.setDisposition("inline");
            parts.addBodyPart(held);
            message.setContent(parts);
        } else {
            message.setText(body, "UTF-8");
        }
        message.saveChanges();
        return new Letter(notice.recipient(), message, null);
    }

    private static InternetAddress address(MailAddress address, String personal) throws AddressException {
        try {
            return new InternetAddress(address.asString(), personal, "UTF-8");
        } catch (java.io.UnsupportedEncodingException e) {
            return new InternetAddress(address.asString());
        }
    }

    /**
     * The attribute form of letters: each as its recipient (and, after a space, its envelope sender when it has its own),
     * a line feed, then the message in RFC 5322 form.
     */
    public static List<String> encode(List<Letter> letters) throws MessagingException {
        List<String> encoded = new ArrayList<>();
        for (Letter letter : letters) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try {
                letter.message().writeTo(bytes);
            } catch (IOException e) {
                throw new MessagingException("Cannot write a notice to " + letter.recipient().asString(), e);
            }
            // headers are encoded (RFC 2047) and the body is quoted-printable or 7bit: the bytes are ASCII
            encoded.add(letter.recipient().asString() + letter.envelope().map(e -> " " + e.asString()).orElse("") + "\n"
                + new String(bytes.toByteArray(), StandardCharsets.ISO_8859_1));
        }
        return encoded;
    }

    public static List<Letter> decode(List<String> encoded) throws MessagingException {
        List<Letter> letters = new ArrayList<>();
        for (String entry : encoded) {
            int end = entry.indexOf('\n');
            if (end <= 0) {
                throw new MessagingException("A stored notice has no recipient line");
            }
            String[] envelope = entry.substring(0, end).split(" ");
            MailAddress recipient;
            MailAddress from;
            try {
                recipient = new MailAddress(envelope[0]);
                from = envelope.length > 1 ? new MailAddress(envelope[1]) : null;
            } catch (AddressException e) {
                throw new MessagingException("A stored notice has an unreadable envelope: " + entry.substring(0, end), e);
            }
            MimeMessage message = new MimeMessage(SESSION,
                new ByteArrayInputStream(entry.substring(end + 1).getBytes(StandardCharsets.ISO_8859_1)));
            letters.add(new Letter(recipient, message, from));
        }
        return letters;
    }
}
