package org.listkeeper.list;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.listkeeper.InvalidValueException;

/**
 * One {@code rule:action} link of a moderation chain as written in the list's {@code moderationChain} setting: a
 * kebab-case rule name, and one of {@link ModerationAction}'s actions or {@code roster} (the action the roster gives).
 * Which rules exist is known only where the rules are (a site may add its own): this checks the shape only.
 */
public final class ChainLink {
    public static final String ROSTER = "roster";
    private static final String FIELD = "moderationChain";
    private static final Pattern RULE = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    private final String rule;
    private final ModerationAction action;

    private ChainLink(String rule, ModerationAction action) {
        this.rule = rule;
        this.action = action;
    }

    /** Reads {@code rule:action,…} (comma or line separated); a link of the wrong shape is refused naming it. */
    public static List<ChainLink> parse(String text) {
        List<ChainLink> links = new ArrayList<>();
        for (String raw : text.split("[,\\r\\n]+")) {
            String link = raw.strip();
            if (link.isEmpty()) {
                continue;
            }
            int colon = link.indexOf(':');
            if (colon <= 0) {
                throw new InvalidValueException(FIELD, link, "expected rule:action");
            }
            String rule = link.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            if (!RULE.matcher(rule).matches()) {
                throw new InvalidValueException(FIELD, rule, "a rule name is kebab-case, like no-subject");
            }
            String action = link.substring(colon + 1).strip().toLowerCase(Locale.ROOT);
            links.add(new ChainLink(rule, action.equals(ROSTER) ? null : ModerationAction.parse(action)));
        }
        return links;
    }

    /** The links in the form {@link #parse} reads. */
    public static String format(List<ChainLink> links) {
        return links.stream().map(ChainLink::toString).collect(Collectors.joining(","));
    }

    public String rule() {
        return rule;
    }

    /** The action a hit takes; empty for {@code roster}, whose action the roster gives. */
    public Optional<ModerationAction> action() {
        return Optional.ofNullable(action);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ChainLink)) {
            return false;
        }
        ChainLink other = (ChainLink) o;
        return rule.equals(other.rule) && action == other.action;
    }

    @Override
    public int hashCode() {
        return Objects.hash(rule, action);
    }

    @Override
    public String toString() {
        return rule + ":" + (action == null ? ROSTER : action.value());
    }
}
