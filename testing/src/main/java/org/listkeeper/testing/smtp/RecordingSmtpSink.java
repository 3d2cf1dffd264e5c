package org.listkeeper.testing.smtp;

import java.io.IOException;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An {@link SmtpSink} that records every (Message-ID, envelope recipient) pair it accepts, how often and
 * when: enough for a test to count lost and duplicated deliveries.
 */
public final class RecordingSmtpSink implements AutoCloseable {
    private final Map<String, AtomicInteger> pairs = new ConcurrentHashMap<>();
    private final Map<String, List<Long>> acceptedAt = new ConcurrentHashMap<>();
    private final AtomicInteger transactions = new AtomicInteger();
    private final SmtpSink sink;

    private RecordingSmtpSink() throws IOException {
        sink = SmtpSink.start(this::record);
    }

    /** Starts a sink on a free loopback port. */
    public static RecordingSmtpSink start() throws IOException {
        return new RecordingSmtpSink();
    }

    public int port() {
        return sink.port();
    }

    /** Answers {@code 451} to every RCPT until {@code until}; {@link Instant#EPOCH} ends a refusal early. */
    public void refuseUntil(Instant until) {
        sink.refuseUntil(until);
    }

    /** {@link #key(String, String) Pair key} → how many times that pair was accepted. */
    public Map<String, AtomicInteger> pairs() {
        return Collections.unmodifiableMap(pairs);
    }

    /** When each copy of a pair was accepted (epoch milliseconds), first first. */
    public List<Long> acceptedAt(String key) {
        return acceptedAt.getOrDefault(key, List.of());
    }

    /** Pairs accepted, each copy counted. */
    public int pairCount() {
        return pairs.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    public int count(String messageId, String recipient) {
        AtomicInteger count = pairs.get(key(messageId, recipient));
        return count == null ? 0 : count.get();
    }

    /** How many RCPT commands were refused. */
    public int refusals() {
        return sink.refusals();
    }

    /** Messages accepted, however many recipients each had. */
    public int transactions() {
        return transactions.get();
    }

    /** The key of a pair in {@link #pairs()}: the Message-ID, a space, the recipient in lower case. */
    public static String key(String messageId, String recipient) {
        return messageId + " " + recipient.toLowerCase(Locale.ROOT);
    }

    private void record(String messageId, List<String> recipients) {
        long now = System.currentTimeMillis();
        for (String recipient : recipients) {
            String key = key(messageId, recipient);
            pairs.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            acceptedAt.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(now);
        }
        transactions.incrementAndGet();
    }

    @Override
    public void close() throws IOException {
        sink.close();
    }
}
