package org.listkeeper.list;

import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.listkeeper.InvalidValueException;

/**
 * The footer's logic-less template language: {@code {{name}}} is replaced by one of a fixed set of
 * variables. An unknown variable is refused when the footer is set, never discovered at delivery.
 */
public final class FooterTemplate {
    public static final Set<String> VARIABLES = Set.of(
        "displayName", "listAddress", "listId", "description", "requestAddress", "ownerAddress",
        "joinAddress", "leaveAddress", "archiveUrl");

    private static final Pattern VARIABLE = Pattern.compile("\\{\\{\\s*([A-Za-z]+)\\s*}}");

    private FooterTemplate() {
    }

    static void check(String template) {
        Matcher matcher = VARIABLE.matcher(template);
        while (matcher.find()) {
            if (!VARIABLES.contains(matcher.group(1))) {
                throw new InvalidValueException("footer", matcher.group(),
                    "unknown variable; known are " + String.join(", ", new java.util.TreeSet<>(VARIABLES)));
            }
        }
    }

    /** The footer of {@code list} with its variables filled in; empty when the list has none. */
    public static String render(MailingList list) {
        Map<String, String> values = Map.of(
            "displayName", list.displayName(),
            "listAddress", list.address().asString(),
            "listId", list.listId(),
            "description", list.description().orElse(""),
            "requestAddress", list.requestAddress().asString(),
            "ownerAddress", list.ownerAddress().asString(),
            "joinAddress", list.joinAddress().asString(),
            "leaveAddress", list.leaveAddress().asString(),
            "archiveUrl", list.archiveUrl().orElse(""));
        Matcher matcher = VARIABLE.matcher(list.footerTemplate());
        StringBuilder rendered = new StringBuilder();
        while (matcher.find()) {
            String value = values.getOrDefault(matcher.group(1), matcher.group());
            matcher.appendReplacement(rendered, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(rendered);
        return rendered.toString();
    }
}
