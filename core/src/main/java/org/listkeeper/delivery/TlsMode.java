package org.listkeeper.delivery;

import java.util.Locale;

/** Whether list delivery uses {@code STARTTLS}. */
public enum TlsMode {
    /** Never, even when offered. */
    OFF,
    /** When the server offers it (without checking its certificate, as MTAs do for opportunistic TLS); else in clear. */
    OPPORTUNISTIC,
    /** Always: a server that does not offer it gets nothing, the mail waits and is tried again. */
    REQUIRED;

    public static TlsMode parse(String value) {
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown STARTTLS mode '" + value + "': expected off, opportunistic or required", e);
        }
    }
}
