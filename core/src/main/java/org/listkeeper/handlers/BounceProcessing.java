package org.listkeeper.handlers;

import org.listkeeper.notices.AutoReplies;
import org.listkeeper.list.Roster;
import org.listkeeper.bounces.BounceRecords;
import java.util.Objects;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.listkeeper.bounces.BounceParser;
import org.listkeeper.bounces.BounceReport;
import org.listkeeper.bounces.Bounces;
import org.listkeeper.bounces.Verp;
import org.listkeeper.list.MailingList;
import org.listkeeper.list.Member;
import org.listkeeper.notices.Dispatch;
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

    BounceProcessing(Bounces bounces, BounceRecords bounceRecords, Roster roster, AutoReplies autoReplies, Dispatch dispatch) {
        this.bounces = Objects.requireNonNull(bounces);
        this.bounceRecords = Objects.requireNonNull(bounceRecords);
        this.roster = Objects.requireNonNull(roster);
        this.autoReplies = Objects.requireNonNull(autoReplies);
        this.dispatch = Objects.requireNonNull(dispatch);
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
        Optional<BounceReport> report = BounceParser.parse(message);
        Set<MailAddress> failed = new LinkedHashSet<>();
        boolean onlyHarmless = report.isPresent() && report.get().recipients().stream().noneMatch(r -> r.action().counts())
            && !report.get().recipients().isEmpty();
        if (verp.isPresent()) {
            if (report.map(r -> r.recipients().stream().anyMatch(rc -> rc.action().counts())).orElse(looksLikeBounce(post))) {
                failed.add(verp.get());
            }
        } else if (report.isPresent()) {
            for (BounceReport.Recipient recipient : report.get().recipients()) {
                if (recipient.action().counts()) {
                    failed.add(recipient.address());
                }
            }
        }
        List<Notice> notices = new ArrayList<>();
        int counted = 0;
        for (MailAddress address : failed) {
            Optional<Member> member = roster.findMember(list.id(), address);
            if (member.isPresent()) {
                notices.addAll(bounces.record(list, address));
                counted++;
            }
        }
        if (counted == 0 && onlyHarmless) {
            LOGGER.info("Bounce mail {} to {}: {} — not counted", post.postKey(), list.address().asString(), report.get());
            return HandlerResult.proceed();
        }
        if (counted == 0) {
            forwardToOwners(post, report);
        } else {
            LOGGER.info("Bounce mail {} to {} ({}) counted for {}", post.postKey(), list.address().asString(),
                report.map(BounceReport::format).orElse("VERP"), failed);
        }
        dispatch.notify(post.mailetContext(), list, notices, post.now(), post.settings().transportProcessor());
        post.mail().setRecipients(List.of());
        return HandlerResult.proceed();
    }

    /** Without a readable report, mail to a VERP address counts only if it comes from a mail system. */
    private static boolean looksLikeBounce(PostContext post) {
        if (post.mail().getMaybeSender().isNullSender()) {
            return true;
        }
        String local = post.mail().getMaybeSender().get().getLocalPart().toLowerCase(Locale.ROOT);
        return local.equals("mailer-daemon") || local.equals("postmaster");
    }

    private void forwardToOwners(PostContext post, Optional<BounceReport> report) throws MessagingException {
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
            "sender", post.mail().getMaybeSender().asString(), "subject", Optional.ofNullable(message.getSubject()).orElse("")))
            .withAttachment(ATTACHED);
        LOGGER.info("Bounce mail {} to {} names no member ({}); passed to the owners", post.postKey(), list.address().asString(),
            report.map(Object::toString).orElse("no report"));
        Dispatch.send(post.mailetContext(), list, dispatch.write(list, List.of(notice), Optional.empty(), Optional.empty(),
            post.now(), key -> Optional.of(message)), post.settings().transportProcessor());
    }
}
