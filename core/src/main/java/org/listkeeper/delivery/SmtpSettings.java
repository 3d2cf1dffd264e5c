package org.listkeeper.delivery;

import java.time.Duration;
import java.util.Objects;

/** How list delivery talks SMTP: its own name, timeouts, {@code STARTTLS}, and the bounds on one connection. */
public final class SmtpSettings {
    private final String heloName;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final TlsMode tls;
    private final int maxMessagesPerConnection;
    private final int maxRecipientsPerTransaction;
    private final Duration idleTimeout;

    private SmtpSettings(String heloName, Duration connectTimeout, Duration readTimeout, TlsMode tls, int maxMessagesPerConnection,
                         int maxRecipientsPerTransaction, Duration idleTimeout) {
        this.heloName = heloName;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.tls = tls;
        this.maxMessagesPerConnection = maxMessagesPerConnection;
        this.maxRecipientsPerTransaction = maxRecipientsPerTransaction;
        this.idleTimeout = idleTimeout;
    }

    public static SmtpSettings of(String heloName, Duration connectTimeout, Duration readTimeout, TlsMode tls,
                                  int maxMessagesPerConnection, int maxRecipientsPerTransaction, Duration idleTimeout) {
        if (heloName == null || heloName.isBlank() || heloName.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            throw new IllegalArgumentException("Invalid HELO name '" + heloName + "'");
        }
        requirePositive("connect timeout", connectTimeout);
        requirePositive("read timeout", readTimeout);
        requirePositive("idle timeout", idleTimeout);
        if (maxMessagesPerConnection < 1) {
            throw new IllegalArgumentException("Invalid maximum of messages per connection " + maxMessagesPerConnection);
        }
        if (maxRecipientsPerTransaction < 1) {
            throw new IllegalArgumentException("Invalid maximum of recipients per transaction " + maxRecipientsPerTransaction);
        }
        return new SmtpSettings(heloName, connectTimeout, readTimeout, Objects.requireNonNull(tls), maxMessagesPerConnection,
            maxRecipientsPerTransaction, idleTimeout);
    }

    private static void requirePositive(String what, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException("Invalid " + what + " " + value);
        }
    }

    public String heloName() {
        return heloName;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration readTimeout() {
        return readTimeout;
    }

    public TlsMode tls() {
        return tls;
    }

    public int maxMessagesPerConnection() {
        return maxMessagesPerConnection;
    }

    public int maxRecipientsPerTransaction() {
        return maxRecipientsPerTransaction;
    }

    /** How long a connection waits, unused, for the next message before it is closed. */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    @Override
    public String toString() {
        return "SmtpSettings{helo=" + heloName + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout + ", tls=" + tls
            + ", maxMessagesPerConnection=" + maxMessagesPerConnection + ", maxRecipientsPerTransaction=" + maxRecipientsPerTransaction
            + ", idleTimeout=" + idleTimeout + "}";
    }
}
