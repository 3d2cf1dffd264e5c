package org.listkeeper.list;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.listkeeper.InvalidValueException;

/** Lines of {@code Header: regular expression}, as GNU Mailman's header checks; matched case-insensitively. */
public final class HeaderPatterns {
    private static final HeaderPatterns NONE = new HeaderPatterns(List.of());

    /** One header and what its value must not match. */
    public static final class Entry {
        private final String header;
        private final Pattern pattern;

        Entry(String header, Pattern pattern) {
            this.header = header;
            this.pattern = pattern;
        }

        public String header() {
            return header;
        }

        public Pattern pattern() {
            return pattern;
        }
    }

    private final List<Entry> entries;

    private HeaderPatterns(List<Entry> entries) {
        this.entries = entries;
    }

    public static HeaderPatterns none() {
        return NONE;
    }

    public static HeaderPatterns parse(String field, String text) {
        if (text == null || text.isBlank()) {
            return NONE;
        }
        List<Entry> entries = new ArrayList<>();
        for (String raw : text.split("\\r?\\n")) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || !line.substring(0, colon).matches("[A-Za-z0-9-]+") || line.substring(colon + 1).isBlank()) {
                throw new InvalidValueException(field, line, "expected \"Header-Name: regular expression\"");
            }
            try {
                entries.add(new Entry(line.substring(0, colon), Pattern.compile(line.substring(colon + 1).strip(), Pattern.CASE_INSENSITIVE)));
            } catch (PatternSyntaxException e) {
                throw new InvalidValueException(field, line, "not a valid regular expression: " + e.getDescription());
            }
        }
        return new HeaderPatterns(List.copyOf(entries));
    }

    public List<Entry> entries() {
        return entries;
    }
}
