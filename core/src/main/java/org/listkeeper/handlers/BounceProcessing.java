package org.listkeeper.handlers;

import org.listkeeper.notices.AutoReplies;
import org.listkeeper.list.Roster;
import org.listkeeper.bounces.BounceRecords;
import java.util.Objects;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.listkeeper.bounces.BounceClass;
import org.listkeeper.bounces.BounceClassifier;
import org.listkeeper.bounces.BounceLogEntry;
import org.listkeeper.bounces.BounceMetrics;
import org.listkeeper.bounces.BounceParser;
import org.listkeeper.bounces.BounceReport;
import org.listkeeper.bounces.Bounces;
import org.listkeeper.bounces.Verp;
import org.listkeeper.list.MailingList;
import org.listkeeper.list.Member;
import org.listkeeper.notices.Dispatch;
import org.listkeeper.bounces.DeliveryFailures;
import org.listkeeper.notices.Notice;
import org.listkeeper.notices.NoticeKind;
import org.listkeeper.pipeline.Handler;
import org.listkeeper.pipeline.HandlerResult;
import org.listkeeper.pipeline.PostContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads mail to a list's bounce address ({@code list-bounces@}, {@code list-bounces+VERP@}) and counts each
 * permanent failure against the member it names: the VERP address first, else the recipients the report names.
 * A delay, a relay or a delivery report never counts. Mail that names no member is passed to the owners (at most
 * ten a day), never to the list.
 */
final class BounceProcessing implements Handler {
    static final String NAME = "bounce-processing";
    private static final Logger LOGGER = LoggerFactory.getLogger(BounceProcessing.class);

    private final Bounces bounces;
    private final BounceRecords bounceRecords;
    private final Roster roster;
    private final AutoReplies autoReplies;
    private final Dispatch dispatch;
    private final BounceMetrics metrics;
    private final DeliveryFailures failures;

    BounceProcessing(Bounces bounces, BounceRecords bounceRecords, Roster roster, AutoReplies autoReplies, Dispatch dispatch,
                     BounceMetrics metrics) {
        this.bounces = Objects.requireNonNull(bounces);
        this.bounceRecords = Objects.requireNonNull(bounceRecords);
        this.roster = Objects.requireNonNull(roster);
        this.autoReplies = Objects.requireNonNull(autoReplies);
        this.dispatch = Objects.requireNonNull(dispatch);
        this.metrics = Objects.requireNonNull(metrics);
        this.failures = new DeliveryFailures(bounces, bounceRecords, metrics);
    }

