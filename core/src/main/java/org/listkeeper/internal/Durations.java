package org.listkeeper.internal;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.listkeeper.InvalidValueException;

/** Parses durations written as in James's configuration: {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}, {@code 7d}. */
public final class Durations {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|h|d)?");

    private Durations() {
    }

    /** A bare number means seconds. */
    public static Duration parse(String field, String value) {
        Matcher matcher = DURATION.matcher(value == null ? "" : value.strip().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new InvalidValueException(field, String.valueOf(value), "expected a duration such as 500ms, 5s, 2m, 1h or 7d");
        }
        long amount = Long.parseLong(matcher.group(1));
        String unit = matcher.group(2) == null ? "s" : matcher.group(2);
        switch (unit) {
            case "ms":
                return Duration.ofMillis(amount);
            case "s":
                return Duration.ofSeconds(amount);
            case "m":
                return Duration.ofMinutes(amount);
            case "h":
                return Duration.ofHours(amount);
            default:
                return Duration.ofDays(amount);
        }
    }
}
