package org.listkeeper.mailets;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.james.mailrepository.api.MailRepository;
import org.apache.james.mailrepository.api.MailRepositoryUrl;
import org.apache.james.metrics.api.Metric;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.mailet.Mail;
import org.apache.mailet.MailetContext;
import org.listkeeper.ListkeeperException;
import org.listkeeper.internal.MessageIds;
import org.listkeeper.list.ListRecipient;
import org.listkeeper.list.Lists;
import org.listkeeper.list.MailingList;
import org.listkeeper.moderation.HoldQueue;
import org.listkeeper.moderation.Moderation;
import org.listkeeper.notices.Dispatch;
import org.listkeeper.notices.Letters;
import org.listkeeper.notices.Notice;
import org.listkeeper.pipeline.Disposition;
import org.listkeeper.pipeline.PostProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What becomes of a mail once the engine has run it, as James's {@code RemoteDelivery} acts on an
 * {@code ExecutionResult}: delivered or discarded (the spool's copy let go), retried (re-enqueued durably with its
 * backoff), held (kept for a moderator, who is told), parked (kept with its failure for an operator). Each counts in
 * its metric and is logged once at INFO (WARN for parking) with the list, Message-ID and post number.
 */
final class Dispositions {
    /** Prefix of the James metrics the list mailets publish. */
    static final String METRIC_PREFIX = "listkeeper_";
    private static final Logger LOGGER = LoggerFactory.getLogger(Dispositions.class);

    private final Metric received;
    private final Metric delivered;
    private final Metric digestsDelivered;
    private final Metric retried;
    private final Metric parked;
    private final Metric discarded;
    private final Metric held;
    private final Lists lists;
    private final Moderation moderation;
    private final Dispatch dispatch;
    private final HoldQueue holdQueue;
    private final RetryScheduler retryScheduler;
    private final MailRepository parking;
    private final MailRepositoryUrl parkingUrl;
    private final String transportProcessor;
    private final Clock clock;

    Dispositions(MetricFactory metrics, Lists lists, Moderation moderation, Dispatch dispatch, HoldQueue holdQueue,
                 RetryScheduler retryScheduler, MailRepository parking, MailRepositoryUrl parkingUrl, String transportProcessor,
                 Clock clock) {
        this.received = metrics.generate(METRIC_PREFIX + "posts_received");
        this.delivered = metrics.generate(METRIC_PREFIX + "posts_delivered");
        this.digestsDelivered = metrics.generate(METRIC_PREFIX + "digests_delivered");
        this.retried = metrics.generate(METRIC_PREFIX + "posts_retried");
        this.parked = metrics.generate(METRIC_PREFIX + "posts_parked");
        this.discarded = metrics.generate(METRIC_PREFIX + "posts_discarded");
        this.held = metrics.generate(METRIC_PREFIX + "posts_held");
        this.lists = lists;
        this.moderation = moderation;
        this.dispatch = dispatch;
        this.holdQueue = holdQueue;
        this.retryScheduler = retryScheduler;
        this.parking = parking;
        this.parkingUrl = parkingUrl;
        this.transportProcessor = transportProcessor;
        this.clock = clock;
    }

    /** Counts a mail entering the pipeline for the first time. */
    void received() {
        received.increment();
    }

