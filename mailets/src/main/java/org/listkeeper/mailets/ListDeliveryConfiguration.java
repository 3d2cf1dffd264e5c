package org.listkeeper.mailets;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import javax.mail.MessagingException;

import org.apache.mailet.MailetConfig;
import org.listkeeper.delivery.SmtpSettings;
import org.listkeeper.delivery.TlsMode;
import org.listkeeper.internal.Durations;
import org.listkeeper.pipeline.RetryPolicy;

/** {@link ListDelivery}'s parameters, read and checked once at start-up. */
final class ListDeliveryConfiguration {
    static final String QUEUE = "queue";
    static final String GATEWAY = "gateway";
    static final String GATEWAY_PORT = "gatewayPort";
    static final String MX_PORT = "mxPort";
    static final String DELIVERY_THREADS = "deliveryThreads";
    static final String MAX_RECIPIENTS = "maxRecipientsPerTransaction";
    static final String MAX_MESSAGES = "maxMessagesPerConnection";
    static final String CONNECT_TIMEOUT = "connectTimeout";
    static final String READ_TIMEOUT = "readTimeout";
    static final String IDLE_TIMEOUT = "idleTimeout";
    static final String STARTTLS = "startTls";
    static final String HELO_NAME = "heloName";
    static final String RETRY_BASE_DELAY = "retryBaseDelay";
    static final String RETRY_MAX_DELAY = "retryMaxDelay";
    static final String RETRY_MAX_ATTEMPTS = "retryMaxAttempts";
    static final String DKIM_KEYS = "dkimKeys";
    static final String MAX_BATCHES_PER_DESTINATION = "maxBatchesPerDestination";
    static final Set<String> PARAMETERS = Set.of(QUEUE, GATEWAY, GATEWAY_PORT, MX_PORT, DELIVERY_THREADS, MAX_RECIPIENTS, MAX_MESSAGES,
        CONNECT_TIMEOUT, READ_TIMEOUT, IDLE_TIMEOUT, STARTTLS, HELO_NAME, RETRY_BASE_DELAY, RETRY_MAX_DELAY, RETRY_MAX_ATTEMPTS, DKIM_KEYS,
        MAX_BATCHES_PER_DESTINATION,
        "onMailetException", "onMatchException");

    static final String DEFAULT_QUEUE = "listkeeper-delivery";

    private final String queue;
    private final Optional<String> gateway;
    private final int gatewayPort;
    private final int mxPort;
    private final int threads;
    private final SmtpSettings smtp;
    private final RetryPolicy retries;
    private final DkimKeys dkim;
    private final int batchesPerDestination;

    private ListDeliveryConfiguration(String queue, Optional<String> gateway, int gatewayPort, int mxPort, int threads, SmtpSettings smtp,
                                      RetryPolicy retries, DkimKeys dkim, int batchesPerDestination) {
        this.dkim = dkim;
        this.batchesPerDestination = batchesPerDestination;
        this.queue = queue;
        this.gateway = gateway;
        this.gatewayPort = gatewayPort;
        this.mxPort = mxPort;
        this.threads = threads;
        this.smtp = smtp;
        this.retries = retries;
    }

    static ListDeliveryConfiguration parse(MailetConfig config, String defaultHeloName) throws MessagingException {
        String mailet = config.getMailetName();
        MailetParameters.refuseUnknown(config, PARAMETERS);
        try {
            String queue = parameter(config, QUEUE).orElse(DEFAULT_QUEUE);
            SmtpSettings smtp = SmtpSettings.of(parameter(config, HELO_NAME).orElse(defaultHeloName),
                duration(config, CONNECT_TIMEOUT, Duration.ofSeconds(30)), duration(config, READ_TIMEOUT, Duration.ofMinutes(2)),
                parameter(config, STARTTLS).map(TlsMode::parse).orElse(TlsMode.OPPORTUNISTIC),
                number(config, MAX_MESSAGES, 100, 1, 100_000), number(config, MAX_RECIPIENTS, 100, 1, 10_000),
                duration(config, IDLE_TIMEOUT, Duration.ofSeconds(30)));
            // about five days, as Mailman's delivery_retry_period and most MTAs' queue lifetimes
            RetryPolicy retries = RetryPolicy.of(duration(config, RETRY_BASE_DELAY, Duration.ofSeconds(15)),
                duration(config, RETRY_MAX_DELAY, Duration.ofHours(1)), number(config, RETRY_MAX_ATTEMPTS, 128, 1, 1000));
            return new ListDeliveryConfiguration(queue, parameter(config, GATEWAY), number(config, GATEWAY_PORT, 25, 1, 65535),
                number(config, MX_PORT, 25, 1, 65535), number(config, DELIVERY_THREADS, 8, 1, 200), smtp, retries,
                parameter(config, DKIM_KEYS).map(value -> DkimKeys.parse(DKIM_KEYS, value)).orElse(DkimKeys.none()),
                number(config, MAX_BATCHES_PER_DESTINATION, 1, 1, 100));
        } catch (IllegalArgumentException e) {
            throw new MessagingException(mailet + ": " + e.getMessage(), e);
        }
    }

    private static Optional<String> parameter(MailetConfig config, String name) {
        return Optional.ofNullable(config.getInitParameter(name)).map(String::strip).filter(value -> !value.isEmpty());
    }

    private static Duration duration(MailetConfig config, String name, Duration fallback) {
        return parameter(config, name).map(value -> Durations.parse(name, value)).orElse(fallback);
    }

    private static int number(MailetConfig config, String name, int fallback, int min, int max) {
        Optional<String> value = parameter(config, name);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            int number = Integer.parseInt(value.get());
            if (number < min || number > max) {
                throw new IllegalArgumentException("Invalid " + name + " '" + value.get() + "': expected " + min + " to " + max);
            }
            return number;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid " + name + " '" + value.get() + "': expected a whole number", e);
        }
    }

    String queue() {
        return queue;
    }

    /** The relay all list mail goes through; empty for direct delivery to each domain's MX. */
    Optional<String> gateway() {
        return gateway;
    }

    int gatewayPort() {
        return gatewayPort;
    }

    /** The port of MX servers (25; another only for tests on loopback). */
    int mxPort() {
        return mxPort;
    }

    int threads() {
        return threads;
    }

    SmtpSettings smtp() {
        return smtp;
    }

    RetryPolicy retries() {
        return retries;
    }

    DkimKeys dkim() {
        return dkim;
    }

    /** How many batches may deliver to one destination at once (each over its own connection). */
    int batchesPerDestination() {
        return batchesPerDestination;
    }
}
