package org.listkeeper.handlers;

import java.util.Objects;

import javax.mail.Address;
import javax.mail.MessagingException;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;

import org.listkeeper.digest.DigestEntry;
import org.listkeeper.digest.Digester;
import org.listkeeper.internal.Headers;
import org.listkeeper.list.MailingList;
import org.listkeeper.pipeline.Handler;
import org.listkeeper.pipeline.HandlerResult;
import org.listkeeper.pipeline.PostContext;
import org.listkeeper.pipeline.PostProgress;

/**
 * Puts the post, as the members receive it, into the list's open digest issue, once (a replay finds it there), and
 * marks it so that fan-out leaves out the members who take digests. A post that crosses the list's
 * {@code digestSizeThreshold} closes the issue, which is handed to delivery. On a list with digests off, nothing
 * happens and every member receives the post singly.
 */
final class DigestHandler implements Handler {
    static final String NAME = "digest";

    private final Digester digester;

    DigestHandler(Digester digester) {
        this.digester = Objects.requireNonNull(digester);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Adds the post to the list's open digest issue, once, and closes the issue at the size threshold";
    }

    @Override
    public HandlerResult handle(PostContext post) throws MessagingException {
        MailingList list = post.list();
        if (!list.digestsEnabled()) {
            return HandlerResult.proceed();
        }
        long number = ArchiveHandler.number(post, NAME);
        MimeMessage message = post.mail().getMessage();
        digester.add(list, DigestEntry.of(number, subject(message), author(message), Headers.sentDate(message, post.now()),
            Headers.bytes(message)));
        PostProgress.setFlag(post.mail(), PostProgress.DIGESTED, true);
        return HandlerResult.proceed();
    }

    private static String subject(MimeMessage message) {
        String subject = Headers.subject(message);
        return subject.isEmpty() ? "(no subject)" : abbreviate(subject, 2000);
    }

    private static String author(MimeMessage message) {
        try {
            Address[] from = message.getFrom();
            if (from != null && from.length > 0 && from[0] instanceof InternetAddress) {
                InternetAddress address = (InternetAddress) from[0];
                String name = address.getPersonal();
                return abbreviate(name == null || name.isBlank() ? address.getAddress() : name.strip() + " <" + address.getAddress() + ">",
                    1000);
            }
        } catch (MessagingException e) {
            // an unreadable From: the raw header below
        }
        try {
            String raw = message.getHeader("From", ", ");
            return raw == null ? "(unknown author)" : abbreviate(Headers.decode(raw), 1000);
        } catch (MessagingException e) {
            return "(unknown author)";
        }
    }

    private static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "\u2026";
    }
}
