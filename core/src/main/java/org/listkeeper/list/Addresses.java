package org.listkeeper.list;

import java.util.Locale;

import javax.mail.internet.AddressException;

import org.apache.james.core.MailAddress;
import org.listkeeper.InvalidValueException;

/** Parsing and comparing e-mail addresses the way lists need them. */
public final class Addresses {
    /** RFC 5321: 64 octets of local part, 255 of domain, 254 for a path in practice. */
    public static final int MAX_LENGTH = 254;

    private Addresses() {
    }

    /**
     * Parses a bare address ({@code local@domain}), refusing display names, route syntax, the null
     * sender and anything longer than {@value #MAX_LENGTH} characters.
     */
    public static MailAddress parse(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidValueException(field, String.valueOf(value), "an address is required");
        }
        String trimmed = value.trim();
        if (trimmed.length() > MAX_LENGTH) {
            throw new InvalidValueException(field, trimmed.substring(0, 40) + "…", "longer than " + MAX_LENGTH + " characters");
        }
        if (trimmed.indexOf('@') <= 0 || trimmed.chars().anyMatch(c -> c < 0x21 || c == 0x7f || c == '<' || c == '>')) {
            throw new InvalidValueException(field, trimmed, "not a bare address of the form local@domain");
        }
        try {
            return new MailAddress(trimmed);
        } catch (AddressException e) {
            throw new InvalidValueException(field, trimmed, e.getMessage());
        }
    }

    /** The case-insensitive identity of an address: how the store keys lists and members. */
    public static String key(MailAddress address) {
        return address.asString().toLowerCase(Locale.ROOT);
    }

    public static String domainKey(MailAddress address) {
        return address.getDomain().asString().toLowerCase(Locale.ROOT);
    }
}
