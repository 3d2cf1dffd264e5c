package org.listkeeper.dmarc;

import java.util.Locale;
import java.util.Optional;

/** What a domain's DMARC record asks receivers to do with mail that fails alignment (RFC 7489 {@code p=}). */
public enum DmarcPolicy {
    NONE, QUARANTINE, REJECT;

    /** Whether a list must not send the author's From as it is: {@code quarantine} or {@code reject}. */
    public boolean prohibitsListFrom() {
        return this != NONE;
    }

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<DmarcPolicy> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "none":
                return Optional.of(NONE);
            case "quarantine":
                return Optional.of(QUARANTINE);
            case "reject":
                return Optional.of(REJECT);
            default:
                return Optional.empty();
        }
    }
}
