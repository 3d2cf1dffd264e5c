package org.listkeeper.internal;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.listkeeper.InvalidValueException;

/**
 * The logic-less template language of notices and footers: {@code {{name}}} is replaced by a variable's value.
 * A template naming a variable it does not have is refused when it is set, never found out at delivery.
 */
public final class Template {
    private static final Pattern VARIABLE = Pattern.compile("\\{\\{\\s*([A-Za-z]+)\\s*}}");

    private Template() {
    }

    /** Refuses {@code body} when it names a variable outside {@code known}; {@code field} names it in the error. */
    public static void check(String field, String body, Set<String> known) {
        Matcher matcher = VARIABLE.matcher(body);
        while (matcher.find()) {
            if (!known.contains(matcher.group(1))) {
                throw new InvalidValueException(field, matcher.group(), "unknown variable; known are " + String.join(", ", new TreeSet<>(known)));
            }
        }
    }

    /** {@code body} with each variable replaced by its value; a variable without a value is left as written. */
    public static String render(String body, Map<String, String> values) {
        Matcher matcher = VARIABLE.matcher(body);
        StringBuilder rendered = new StringBuilder();
        while (matcher.find()) {
            String value = values.get(matcher.group(1));
            matcher.appendReplacement(rendered, Matcher.quoteReplacement(value == null ? matcher.group() : value));
        }
        matcher.appendTail(rendered);
        return rendered.toString();
    }
}
