package org.listkeeper.list;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

import org.listkeeper.InvalidValueException;

/**
 * The settings to change when a list is created or updated. A setting that is absent stays as it is;
 * a setting given as {@code null} goes back to its default. Every value is validated here, so the store
 * never sees one it would have to refuse.
 */
public final class ListChanges {
    /** The settings a list has, with their limits. */
    public enum Setting {
        DISPLAY_NAME("displayName", 255, true),
        DESCRIPTION("description", 2000, false),
        SUBJECT_PREFIX("subjectPrefix", 64, true),
        FOOTER("footer", 10_000, false),
        ARCHIVE_URL("archiveUrl", 2000, true);

        private final String jsonName;
        private final int maxLength;
        private final boolean singleLine;

        Setting(String jsonName, int maxLength, boolean singleLine) {
            this.jsonName = jsonName;
            this.maxLength = maxLength;
            this.singleLine = singleLine;
        }

        public String jsonName() {
            return jsonName;
        }
    }

    private static final ListChanges NONE = new ListChanges(new EnumMap<>(Setting.class));

    private final Map<Setting, String> changes;

    private ListChanges(Map<Setting, String> changes) {
        this.changes = Collections.unmodifiableMap(changes);
    }

    public static ListChanges none() {
        return NONE;
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean changes(Setting setting) {
        return changes.containsKey(setting);
    }

    /** The new value; empty means "back to the default". Only meaningful when {@link #changes} is true. */
    public Optional<String> value(Setting setting) {
        return Optional.ofNullable(changes.get(setting));
    }

    /** Builds a validated set of changes. */
    public static final class Builder {
        private final Map<Setting, String> changes = new EnumMap<>(Setting.class);

        private Builder() {
        }

        /** Sets a value, or resets it to its default when {@code value} is null. */
        public Builder set(Setting setting, String value) {
            changes.put(setting, validate(setting, value));
            return this;
        }

        public ListChanges build() {
            return new ListChanges(new EnumMap<>(changes));
        }

        private static String validate(Setting setting, String value) {
            if (value == null) {
                return null;
            }
            String normalised = value.replace("\r\n", "\n");
            if (setting.singleLine) {
                normalised = normalised.strip();
                if (normalised.indexOf('\n') >= 0 || normalised.indexOf('\r') >= 0) {
                    throw new InvalidValueException(setting.jsonName, abbreviate(value), "must be a single line");
                }
            }
            if (normalised.length() > setting.maxLength) {
                throw new InvalidValueException(setting.jsonName, abbreviate(value),
                    "longer than " + setting.maxLength + " characters");
            }
            if (normalised.chars().anyMatch(c -> c < 0x20 && c != '\n' && c != '\t')) {
                throw new InvalidValueException(setting.jsonName, abbreviate(value), "contains control characters");
            }
            if (setting == Setting.ARCHIVE_URL && !normalised.isEmpty()) {
                checkHttpUrl(setting, normalised);
            }
            if (setting == Setting.FOOTER) {
                FooterTemplate.check(normalised);
            }
            return normalised;
        }

        private static void checkHttpUrl(Setting setting, String value) {
            try {
                URI uri = new URI(value);
                if (!"https".equalsIgnoreCase(uri.getScheme()) && !"http".equalsIgnoreCase(uri.getScheme())
                    || uri.getHost() == null) {
                    throw new InvalidValueException(setting.jsonName, value, "expected an http or https URL");
                }
            } catch (URISyntaxException e) {
                throw new InvalidValueException(setting.jsonName, value, e.getMessage());
            }
        }

        private static String abbreviate(String value) {
            return value.length() <= 60 ? value : value.substring(0, 60) + "…";
        }
    }
}
