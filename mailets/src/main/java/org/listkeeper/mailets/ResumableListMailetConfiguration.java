package org.listkeeper.mailets;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import javax.mail.MessagingException;

import org.apache.mailet.MailetConfig;
import org.listkeeper.ListkeeperException;
import org.listkeeper.internal.Durations;
import org.listkeeper.list.ListRecipient;
import org.listkeeper.pipeline.PipelineSettings;
import org.listkeeper.pipeline.RetryPolicy;

/**
 * Everything {@link ResumableListMailet} reads from its {@code <mailet>} element, parsed once at {@code init()}: an
 * unknown parameter or a bad value stops James at start-up with a message naming it, as James's
 * {@code RemoteDeliveryConfiguration} should (it logs and falls back instead).
 */
final class ResumableListMailetConfiguration {
    static final String PIPELINE = "pipeline";
    static final String RETRY_BASE_DELAY = "retryBaseDelay";
    static final String RETRY_MAX_DELAY = "retryMaxDelay";
    static final String RETRY_MAX_ATTEMPTS = "retryMaxAttempts";
    static final String BATCH_SIZE = "batchSize";
    static final String PAGE_SIZE = "pageSize";
    static final String TRANSPORT_PROCESSOR = "transportProcessor";
    static final String DUPLICATE_WINDOW = "duplicateWindow";
    static final String PARKING_REPOSITORY = "parkingRepository";
    static final String ADDRESSES = "addresses";
    static final String RETRY_SCHEDULER = "retryScheduler";
    static final Set<String> PARAMETERS = Set.of(PIPELINE, RETRY_BASE_DELAY, RETRY_MAX_DELAY, RETRY_MAX_ATTEMPTS, BATCH_SIZE,
        PAGE_SIZE, TRANSPORT_PROCESSOR, DUPLICATE_WINDOW, PARKING_REPOSITORY, ADDRESSES, RETRY_SCHEDULER, "onMailetException", "onMatchException");

    /** Where a post waits for its retry: in the queue, with a delivery delay, or in the list store. */
    enum RetryWait {
        /** The queue's own delay: James's memory and ActiveMQ queues. */
        QUEUE,
        /** The list store, brought back when due by any node: for queues that ignore delays (RabbitMQ). */
        STORE
    }

    private final Set<ListRecipient.Kind> kinds;
    private final PipelineSettings pipeline;
    private final String parkingRepository;
    private final RetryWait retryWait;

    private ResumableListMailetConfiguration(Set<ListRecipient.Kind> kinds, PipelineSettings pipeline, String parkingRepository,
                                             RetryWait retryWait) {
        this.kinds = Collections.unmodifiableSet(kinds);
        this.pipeline = pipeline;
        this.parkingRepository = parkingRepository;
        this.retryWait = retryWait;
    }

    /**
     * Reads {@code config}; {@code defaultParkingRepository} is the server's ({@code parking.repository} of
     * listkeeper.properties). Fails naming the mailet and the parameter.
     */
    static ResumableListMailetConfiguration parse(MailetConfig config, String defaultParkingRepository) throws MessagingException {
        String mailet = config.getMailetName();
        MailetParameters.refuseUnknown(config, PARAMETERS);
        try {
            Set<ListRecipient.Kind> kinds = kinds(parameter(config, ADDRESSES).orElse("post"));
            PipelineSettings pipeline = pipeline(config, kinds);
            String parking = parameter(config, PARKING_REPOSITORY).orElse(defaultParkingRepository);
            return new ResumableListMailetConfiguration(kinds, pipeline, parking, retryWait(parameter(config, RETRY_SCHEDULER).orElse("queue")));
        } catch (ListkeeperException e) {
            throw new MessagingException(mailet + ": " + e.getMessage(), e);
        }
    }

    private static RetryWait retryWait(String value) {
        try {
            return RetryWait.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ListkeeperException(RETRY_SCHEDULER + " is queue (the queue's delivery delay) or store (the list store, for"
                + " queues that ignore delays), not '" + value + "'");
        }
    }

    private static Optional<String> parameter(MailetConfig config, String name) {
        return Optional.ofNullable(config.getInitParameter(name)).map(String::strip);
    }

    private static Set<ListRecipient.Kind> kinds(String value) {
        Set<ListRecipient.Kind> parsed = EnumSet.noneOf(ListRecipient.Kind.class);
        for (String name : value.split(",")) {
            if (name.isBlank()) {
                continue;
            }
            try {
                parsed.add(ListRecipient.Kind.valueOf(name.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new ListkeeperException("unknown address kind '" + name.strip() + "' in " + ADDRESSES + "; known are "
                    + Arrays.stream(ListRecipient.Kind.values()).map(ListRecipient.Kind::value).collect(Collectors.joining(", ")));
            }
        }
        if (parsed.isEmpty()) {
            throw new ListkeeperException(ADDRESSES + " names no address kind");
        }
        return parsed;
    }

    private static PipelineSettings pipeline(MailetConfig config, Set<ListRecipient.Kind> kinds) {
        PipelineSettings.Builder builder = PipelineSettings.builder();
        if (kinds.equals(EnumSet.of(ListRecipient.Kind.BOUNCES))) {
            builder.pipeline(List.of("duplicate-check", "bounce-processing"));
        } else if (!kinds.contains(ListRecipient.Kind.POST)) {
            builder.pipeline(PipelineSettings.DEFAULT_REQUEST_PIPELINE);
        }
        parameter(config, PIPELINE).ifPresent(value -> builder.pipeline(Arrays.stream(value.split(","))
            .map(String::strip).filter(name -> !name.isEmpty()).collect(Collectors.toList())));
        RetryPolicy defaults = RetryPolicy.defaults();
        builder.retryPolicy(RetryPolicy.of(
            duration(config, RETRY_BASE_DELAY).orElse(defaults.base()),
            duration(config, RETRY_MAX_DELAY).orElse(defaults.maxDelay()),
            integer(config, RETRY_MAX_ATTEMPTS).orElse(defaults.maxAttempts())));
        integer(config, BATCH_SIZE).ifPresent(builder::batchSize);
        integer(config, PAGE_SIZE).ifPresent(builder::pageSize);
        parameter(config, TRANSPORT_PROCESSOR).ifPresent(builder::transportProcessor);
        duration(config, DUPLICATE_WINDOW).ifPresent(builder::duplicateWindow);
        return builder.build();
    }

    private static Optional<Duration> duration(MailetConfig config, String name) {
        return parameter(config, name).map(value -> Durations.parse(name, value));
    }

    private static Optional<Integer> integer(MailetConfig config, String name) {
        return parameter(config, name).map(value -> {
            try {
                return Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new org.listkeeper.InvalidValueException(name, value, "expected a whole number");
            }
        });
    }

    /** Which of a list's addresses the mailet serves. */
    Set<ListRecipient.Kind> kinds() {
        return kinds;
    }

    /** Whether the mailet serves list posts (not only sub-addresses). */
    boolean servesPosts() {
        return kinds.contains(ListRecipient.Kind.POST);
    }

    PipelineSettings pipeline() {
        return pipeline;
    }

    /** Where posts that failed wait for an operator (a mail repository URL, not yet checked against the store). */
    String parkingRepository() {
        return parkingRepository;
    }

    RetryWait retryWait() {
        return retryWait;
    }
}
