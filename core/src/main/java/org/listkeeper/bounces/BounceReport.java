package org.listkeeper.bounces;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.apache.james.core.MailAddress;

/** What a bounce says: the format it was read in, and for each recipient whether delivery failed for good. */
public final class BounceReport {
    /** What the report says happened to one recipient (RFC 3464 {@code Action}). */
    public enum Action {
        FAILED, DELAYED, DELIVERED, RELAYED, EXPANDED;

        /** Only a failure counts against a member; a delay, a relay or a delivery never does. */
        public boolean counts() {
            return this == FAILED;
        }
    }

    /** One recipient of the bounced message. */
    public static final class Recipient {
        private final MailAddress address;
        private final Action action;
        private final String status;
        private final String diagnostic;

        public Recipient(MailAddress address, Action action, String status, String diagnostic) {
            this.address = Objects.requireNonNull(address);
            this.action = Objects.requireNonNull(action);
            this.status = status;
            this.diagnostic = diagnostic;
        }

        public MailAddress address() {
            return address;
        }

        public Action action() {
            return action;
        }

        /** The enhanced status code (RFC 3463), such as {@code 5.1.1}, when the report gives one. */
        public Optional<String> status() {
            return Optional.ofNullable(status);
        }

        public Optional<String> diagnostic() {
            return Optional.ofNullable(diagnostic);
        }

        /** Why delivery failed, as far as it says anything about the mailbox ({@link BounceClassifier}). */
        public BounceClass bounceClass() {
            return BounceClassifier.classify(action, status, diagnostic);
        }

        /** What the receiving server answered: the diagnostic, else the status code. */
        public Optional<String> reply() {
            return diagnostic().or(this::status);
        }

        @Override
        public String toString() {
            return address.asString() + " " + action.name().toLowerCase(java.util.Locale.ROOT) + (status == null ? "" : " " + status);
        }
    }

    private final String format;
    private final List<Recipient> recipients;

    public BounceReport(String format, List<Recipient> recipients) {
        this.format = Objects.requireNonNull(format);
        this.recipients = List.copyOf(recipients);
    }

    /** Which kind of report it was read as: {@code dsn}, {@code exim}, {@code qmail}, {@code yahoo}, {@code exchange}. */
    public String format() {
        return format;
    }

    public List<Recipient> recipients() {
        return recipients;
    }

    @Override
    public String toString() {
        return format + " " + recipients;
    }
}
