package org.listkeeper.parking;

import java.util.Objects;
import java.util.Optional;

/** A post that failed permanently (or ran out of retries) and waits for an operator. */
public final class ParkedPost {
    private final String id;
    private final String list;
    private final String handler;
    private final String error;
    private final String parkedAt;
    private final String messageId;
    private final String subject;
    private final String sender;

    private ParkedPost(String id, String list, String handler, String error, String parkedAt, String messageId,
                       String subject, String sender) {
        this.id = Objects.requireNonNull(id);
        this.list = Objects.requireNonNull(list);
        this.handler = handler;
        this.error = error;
        this.parkedAt = parkedAt;
        this.messageId = messageId;
        this.subject = subject;
        this.sender = sender;
    }

    public static ParkedPost of(String id, String list, String handler, String error, String parkedAt, String messageId,
                                String subject, String sender) {
        return new ParkedPost(id, list, handler, error, parkedAt, messageId, subject, sender);
    }

    /** The key to replay or discard it with. */
    public String id() {
        return id;
    }

    public String list() {
        return list;
    }

    public Optional<String> handler() {
        return Optional.ofNullable(handler);
    }

    public Optional<String> error() {
        return Optional.ofNullable(error);
    }

    /** ISO-8601 instant. */
    public Optional<String> parkedAt() {
        return Optional.ofNullable(parkedAt);
    }

    public Optional<String> messageId() {
        return Optional.ofNullable(messageId);
    }

    public Optional<String> subject() {
        return Optional.ofNullable(subject);
    }

    public Optional<String> sender() {
        return Optional.ofNullable(sender);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParkedPost && ((ParkedPost) o).id.equals(id) && ((ParkedPost) o).list.equals(list);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, list);
    }

    @Override
    public String toString() {
        return "ParkedPost{" + id + " of " + list + " at " + handler + "}";
    }
}
