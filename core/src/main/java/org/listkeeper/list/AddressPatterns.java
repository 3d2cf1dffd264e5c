package org.listkeeper.list;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.apache.james.core.MailAddress;
import org.listkeeper.InvalidValueException;

/**
 * A list of addresses as GNU Mailman writes them: one per line, either an exact address (any case) or, when
 * the line starts with {@code ^}, a regular expression matched against the whole address.
 */
public final class AddressPatterns {
    private static final AddressPatterns NONE = new AddressPatterns(List.of(), List.of());

    private final List<String> exact;
    private final List<Pattern> patterns;

    private AddressPatterns(List<String> exact, List<Pattern> patterns) {
        this.exact = exact;
        this.patterns = patterns;
    }

    public static AddressPatterns none() {
        return NONE;
    }

    /** Parses the lines of {@code text}; a bad regular expression is refused naming {@code field} and the line. */
    public static AddressPatterns parse(String field, String text) {
        if (text == null || text.isBlank()) {
            return NONE;
        }
        List<String> exact = new ArrayList<>();
        List<Pattern> patterns = new ArrayList<>();
        for (String raw : text.split("[\\r\\n,]+")) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("^")) {
                try {
                    patterns.add(Pattern.compile(line, Pattern.CASE_INSENSITIVE));
                } catch (PatternSyntaxException e) {
                    throw new InvalidValueException(field, line, "not a valid regular expression: " + e.getDescription());
                }
            } else {
                if (line.indexOf('@') <= 0 || line.chars().anyMatch(Character::isWhitespace)) {
                    throw new InvalidValueException(field, line, "expected an address or a regular expression starting with ^");
                }
                exact.add(line.toLowerCase(Locale.ROOT));
            }
        }
        return new AddressPatterns(List.copyOf(exact), List.copyOf(patterns));
    }

    public boolean matches(MailAddress address) {
        String value = address.asString().toLowerCase(Locale.ROOT);
        if (exact.contains(value)) {
            return true;
        }
        for (Pattern pattern : patterns) {
            if (pattern.matcher(value).matches()) {
                return true;
            }
        }
        return false;
    }

    public boolean isEmpty() {
        return exact.isEmpty() && patterns.isEmpty();
    }
}
