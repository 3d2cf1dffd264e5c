package org.listkeeper.pipeline;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import org.listkeeper.InvalidValueException;

/** Everything the engine and its handlers are configured with, validated once at start-up. */
public final class PipelineSettings {
    public static final List<String> DEFAULT_PIPELINE = List.of(
        "mime-check", "duplicate-check", "moderation", "dmarc", "list-headers", "post-number", "subject-prefix", "footer", "archive",
        "digest", "fan-out");
    /** For mail to a list's request addresses ({@code -request}, {@code -join}, {@code -leave}, {@code -confirm+TOKEN}). */
    public static final List<String> DEFAULT_REQUEST_PIPELINE = List.of("duplicate-check", "request-commands", "send-replies");
    /** As GNU Mailman 3 ({@code [mta] max_recipients: 500}): recipients per SMTP transaction to the smarthost. */
    public static final int DEFAULT_BATCH_SIZE = 500;
    public static final int DEFAULT_PAGE_SIZE = 1000;
    public static final String DEFAULT_TRANSPORT = "transport";
    public static final Duration DEFAULT_DUPLICATE_WINDOW = Duration.ofDays(7);

    private final List<String> pipeline;
    private final RetryPolicy retryPolicy;
    private final int batchSize;
    private final int pageSize;
    private final String transportProcessor;
    private final Duration duplicateWindow;

    private PipelineSettings(Builder builder) {
        this.pipeline = List.copyOf(builder.pipeline);
        this.retryPolicy = builder.retryPolicy;
        this.batchSize = builder.batchSize;
        this.pageSize = builder.pageSize;
        this.transportProcessor = builder.transportProcessor;
        this.duplicateWindow = builder.duplicateWindow;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static PipelineSettings defaults() {
        return builder().build();
    }

    /** The handler names a new post runs through, in order. */
    public List<String> pipeline() {
        return pipeline;
    }

    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    /** Recipients per fan-out batch (one outgoing message each in bulk mode). */
    public int batchSize() {
        return batchSize;
    }

    /** Members read from the store at a time. */
    public int pageSize() {
        return pageSize;
    }

    /** The James processor fan-out hands batches to. */
    public String transportProcessor() {
        return transportProcessor;
    }

    /** How long a Message-ID seen on a list suppresses another post carrying it. */
    public Duration duplicateWindow() {
        return duplicateWindow;
    }

    /** Builds validated settings. */
    public static final class Builder {
        private List<String> pipeline = DEFAULT_PIPELINE;
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private int batchSize = DEFAULT_BATCH_SIZE;
        private int pageSize = DEFAULT_PAGE_SIZE;
        private String transportProcessor = DEFAULT_TRANSPORT;
        private Duration duplicateWindow = DEFAULT_DUPLICATE_WINDOW;

        private Builder() {
        }

        public Builder pipeline(List<String> names) {
            if (names.isEmpty()) {
                throw new InvalidValueException("pipeline", "", "at least one handler is required");
            }
            if (names.stream().distinct().count() != names.size()) {
                throw new InvalidValueException("pipeline", String.join(",", names), "a handler may appear only once");
            }
            this.pipeline = List.copyOf(names);
            return this;
        }

        public Builder retryPolicy(RetryPolicy retryPolicy) {
            this.retryPolicy = Objects.requireNonNull(retryPolicy);
            return this;
        }

        public Builder batchSize(int batchSize) {
            if (batchSize < 1 || batchSize > 10_000) {
                throw new InvalidValueException("batchSize", String.valueOf(batchSize), "expected 1 to 10000");
            }
            this.batchSize = batchSize;
            return this;
        }

        public Builder pageSize(int pageSize) {
            if (pageSize < 1 || pageSize > 100_000) {
                throw new InvalidValueException("pageSize", String.valueOf(pageSize), "expected 1 to 100000");
            }
            this.pageSize = pageSize;
            return this;
        }

        public Builder transportProcessor(String transportProcessor) {
            if (transportProcessor == null || transportProcessor.isBlank()) {
                throw new InvalidValueException("transportProcessor", String.valueOf(transportProcessor), "a processor name is required");
            }
            this.transportProcessor = transportProcessor.strip();
            return this;
        }

        public Builder duplicateWindow(Duration duplicateWindow) {
            if (duplicateWindow.isNegative()) {
                throw new InvalidValueException("duplicateWindow", duplicateWindow.toString(), "must not be negative");
            }
            this.duplicateWindow = duplicateWindow;
            return this;
        }

        public PipelineSettings build() {
            return new PipelineSettings(this);
        }
    }
}
