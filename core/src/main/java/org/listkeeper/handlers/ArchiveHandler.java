package org.listkeeper.handlers;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.listkeeper.ListkeeperException;
import org.listkeeper.archive.Archiver;
import org.listkeeper.internal.Headers;
import org.listkeeper.list.MailingList;
import org.listkeeper.pipeline.Handler;
import org.listkeeper.pipeline.HandlerResult;
import org.listkeeper.pipeline.PostContext;
import org.listkeeper.pipeline.PostProgress;

/**
 * Keeps the post in the list's archive as the members receive it (after the list headers, prefix and footer; before
 * any copy is personalized), under its post number, once: a replay finds the entry and adds nothing. When the public
 * web address is known, the post carries RFC 5064 {@code Archived-At} pointing at its archive page. Lists whose
 * {@code archivePolicy} is {@code never} are not archived.
 */
final class ArchiveHandler implements Handler {
    static final String NAME = "archive";

    private final Archiver archiver;
    private final Optional<URI> publicBaseUrl;

    ArchiveHandler(Archiver archiver, Optional<URI> publicBaseUrl) {
        this.archiver = Objects.requireNonNull(archiver);
        this.publicBaseUrl = Objects.requireNonNull(publicBaseUrl);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Keeps the post in the list's archive under its post number, once, and adds Archived-At";
    }

    @Override
    public HandlerResult handle(PostContext post) throws MessagingException {
        MailingList list = post.list();
        if (!list.archives()) {
            return HandlerResult.proceed();
        }
        long number = number(post, NAME);
        MimeMessage message = post.mail().getMessage();
        Optional<String> page = pageOf(publicBaseUrl, list, number);
        if (page.isPresent()) {
            message.setHeader("Archived-At", "<" + page.get() + ">");
            message.saveChanges();
        }
        archiver.archive(list, number, Headers.bytes(message));
        return HandlerResult.proceed();
    }

    /** The public page of post {@code number} of {@code list}: {@code {base}/lists/{list}/archive/{number}}. */
    static Optional<String> pageOf(Optional<URI> base, MailingList list, long number) {
        return archivePage(base, list).map(archive -> archive + "/" + number);
    }

    /** The list's public archive page, when the public web address is known and the list keeps an archive. */
    static Optional<String> archivePage(Optional<URI> base, MailingList list) {
        if (base.isEmpty() || !list.archives()) {
            return Optional.empty();
        }
        return Optional.of(base.get().toString().replaceAll("/+$", "") + "/lists/" + list.address().asString() + "/archive");
    }

    /** The post's number, which {@code handler} needs: {@code post-number} must come before it. */
    static long number(PostContext post, String handler) {
        return PostProgress.number(post.mail(), PostProgress.POST_NUMBER).orElseThrow(() -> new ListkeeperException(
            "the post has no number: put post-number before " + handler + " in the pipeline"));
    }
}
