package org.listkeeper.moderation;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.listkeeper.list.Addresses;
import org.listkeeper.list.MailingList;
import org.listkeeper.list.Member;
import org.listkeeper.list.ModerationAction;
import org.listkeeper.list.ModeratorNotification;
import org.listkeeper.list.Role;
import org.listkeeper.membership.AutoReplyGuard;
import org.listkeeper.membership.TokenAction;
import org.listkeeper.membership.Tokens;
import org.listkeeper.notices.Notice;
import org.listkeeper.notices.NoticeKind;
import org.listkeeper.list.Roster;
import org.listkeeper.membership.ConfirmationTokens;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Held posts and the moderators' decisions on them. Every decision is a compare-and-set on the post's record:
 * of two moderators (or a double click) exactly one decides, the other is told who did. An accepted post leaves
 * the hold queue only once it is queued again; if that is interrupted, {@link #recover} finishes the job (a
 * second run of an accepted post sends nothing twice: fan-out records its batches under the post's key).
 */
public final class Moderation {
    private static final Logger LOGGER = LoggerFactory.getLogger(Moderation.class);
    private static final DateTimeFormatter TIME = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    /** What a moderator may do with a held post. */
    public enum Action {
        ACCEPT, REJECT, DISCARD, DEFER;

        public static Action parse(String value) {
            for (Action action : values()) {
                if (action.name().equalsIgnoreCase(value == null ? "" : value.strip())) {
                    return action;
                }
            }
            throw new org.listkeeper.InvalidValueException("action", String.valueOf(value), "expected accept, reject, discard or defer");
        }
    }

    /** The outcome of a decision. */
    public enum Outcome { ACCEPTED, REJECTED, DISCARDED, DEFERRED, ALREADY_HANDLED, NO_SUCH_POST }

    /** A decision's outcome, a line saying it, and the notices it calls for. */
    public static final class Result {
        private final Outcome outcome;
        private final String message;
        private final List<Notice> notices;
        private final HeldPost post;

        Result(Outcome outcome, String message, List<Notice> notices, HeldPost post) {
            this.outcome = outcome;
            this.message = message;
            this.notices = List.copyOf(notices);
            this.post = post;
        }

        public Outcome outcome() {
            return outcome;
        }

        public String message() {
            return message;
        }

        public List<Notice> notices() {
            return notices;
        }

        public Optional<HeldPost> post() {
            return Optional.ofNullable(post);
        }

        @Override
        public String toString() {
            return outcome + ": " + message;
        }
    }

    private final HeldPosts heldPosts;
    private final Roster roster;
    private final ConfirmationTokens tokens;
    private final HoldQueue queue;
    private final Clock clock;

    public Moderation(HeldPosts heldPosts, Roster roster, ConfirmationTokens tokens, HoldQueue queue, Clock clock) {
        this.heldPosts = Objects.requireNonNull(heldPosts);
        this.roster = Objects.requireNonNull(roster);
        this.tokens = Objects.requireNonNull(tokens);
        this.queue = Objects.requireNonNull(queue);
        this.clock = Objects.requireNonNull(clock);
    }

    // ---- holding

    /**
     * Holds {@code mail}: records it, keeps it in the hold queue, and answers the notices to send (the moderators'
     * notice with their tokens, the poster's) the first time only, so a replay of the same post notifies nobody
     * twice.
     */
    public List<Notice> hold(MailingList list, Mail mail, String postKey, String reasons) throws MessagingException {
        Instant now = clock.instant();
        Optional<MailAddress> poster = Senders.of(mail).stream().findFirst();
        String subject = Optional.ofNullable(mail.getMessage().getSubject()).orElse("");
        HeldPost held = heldPosts.holdPost(list.id(), postKey, mail.getName(), poster.map(MailAddress::asString).orElse(null),
            abbreviate(subject, 250), abbreviate(reasons, 2000), now, now.plus(list.heldPostLifetime()));
        queue.keep(mail);
        if (!heldPosts.markHeldNotified(held.id())) {
            return List.of();
        }
        LOGGER.info("Post {} to {} held as #{}: {}", postKey, list.address().asString(), held.id(), reasons);
        List<Notice> notices = new ArrayList<>();
        if (list.moderatorNotification() == ModeratorNotification.IMMEDIATE) {
            notices.addAll(moderatorNotices(list, held));
        }
        boolean robot = AutoReplyGuard.reasonNotToReply(mail.getMaybeSender(), mail.getMessage(), list.address()).isPresent();
        if (list.notifyHeldPoster() && poster.isPresent() && !robot) {
            notices.add(Notice.to(poster.get(), NoticeKind.POST_HELD, Map.of("subject", subject, "reasons", reasons)));
        }
        return notices;
    }

    private List<Notice> moderatorNotices(MailingList list, HeldPost held) {
        List<Notice> notices = new ArrayList<>();
        for (MailAddress moderator : moderators(list)) {
            String token = Tokens.generate();
            tokens.saveToken(Tokens.hash(token), list.id(), TokenAction.MODERATE, Addresses.key(moderator), Optional.empty(),
                Optional.of(held.id()), clock.instant(), held.expiresAt());
            Map<String, String> values = new HashMap<>();
            values.put("heldId", String.valueOf(held.id()));
            values.put("sender", held.sender().orElse("(unknown)"));
            values.put("subject", held.subject().orElse(""));
            values.put("reasons", held.reasons());
            values.put("token", token);
            values.put("confirmAddress", list.confirmAddress(token).asString());
            values.put("expires", TIME.format(held.expiresAt()));
            notices.add(Notice.toModerator(moderator, NoticeKind.HELD_POST, values).withAttachment(held.mailKey()));
        }
        return notices;
    }

    /** The list's owners and moderators; its owner address (which reaches the postmaster) when it has none. */
    public List<MailAddress> moderators(MailingList list) {
        Set<MailAddress> result = new LinkedHashSet<>();
        for (Role role : List.of(Role.OWNER, Role.MODERATOR)) {
            roster.members(list.id(), Optional.of(role), 0, 100).forEach(member -> result.add(member.address()));
        }
        return result.isEmpty() ? List.of(list.ownerAddress()) : List.copyOf(result);
    }

    // ---- deciding

    /**
     * A moderator decides on held post {@code heldId}. {@code addSender}, on an accept, also puts the poster on
     * the roster (as a member, or as a known nonmember) whose posts are accepted from now on.
     */
    public Result decide(MailingList list, long heldId, Action action, String moderator, Optional<String> reason,
                         Optional<Role> addSender) throws MessagingException {
        Optional<HeldPost> found = heldPosts.findHeld(list.id(), heldId);
        if (found.isEmpty()) {
            return new Result(Outcome.NO_SUCH_POST, "No held post " + heldId + " on " + list.address().asString(), List.of(), null);
        }
        HeldPost post = found.get();
        if (post.state() != HeldState.HELD) {
            return alreadyHandled(post);
        }
        if (action == Action.DEFER) {
            return new Result(Outcome.DEFERRED, "Held post " + heldId + " stays held for later", List.of(), post);
        }
        HeldState target = action == Action.ACCEPT ? HeldState.ACCEPTED : action == Action.REJECT ? HeldState.REJECTED
            : HeldState.DISCARDED;
        Instant now = clock.instant();
        if (!heldPosts.decideHeld(post.id(), HeldState.HELD, target, moderator, reason.orElse(null), now)) {
            return alreadyHandled(heldPosts.findHeld(list.id(), heldId).orElse(post));
        }
        LOGGER.info("Held post #{} of {} {} by {}{}", heldId, list.address().asString(), target.done(), moderator,
            reason.map(r -> ": " + r).orElse(""));
        List<Notice> notices = new ArrayList<>();
        switch (target) {
            case ACCEPTED:
                addSender.ifPresent(role -> post.sender().ifPresent(sender -> addToRoster(list, sender, role)));
                queue.release(post.mailKey());
                return new Result(Outcome.ACCEPTED, "Held post " + heldId + " accepted: it goes to the list", notices, post);
            case REJECTED:
                if (post.sender().isPresent() && mayAnswer(list, post)) {
                    notices.add(Notice.to(Addresses.parse("sender", post.sender().get()), NoticeKind.POST_REJECTED,
                        Map.of("subject", post.subject().orElse(""), "reason", reason.orElse("The moderators did not accept it."))));
                }
                queue.drop(post.mailKey());
                return new Result(Outcome.REJECTED, "Held post " + heldId + " rejected", notices, post);
            default:
                queue.drop(post.mailKey());
                return new Result(Outcome.DISCARDED, "Held post " + heldId + " discarded", notices, post);
        }
    }

    /** Whether the held post's sender may get an automatic answer (RFC 3834: not a robot, not a null sender). */
    private boolean mayAnswer(MailingList list, HeldPost post) throws MessagingException {
        Optional<Mail> mail = queue.get(post.mailKey());
        if (mail.isEmpty()) {
            return true;
        }
        return AutoReplyGuard.reasonNotToReply(mail.get().getMaybeSender(), mail.get().getMessage(), list.address()).isEmpty();
    }

    private void addToRoster(MailingList list, String sender, Role role) {
        MailAddress address = Addresses.parse("sender", sender);
        Member entry = roster.findMember(list.id(), address).orElseGet(() -> Member.builder(address).role(role).build());
        roster.saveMember(list.id(), entry.toBuilder().moderationAction(ModerationAction.ACCEPT).build());
        LOGGER.info("{} added to {} as {} whose posts are accepted", sender, list.address().asString(), entry.role().value());
    }

    private static Result alreadyHandled(HeldPost post) {
        return new Result(Outcome.ALREADY_HANDLED, "Held post " + post.id() + " was already " + post.state().done()
            + post.decidedBy().map(by -> " by " + by).orElse("") + "; nothing more to do", List.of(), post);
    }

    // ---- housekeeping

    /**
     * Finishes decisions an interruption left half done (an accepted post still in the hold queue is released, a
     * rejected or discarded one dropped) and expires posts nobody decided on in time, telling the owners.
     * Answers the notices to send.
     */
    public List<Notice> recover(MailingList list) throws MessagingException {
        Instant now = clock.instant();
        List<Notice> notices = new ArrayList<>();
        for (HeldPost post : heldPosts.heldPosts(list.id(), now.minus(list.heldPostLifetime()).minusSeconds(86_400))) {
            if (post.state() == HeldState.ACCEPTED && queue.release(post.mailKey())) {
                LOGGER.warn("Accepted post #{} of {} was still in the hold queue: released now", post.id(), list.address().asString());
            } else if (post.state() != HeldState.HELD && post.state() != HeldState.ACCEPTED && queue.drop(post.mailKey())) {
                LOGGER.info("{} post #{} of {} removed from the hold queue", post.state().done(), post.id(), list.address().asString());
            } else if (post.state() == HeldState.HELD && !post.expiresAt().isAfter(now)
                && heldPosts.decideHeld(post.id(), HeldState.HELD, HeldState.EXPIRED, "expiry", null, now)) {
                queue.drop(post.mailKey());
                LOGGER.info("Held post #{} of {} expired unmoderated", post.id(), list.address().asString());
                for (MailAddress owner : moderators(list)) {
                    notices.add(Notice.toModerator(owner, NoticeKind.HELD_EXPIRED, Map.of("heldId", String.valueOf(post.id()),
                        "sender", post.sender().orElse("(unknown)"), "subject", post.subject().orElse(""), "reasons", post.reasons())));
                }
            }
        }
        return notices;
    }

    /** The daily summary of held posts for the moderators, when the list asks for one and one is due. */
    public List<Notice> summary(MailingList list) {
        if (list.moderatorNotification() != ModeratorNotification.DAILY) {
            return List.of();
        }
        Instant now = clock.instant();
        List<HeldPost> waiting = heldPosts.heldPosts(list.id(), now.minus(list.heldPostLifetime()).minusSeconds(86_400)).stream()
            .filter(post -> post.state() == HeldState.HELD).collect(java.util.stream.Collectors.toList());
        if (waiting.isEmpty() || !heldPosts.claimHeldSummary(list.id(), now.minusSeconds(86_400 - 600), now)) {
            return List.of();
        }
        StringBuilder lines = new StringBuilder();
        for (HeldPost post : waiting) {
            lines.append("#").append(post.id()).append("  ").append(post.sender().orElse("?")).append("  \"")
                .append(post.subject().orElse("")).append("\"  (").append(post.reasons()).append(")\n");
        }
        List<Notice> notices = new ArrayList<>();
        for (MailAddress moderator : moderators(list)) {
            notices.add(Notice.toModerator(moderator, NoticeKind.HELD_SUMMARY, Map.of("count", String.valueOf(waiting.size()),
                "posts", lines.toString().strip())));
        }
        return notices;
    }

    private static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "…";
    }
}
