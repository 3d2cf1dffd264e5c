package org.listkeeper.handlers;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.listkeeper.ListkeeperException;
import org.listkeeper.digest.DigestDispatch;
import org.listkeeper.digest.DigestEntry;
import org.listkeeper.digest.DigestIssue;
import org.listkeeper.digest.DigestStore;
import org.listkeeper.list.Audience;
import org.listkeeper.list.DeliveryMode;
import org.listkeeper.list.DigestMode;
import org.listkeeper.list.MailingList;
import org.listkeeper.pipeline.Handler;
import org.listkeeper.pipeline.HandlerResult;
import org.listkeeper.pipeline.PostContext;
import org.listkeeper.pipeline.PostProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers a closed digest issue: the only handler of the mail {@link DigestDispatch} makes for it. Builds the MIME and
 * the plain digest and fans each out to its members (and to those who left that kind while the issue was unsent) in
 * batches recorded as a post's are, under {@code digest:{issue}:mime} and {@code digest:{issue}:plain}; so after a crash
 * each member gets the issue once, at most the batch in flight twice. Marks the issue sent at the end.
 */
final class DigestDelivery implements Handler {
    static final String NAME = DigestDispatch.DELIVERY_HANDLER;
    private static final Logger LOGGER = LoggerFactory.getLogger(DigestDelivery.class);

    private final DigestStore digests;
    private final FanOut fanOut;
    private final Optional<URI> publicBaseUrl;

    DigestDelivery(DigestStore digests, FanOut fanOut, Optional<URI> publicBaseUrl) {
        this.digests = Objects.requireNonNull(digests);
        this.fanOut = Objects.requireNonNull(fanOut);
        this.publicBaseUrl = Objects.requireNonNull(publicBaseUrl);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Sends a closed digest issue to the members who take digests, MIME and plain, in recorded batches";
    }

    @Override
    public HandlerResult handle(PostContext post) throws MessagingException {
        MailingList list = post.list();
        long issueId = PostProgress.number(post.mail(), PostProgress.DIGEST_ISSUE).orElseThrow(() -> new ListkeeperException(
            "this mail names no digest issue: " + NAME + " only delivers the issues Listkeeper hands to it"));
        DigestIssue issue = digests.issue(list.id(), issueId).orElseThrow(() -> new ListkeeperException(
            "digest issue #" + issueId + " of " + list.address().asString() + " is not in the store"));
        post.mail().setRecipients(List.of());
        if (issue.sentAt().isPresent()) {
            LOGGER.info("Digest {} of {} was sent already; nothing resent", issue, list.address().asString());
            return HandlerResult.proceed();
        }
        if (issue.open()) {
            throw new ListkeeperException("digest issue #" + issueId + " of " + list.address().asString() + " is still open");
        }
        List<DigestEntry> entries = digests.entries(issueId);
        // digests go out as one copy per batch, or with each member's own envelope sender when the list uses VERP for
        // posts; they are never personalized
        FanOut.Mode mode = list.delivery() == DeliveryMode.PERSONALIZED || list.verpEveryPost() ? FanOut.Mode.VERP : FanOut.Mode.BULK;
        for (DigestMode kind : List.of(DigestMode.MIME, DigestMode.PLAIN)) {
            MimeMessage message = DigestMessages.build(kind, list, issue, entries, publicBaseUrl);
            fanOut.deliver(post, new FanOut.Shipment(DigestDispatch.postKey(issue) + ":" + kind.value(), message,
                Audience.digest(kind, issueId), Optional.empty(), mode));
        }
        digests.markSent(issueId, post.now());
        LOGGER.info("Digest {} of {} sent", issue, list.address().asString());
        return HandlerResult.proceed();
    }
}
