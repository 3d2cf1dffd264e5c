package org.listkeeper.handlers;

import org.listkeeper.moderation.RuleRegistry;
import org.listkeeper.moderation.ModerationRecords;
import java.util.Objects;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.listkeeper.list.MailingList;
import org.listkeeper.list.ModerationAction;
import org.listkeeper.membership.AutoReplyGuard;
import org.listkeeper.moderation.Approval;
import org.listkeeper.moderation.ModerationChain;
import org.listkeeper.moderation.ModerationRecord;
import org.listkeeper.moderation.RuleInput;
import org.listkeeper.notices.Dispatch;
import org.listkeeper.notices.Notice;
import org.listkeeper.notices.NoticeKind;
import org.listkeeper.pipeline.Handler;
import org.listkeeper.pipeline.HandlerResult;
import org.listkeeper.pipeline.PostContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the list's moderation chain on a post: rules decide, the chain acts (accept, hold, reject, discard). The
 * decision is recorded in the list store under the post's key the first time, so a replay acts on it again
 * instead of deciding anew. A moderator password ({@code Approved:}) is always taken out of the post first, right
 * or wrong. A rejected post's sender is told why (never a robot, and within the daily limit of automatic
 * replies); a held post goes to the hold queue.
 */
final class ModerationHandler implements Handler {
    static final String NAME = "moderation";
    private static final Logger LOGGER = LoggerFactory.getLogger(ModerationHandler.class);

    private final ModerationRecords moderationRecords;
    private final RuleRegistry rules;
    private final Dispatch dispatch;

    ModerationHandler(ModerationRecords moderationRecords, RuleRegistry rules, Dispatch dispatch) {
        this.moderationRecords = Objects.requireNonNull(moderationRecords);
        this.rules = Objects.requireNonNull(rules);
        this.dispatch = Objects.requireNonNull(dispatch);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Runs the list's moderation chain: accept, hold for a moderator, reject with a notice, or discard";
    }

    @Override
    public HandlerResult handle(PostContext post) throws MessagingException {
        MailingList list = post.list();
        Approval.Extraction extraction = Approval.extract(post.mail().getMessage());
        List<String> passwords = extraction.passwords();
        boolean approved = extraction.unremovable().isEmpty() && !passwords.isEmpty()
            && list.moderatorPasswordHash().map(hash -> Approval.matches(hash, passwords)).orElse(false);
        post.mail().setAttribute(new Attribute(Approval.APPROVED, AttributeValue.of(approved)));
        try {
            Optional<ModerationRecord> recorded = moderationRecords.moderation(list.id(), post.postKey());
            ModerationChain.Decision decision = recorded.isPresent() ? recorded.get().decision()
                : extraction.unremovable().map(ModerationHandler::passwordStaysIn).orElse(null);
            if (decision == null) {
                decision = ModerationChain.parse(list.moderationChain().orElse(ModerationChain.DEFAULT), rules)
                    .run(RuleInput.of(list, post.mail()));
            }
            if (recorded.isEmpty()) {
                decision = moderationRecords.recordModeration(list.id(), post.postKey(), decision.action(), decision.rule(),
                    decision.reason(), post.now()).decision();
            }
            return act(post, decision);
        } finally {
            post.mail().removeAttribute(Approval.APPROVED);
        }
    }

    /** A password line that cannot be taken out must not reach the members: a moderator decides instead. */
    private static ModerationChain.Decision passwordStaysIn(String where) {
        return new ModerationChain.Decision(ModerationAction.HOLD, "approved", "the post carries " + where
            + ", which cannot be removed without breaking it; accepting it sends that line to every member");
    }

    private HandlerResult act(PostContext post, ModerationChain.Decision decision) throws MessagingException {
        switch (decision.action()) {
            case ACCEPT:
                return HandlerResult.proceed();
            case HOLD:
                return HandlerResult.hold(decision.describe());
            case REJECT:
                notifyRejected(post, decision);
                return HandlerResult.discard("rejected by " + decision.rule() + ": " + decision.reason());
            default:
                return HandlerResult.discard("discarded by " + decision.rule() + ": " + decision.reason());
        }
    }

    /** Tells the sender why, once: a replay of the same post finds the notice marked as sent. */
    private void notifyRejected(PostContext post, ModerationChain.Decision decision) throws MessagingException {
        Optional<String> robot = AutoReplyGuard.reasonNotToReply(post.mail().getMaybeSender(), post.mail().getMessage(),
            post.list().address());
        if (robot.isPresent()) {
            LOGGER.info("No rejection notice for post {}: {}", post.postKey(), robot.get());
            return;
        }
        if (!moderationRecords.markModerationNotified(post.list().id(), post.postKey())) {
            return;
        }
        MailAddress sender = post.mail().getMaybeSender().get();
        String subject = Optional.ofNullable(post.mail().getMessage().getSubject()).orElse("");
        Notice notice = Notice.to(sender, NoticeKind.POST_REJECTED, Map.of("subject", subject, "reason",
            "Reason: " + decision.reason()));
        Dispatch.send(post.mailetContext(), post.list(), dispatch.write(post.list(), List.of(notice), Optional.of(sender),
            Optional.of(post.mail().getMessage()), post.now()), post.settings().transportProcessor());
    }
}
