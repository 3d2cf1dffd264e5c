package org.listkeeper.list;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import org.listkeeper.InvalidValueException;

/** Parsing of the lower-case, dash- or underscore-separated enum values used in JSON, mail and the store. */
final class Enums {
    private Enums() {
    }

    static String value(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

    static <E extends Enum<E>> E parse(Class<E> type, String field, String value) {
        String wanted = value == null ? "" : value.trim().replace('-', '_');
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(wanted)) {
                return constant;
            }
        }
        throw new InvalidValueException(field, String.valueOf(value), "expected one of "
            + Arrays.stream(type.getEnumConstants()).map(Enums::value).collect(Collectors.joining(", ")));
    }
}
