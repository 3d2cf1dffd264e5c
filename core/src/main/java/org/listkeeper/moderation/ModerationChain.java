package org.listkeeper.moderation;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

import javax.mail.MessagingException;

import org.listkeeper.InvalidValueException;
import org.listkeeper.list.ChainLink;
import org.listkeeper.list.ModerationAction;

/**
 * Rules decide, the chain acts (GNU Mailman 3's chains): an ordered list of {@code rule:action} links. The
 * first rule that hits with an action other than {@code defer} decides the post's fate; {@code roster} takes
 * the action the roster gives (the member's or known nonmember's moderation action, else the list's default).
 * Consecutive {@code hold} links form a group that is run to its end: every rule of the group that hits adds its
 * reason, and the post is held with all of them, so a moderator sees every reason at once (Mailman's deferred rules
 * before its {@code any:hold}). A post no link decides is accepted.
 */
public final class ModerationChain {
    /**
     * GNU Mailman 3's default posting chain: banned senders are discarded (no notice that would tell a spammer the
     * address works), and the hold rules from {@code administrivia} on are all checked before the post is held.
     */
    public static final String DEFAULT = "approved:accept,emergency:hold,loop:discard,banned-address:discard,"
        + "member-moderation:roster,nonmember-moderation:roster,administrivia:hold,implicit-destination:hold,"
        + "max-recipients:hold,max-size:hold,no-subject:hold,suspicious-header:hold";

    /** One link: a rule and what a hit does. */
    static final class Link {
        final Rule rule;
        final ModerationAction action;

        Link(Rule rule, ModerationAction action) {
            this.rule = rule;
            this.action = action;
        }
    }

    private final List<Link> links;

    private ModerationChain(List<Link> links) {
        this.links = List.copyOf(links);
    }

    /** Parses {@code rule:action,…} against {@code rules}; an unknown rule or action is refused naming it. */
    public static ModerationChain parse(String text, RuleRegistry rules) {
        List<Link> links = new ArrayList<>();
        for (ChainLink link : ChainLink.parse(text)) {
            Rule rule = rules.named(link.rule()).orElseThrow(() -> new InvalidValueException("moderationChain", link.rule(),
                "unknown rule; known are " + String.join(", ", rules.all().keySet())));
            links.add(new Link(rule, link.action().orElse(null)));
        }
        return new ModerationChain(links);
    }

    /** The chain in the form {@link #parse} reads. */
    public String format() {
        return links.stream().map(l -> l.rule.name() + ":" + (l.action == null ? ChainLink.ROSTER : l.action.value()))
            .collect(Collectors.joining(","));
    }

    /** Runs the rules in order until one decides (a group of hold links to its end). */
    public Decision run(RuleInput post) throws MessagingException {
        List<String> heldBy = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (Link link : links) {
            if (!heldBy.isEmpty() && link.action != ModerationAction.HOLD) {
                break; // the hold group ended: hold with what it found
            }
            RuleResult result = link.rule.check(post);
            if (!result.isHit()) {
                continue;
            }
            ModerationAction action = link.action != null ? link.action : result.rosterAction().orElse(ModerationAction.DEFER);
            if (action == ModerationAction.DEFER) {
                continue;
            }
            String reason = result.reason().orElse(link.rule.name());
            if (link.action == ModerationAction.HOLD) {
                heldBy.add(link.rule.name());
                reasons.add(reason);
                continue;
            }
            return new Decision(action, link.rule.name(), reason);
        }
        if (!heldBy.isEmpty()) {
            return Decision.held(heldBy, reasons);
        }
        return new Decision(ModerationAction.ACCEPT, "", "no rule held the post");
    }

    /** What the chain decided, and why. */
    public static final class Decision {
        private final ModerationAction action;
        private final String rule;
        private final String reason;

        public Decision(ModerationAction action, String rule, String reason) {
            this.action = Objects.requireNonNull(action);
            this.rule = Objects.requireNonNull(rule);
            this.reason = Objects.requireNonNull(reason);
        }

        /** A hold by several rules: each reason named by its rule, all shown to the moderator. */
        static Decision held(List<String> rules, List<String> reasons) {
            if (rules.size() == 1) {
                return new Decision(ModerationAction.HOLD, rules.get(0), reasons.get(0));
            }
            List<String> described = new ArrayList<>();
            for (int i = 0; i < rules.size(); i++) {
                described.add(rules.get(i) + ": " + reasons.get(i));
            }
            String reason = String.join("; ", described);
            // the store keeps 2,000 characters of a reason
            return new Decision(ModerationAction.HOLD, String.join(",", rules), reason.length() <= 2_000 ? reason
                : reason.substring(0, 1_999) + "\u2026");
        }

        public ModerationAction action() {
            return action;
        }

        /** The rule that decided (several, comma-separated, for a hold by a group); empty when none did. */
        public String rule() {
            return rule;
        }

        public String reason() {
            return reason;
        }

        /** {@code rule: reason} for one rule; for a hold by several, each reason already names its rule. */
        public String describe() {
            return rule.isEmpty() || rule.contains(",") ? reason : rule + ": " + reason;
        }

        @Override
        public String toString() {
            return action.value() + (rule.isEmpty() ? "" : " by " + rule) + ": " + reason;
        }
    }
}