    void act(Mail mail, ListRecipient recipient, Disposition disposition, MailetContext context) throws MessagingException {
        // "Post <id> #12 to team@…" for posts, "Mail <id> #- to team-request@…" for commands, "Digest <id> issue #3 to
        // team@…" for the mail that delivers a digest issue
        Optional<String> digestIssue = PostProgress.string(mail, PostProgress.DIGEST_ISSUE);
        String what = digestIssue.isPresent() ? "Digest" : recipient.kind() == ListRecipient.Kind.POST ? "Post" : "Mail";
        String list = recipient.redacted();
        String messageId = Optional.ofNullable(MessageIds.read(mail.getMessage())).orElse("(none)");
        String postNumber = digestIssue.map(id -> "issue #" + id)
            .orElseGet(() -> PostProgress.string(mail, PostProgress.POST_NUMBER).map(n -> "#" + n).orElse("#-"));
        switch (disposition.kind()) {
            case COMPLETED:
                // a digest issue's delivery is not a post: posts_received never counted it
                (digestIssue.isPresent() ? digestsDelivered : delivered).increment();
                mail.setState(Mail.GHOST);
                LOGGER.info("{} {} {} to {}: delivered", what, messageId, postNumber, list);
                break;
            case DISCARDED:
                discarded.increment();
                mail.setState(Mail.GHOST);
                LOGGER.info("{} {} {} to {}: discarded by {}: {}", what, messageId, postNumber, list,
                    disposition.handler().orElse("?"), disposition.reason().orElse(""));
                break;
            case RETRY:
                retryScheduler.schedule(mail, mail.getState(), disposition.delay());
                mail.setState(Mail.GHOST);
                retried.increment();
                LOGGER.info("{} {} {} to {}: retry #{} in {} at {}: {}", what, messageId, postNumber, list,
                    disposition.attempt(), disposition.delay(), disposition.handler().orElse("?"), disposition.reason().orElse(""));
                break;
            case PARK:
                park(mail, list, messageId, postNumber, disposition);
                break;
            case HELD:
                hold(mail, recipient.list(), disposition, context);
                held.increment();
                LOGGER.info("{} {} {} to {}: held by {}: {}", what, messageId, postNumber, list,
                    disposition.handler().orElse("?"), disposition.reason().orElse(""));
                break;
            default:
                throw new IllegalStateException("Unknown disposition " + disposition);
        }
    }

    /** Keeps a held post for its moderators and tells them (and the poster), then lets go of the spool's copy. */
    private void hold(Mail mail, MailAddress listAddress, Disposition disposition, MailetContext context) throws MessagingException {
        MailingList list;
        try {
            list = lists.getList(listAddress);
        } catch (ListkeeperException e) {
            throw new MessagingException("Cannot hold post " + mail.getName() + ": " + e.getMessage(), e);
        }
        String postKey = PostProgress.string(mail, PostProgress.POST_KEY).orElse(mail.getName());
        List<Notice> notices;
        try {
            notices = moderation.hold(list, mail, postKey, disposition.reason().orElse("held"));
        } catch (MessagingException | RuntimeException e) {
            // the spool keeps the post only if we fail loudly
            throw new MessagingException("Cannot hold post " + mail.getName() + ": " + e.getMessage(), e);
        }
        try {
            send(list, notices, mail, context);
        } catch (MessagingException | RuntimeException e) {
            LOGGER.warn("Post {} is held, but its notices could not be sent: {}", mail.getName(), e.getMessage());
        }
        mail.setState(Mail.GHOST);
    }

    /** Writes and sends the notices of a held post, attaching it from the hold queue; the poster's reply threads. */
    private void send(MailingList list, List<Notice> notices, Mail post, MailetContext context) throws MessagingException {
        if (notices.isEmpty()) {
            return;
        }
        List<Letters.Letter> letters = dispatch.write(list, notices, post.getMaybeSender().asOptional(),
            Optional.of(post.getMessage()), clock.instant(), key -> {
                Optional<Mail> waiting = holdQueue.get(key);
                return waiting.isPresent() ? Optional.of(waiting.get().getMessage()) : Optional.empty();
            });
        Dispatch.send(context, list, letters, transportProcessor);
    }

    private void park(Mail mail, String list, String messageId, String postNumber, Disposition disposition) throws MessagingException {
        try {
            parking.store(mail);
        } catch (MessagingException | RuntimeException e) {
            // the spool keeps the mail only if we fail loudly
            throw new MessagingException("Cannot park post " + mail.getName() + " in " + parkingUrl.asString() + ": " + e.getMessage(), e);
        }
        mail.setState(Mail.GHOST);
        parked.increment();
        LOGGER.warn("Post {} {} to {}: parked in {} as {} at handler {}: {}", messageId, postNumber, list,
            parkingUrl.asString(), mail.getName(), disposition.handler().orElse("?"), disposition.reason().orElse(""));
    }
}