    /** The Subject of a bounce, or empty when even that cannot be read. */
    private static String subject(MimeMessage message) {
        try {
            return Optional.ofNullable(message.getSubject()).orElse("");
        } catch (MessagingException | RuntimeException e) {
            return "";
        }
    }
    private static final int UNRECOGNISED_PER_DAY = 10;
    private static final String ATTACHED = "bounce";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Counts bounces against the members they name (VERP, RFC 3464 and the common non-standard formats)";
    }

    @Override
    public HandlerResult handle(PostContext post) throws MessagingException {
        MailingList list = post.list();
        MimeMessage message = post.mail().getMessage();
        Optional<MailAddress> verp = post.recipient().detail().flatMap(detail -> Verp.member(bounceRecords, list, detail));
        Optional<BounceReport> report;
        try {
            report = BounceParser.parse(message);
        } catch (MessagingException | RuntimeException e) {
            // broken MIME, a truncated report: the owners get it as it came, nothing is parked for it
            String reason = "it could not be read (" + describe(e) + ")";
            LOGGER.info("Bounce mail {} to {}: {}", post.postKey(), list.address().asString(), reason);
            metrics.unrecognised(true);
            bounceRecords.logBounce(list.id(), post.postKey(), new BounceLogEntry(post.now(), null, null, false, reason));
            forwardToOwners(post, Optional.empty(), reason);
            post.mail().setRecipients(List.of());
            return HandlerResult.proceed();
        }
        Map<MailAddress, Failure> failed = new LinkedHashMap<>();
        boolean onlyHarmless = report.isPresent() && report.get().recipients().stream().noneMatch(r -> r.action().counts())
            && !report.get().recipients().isEmpty();
        if (verp.isPresent()) {
            // the first failure; else a delay (kept as the member's last bounce, of class transient)
            Optional<BounceReport.Recipient> first = report.flatMap(r -> r.recipients().stream().filter(rc -> rc.action().counts()).findFirst()
                .or(() -> r.recipients().stream().filter(rc -> rc.action() == BounceReport.Action.DELAYED).findFirst()));
            if (first.isPresent()) {
                failed.put(verp.get(), new Failure(first.get().bounceClass(), first.get().reply().orElse(null)));
            } else if (report.isEmpty() && looksLikeBounce(post)) {
                // no report this parser reads: what the text says is all there is
                String text = BounceParser.plainText(message).orElse("");
                failed.put(verp.get(), new Failure(BounceClassifier.classify(BounceReport.Action.FAILED, null, text),
                    text.isBlank() ? null : cut(text.strip().replaceAll("\\s+", " "), 500)));
            }
        } else if (report.isPresent()) {
            for (BounceReport.Recipient recipient : report.get().recipients()) {
                if (recipient.action().counts() || recipient.action() == BounceReport.Action.DELAYED) {
                    failed.putIfAbsent(recipient.address(), new Failure(recipient.bounceClass(), recipient.reply().orElse(null)));
                }
            }
        }
        List<Notice> notices = new ArrayList<>();
        List<String> recognised = new ArrayList<>();
        for (Map.Entry<MailAddress, Failure> entry : failed.entrySet()) {
            MailAddress address = entry.getKey();
            Failure failure = entry.getValue();
            org.listkeeper.bounces.Bounces.Outcome outcome = failures.count(list, post.postKey(), address, failure.bounceClass, failure.reply, post.now());
            if (!outcome.member()) {
                continue;
            }
            recognised.add(address.asString() + " (" + failure.bounceClass.label() + (outcome.scored() ? ", counted" : "") + ")");
            notices.addAll(outcome.notices());
        }
        if (recognised.isEmpty() && onlyHarmless) {
            LOGGER.info("Bounce mail {} to {}: {} — not counted", post.postKey(), list.address().asString(), report.get());
            return HandlerResult.proceed();
        }
        if (recognised.isEmpty()) {
            metrics.unrecognised(false);
            bounceRecords.logBounce(list.id(), post.postKey(), new BounceLogEntry(post.now(), null, null, false,
                report.map(Object::toString).orElse("no report")));
            forwardToOwners(post, report, report.isPresent() ? "it names no member of the list" : "it is not a bounce report Listkeeper reads");
        } else {
            LOGGER.info("Bounce mail {} to {} ({}): {}", post.postKey(), list.address().asString(),
                report.map(BounceReport::format).orElse("VERP"), recognised);
        }
        dispatch.notify(post.mailetContext(), list, notices, post.now(), post.settings().transportProcessor());
        post.mail().setRecipients(List.of());
        return HandlerResult.proceed();
    }

    /** One failed recipient: its class and what the receiving server said. */
    private static final class Failure {
        private final BounceClass bounceClass;
        private final String reply;

        Failure(BounceClass bounceClass, String reply) {
            this.bounceClass = bounceClass;
            this.reply = reply;
        }
    }

    private static String describe(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return cut(message.replaceAll("\\s+", " "), 200);
    }

    private static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }

    /** Without a readable report, mail to a VERP address counts only if it comes from a mail system. */
    private static boolean looksLikeBounce(PostContext post) {
        if (post.mail().getMaybeSender().isNullSender()) {
            return true;
        }
        String local = post.mail().getMaybeSender().get().getLocalPart().toLowerCase(Locale.ROOT);
        return local.equals("mailer-daemon") || local.equals("postmaster");
    }

    private void forwardToOwners(PostContext post, Optional<BounceReport> report, String reason) throws MessagingException {
        MailingList list = post.list();
        long day = post.now().atZone(ZoneOffset.UTC).toLocalDate().toEpochDay();
        if (!autoReplies.countAutoReply(list.id(), list.ownerAddress(), day, UNRECOGNISED_PER_DAY)) {
            LOGGER.info("Unrecognised bounce {} to {} dropped: the owners had {} today", post.postKey(), list.address().asString(),
                UNRECOGNISED_PER_DAY);
            return;
        }
        MimeMessage message = post.mail().getMessage();
        // to the owner address: it reaches the owners and moderators, or the postmaster when the list has none
        Notice notice = Notice.toModerator(list.ownerAddress(), NoticeKind.BOUNCE_UNRECOGNISED, Map.of(
            "sender", post.mail().getMaybeSender().asString(), "subject", subject(message), "reason", reason))
            .withAttachment(ATTACHED);
        LOGGER.info("Bounce mail {} to {} names no member ({}); passed to the owners", post.postKey(), list.address().asString(),
            report.map(Object::toString).orElse("no report"));
        Dispatch.send(post.mailetContext(), list, dispatch.write(list, List.of(notice), Optional.empty(), Optional.empty(),
            post.now(), key -> Optional.of(message)), post.settings().transportProcessor());
    }
}
