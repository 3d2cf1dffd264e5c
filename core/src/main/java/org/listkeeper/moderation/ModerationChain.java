package org.listkeeper.moderation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

import javax.mail.MessagingException;

import org.listkeeper.InvalidValueException;
import org.listkeeper.list.ModerationAction;
import org.listkeeper.pipeline.PostContext;

/**
 * Rules decide, the chain acts (GNU Mailman 3's chains): an ordered list of {@code rule:action} links. The
 * first rule that hits with an action other than {@code defer} decides the post's fate; {@code roster} takes
 * the action the roster gives (the member's or known nonmember's moderation action, else the list's default).
 * A post no link decides is accepted.
 */
public final class ModerationChain {
    /** GNU Mailman 3's default posting chain. */
    public static final String DEFAULT = "approved:accept,emergency:hold,loop:discard,banned-address:reject,"
        + "member-moderation:roster,nonmember-moderation:roster,administrivia:hold,implicit-destination:hold,"
        + "max-recipients:hold,max-size:hold,no-subject:hold,suspicious-header:hold";
    private static final String ROSTER = "roster";

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

    public static ModerationChain defaults() {
        return parse(DEFAULT);
    }

    /** Parses {@code rule:action,…}; an unknown rule or action is refused naming it. */
    public static ModerationChain parse(String text) {
        List<Link> links = new ArrayList<>();
        for (String raw : text.split("[,\\r\\n]+")) {
            String link = raw.strip();
            if (link.isEmpty()) {
                continue;
            }
            int colon = link.indexOf(':');
            if (colon <= 0) {
                throw new InvalidValueException("moderationChain", link, "expected rule:action");
            }
            String name = link.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            Rule rule = BuiltinRules.named(name).orElseThrow(() -> new InvalidValueException("moderationChain", name,
                "unknown rule; known are " + String.join(", ", BuiltinRules.all().keySet())));
            String action = link.substring(colon + 1).strip().toLowerCase(Locale.ROOT);
            links.add(new Link(rule, action.equals(ROSTER) ? null : ModerationAction.parse(action)));
        }
        return new ModerationChain(links);
    }

    /** The chain in the form {@link #parse} reads. */
    public String format() {
        return links.stream().map(l -> l.rule.name() + ":" + (l.action == null ? ROSTER : l.action.value()))
            .collect(Collectors.joining(","));
    }

    /** Runs the rules in order until one decides. */
    public Decision run(PostContext post) throws MessagingException {
        for (Link link : links) {
            RuleResult result = link.rule.check(post);
            if (!result.isHit()) {
                continue;
            }
            ModerationAction action = link.action != null ? link.action : result.rosterAction().orElse(ModerationAction.DEFER);
            if (action == ModerationAction.DEFER) {
                continue;
            }
            return new Decision(action, link.rule.name(), result.reason().orElse(link.rule.name()));
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

        public ModerationAction action() {
            return action;
        }

        /** The rule that decided; empty when none did. */
        public String rule() {
            return rule;
        }

        public String reason() {
            return reason;
        }

        @Override
        public String toString() {
            return action.value() + (rule.isEmpty() ? "" : " by " + rule) + ": " + reason;
        }
    }
}
