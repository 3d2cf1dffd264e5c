package org.listkeeper.delivery;

import java.util.Objects;

/** What became of one recipient of one delivery attempt. */
public final class RecipientOutcome {
    /** The three ends of an attempt. */
    public enum Kind {
        /** The receiving server took responsibility ({@code 2xx} after the message). */
        DELIVERED,
        /** A {@code 4xx}, a dropped connection, a timeout: try again later. */
        DEFERRED,
        /** A {@code 5xx}: counted as a bounce of this member, never tried again. */
        FAILED
    }

    private final Kind kind;
    private final String reply;
    private final String destination;

    private RecipientOutcome(Kind kind, String reply, String destination) {
        this.kind = kind;
        this.reply = reply;
        this.destination = destination;
    }

    public static RecipientOutcome of(Kind kind, String reply, String destination) {
        return new RecipientOutcome(Objects.requireNonNull(kind), Objects.requireNonNull(reply), Objects.requireNonNull(destination));
    }

    static RecipientOutcome of(SmtpReply reply, String destination) {
        Kind kind = reply.positive() ? Kind.DELIVERED : reply.transientFailure() ? Kind.DEFERRED : Kind.FAILED;
        return new RecipientOutcome(kind, reply.text(), destination);
    }

    public Kind kind() {
        return kind;
    }

    /** The server's reply (or one Listkeeper made up for a connection that failed), as one line. */
    public String reply() {
        return reply;
    }

    /** The destination it went to (the relay, or the recipient's domain). */
    public String destination() {
        return destination;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecipientOutcome && ((RecipientOutcome) o).kind == kind && ((RecipientOutcome) o).reply.equals(reply)
            && ((RecipientOutcome) o).destination.equals(destination);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, reply, destination);
    }

    @Override
    public String toString() {
        return kind + " (" + reply + ")";
    }
}
