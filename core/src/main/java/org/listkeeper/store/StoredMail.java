package org.listkeeper.store;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One mail of a mail repository as the list store keeps it: the raw message and the envelope and processing state that
 * travel with it. Plain types only: the James adapter decides how mail attributes and per-recipient headers are written
 * as text, and the store keeps that text as it is.
 *
 * <p>The message array is shared, not copied (a message can be megabytes): neither side changes it once built.</p>
 */
public final class StoredMail {
    /** The longest mail key the store keeps (a repository name has the same limit). */
    public static final int MAX_KEY_LENGTH = 255;

    private final String key;
    private final byte[] message;
    private final String sender;
    private final List<String> recipients;
    private final String state;
    private final String errorMessage;
    private final String remoteHost;
    private final String remoteAddress;
    private final Instant lastUpdated;
    private final String attributes;
    private final String recipientHeaders;

    private StoredMail(Builder builder) {
        this.key = builder.key;
        this.message = builder.message;
        this.sender = builder.sender;
        this.recipients = List.copyOf(builder.recipients);
        this.state = Objects.requireNonNull(builder.state, "state");
        this.errorMessage = builder.errorMessage;
        this.remoteHost = builder.remoteHost;
        this.remoteAddress = builder.remoteAddress;
        this.lastUpdated = builder.lastUpdated;
        this.attributes = builder.attributes;
        this.recipientHeaders = builder.recipientHeaders;
        for (String recipient : recipients) {
            // the store keeps recipients one per line; no mail address has a line break
            if (recipient.isEmpty() || recipient.indexOf('\n') >= 0 || recipient.indexOf('\r') >= 0) {
                throw new IllegalArgumentException("Mail " + key + " has an unusable recipient: '" + recipient + "'");
            }
        }
    }

    /** A mail under {@code key} (1 to {@value #MAX_KEY_LENGTH} characters) with its raw MIME message. */
    public static Builder builder(String key, byte[] message) {
        return new Builder(key, message);
    }

    /** The mail's name in its repository. */
    public String key() {
        return key;
    }

    /** The raw MIME message, byte for byte as stored. */
    public byte[] message() {
        return message;
    }

    /** The envelope sender; empty for the null sender ({@code MAIL FROM:<>}). */
    public Optional<String> sender() {
        return Optional.ofNullable(sender);
    }

    public List<String> recipients() {
        return recipients;
    }

    /** The processor the mail was in, or James's state name ({@code root}, {@code error}, {@code ghost}…). */
    public String state() {
        return state;
    }

    public Optional<String> errorMessage() {
        return Optional.ofNullable(errorMessage);
    }

    public Optional<String> remoteHost() {
        return Optional.ofNullable(remoteHost);
    }

    public Optional<String> remoteAddress() {
        return Optional.ofNullable(remoteAddress);
    }

    public Optional<Instant> lastUpdated() {
        return Optional.ofNullable(lastUpdated);
    }

    /** The mail attributes as the adapter wrote them. */
    public Optional<String> attributes() {
        return Optional.ofNullable(attributes);
    }

    /** The per-recipient headers as the adapter wrote them. */
    public Optional<String> recipientHeaders() {
        return Optional.ofNullable(recipientHeaders);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof StoredMail)) {
            return false;
        }
        StoredMail that = (StoredMail) o;
        return key.equals(that.key) && Arrays.equals(message, that.message) && Objects.equals(sender, that.sender)
            && recipients.equals(that.recipients) && state.equals(that.state) && Objects.equals(errorMessage, that.errorMessage)
            && Objects.equals(remoteHost, that.remoteHost) && Objects.equals(remoteAddress, that.remoteAddress)
            && Objects.equals(lastUpdated, that.lastUpdated) && Objects.equals(attributes, that.attributes)
            && Objects.equals(recipientHeaders, that.recipientHeaders);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, Arrays.hashCode(message), sender, recipients, state, lastUpdated);
    }

    @Override
    public String toString() {
        return "StoredMail{" + key + ", " + message.length + " bytes, from " + (sender == null ? "<>" : sender) + " to "
            + recipients.size() + " recipients, state " + state + "}";
    }

    public static final class Builder {
        private final String key;
        private final byte[] message;
        private String sender;
        private List<String> recipients = List.of();
        private String state;
        private String errorMessage;
        private String remoteHost;
        private String remoteAddress;
        private Instant lastUpdated;
        private String attributes;
        private String recipientHeaders;

        private Builder(String key, byte[] message) {
            Objects.requireNonNull(key, "key");
            if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
                throw new IllegalArgumentException("A mail key has 1 to " + MAX_KEY_LENGTH + " characters, not " + key.length()
                    + ": " + abbreviate(key));
            }
            this.key = key;
            this.message = Objects.requireNonNull(message, "message");
        }

        /** The envelope sender; null for the null sender. */
        public Builder sender(String sender) {
            this.sender = sender;
            return this;
        }

        public Builder recipients(List<String> recipients) {
            this.recipients = Objects.requireNonNull(recipients, "recipients");
            return this;
        }

        public Builder state(String state) {
            this.state = state;
            return this;
        }

        public Builder errorMessage(String errorMessage) {
            this.errorMessage = errorMessage;
            return this;
        }

        public Builder remoteHost(String remoteHost) {
            this.remoteHost = remoteHost;
            return this;
        }

        public Builder remoteAddress(String remoteAddress) {
            this.remoteAddress = remoteAddress;
            return this;
        }

        public Builder lastUpdated(Instant lastUpdated) {
            this.lastUpdated = lastUpdated;
            return this;
        }

        public Builder attributes(String attributes) {
            this.attributes = attributes;
            return this;
        }

        public Builder recipientHeaders(String recipientHeaders) {
            this.recipientHeaders = recipientHeaders;
            return this;
        }

        public StoredMail build() {
            return new StoredMail(this);
        }
    }

    /** The start of a name too long to show whole in a message. */
    private static String abbreviate(String name) {
        return name.length() > 80 ? name.substring(0, 80) + "…" : name;
    }
}
