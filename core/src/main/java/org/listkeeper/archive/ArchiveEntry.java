package org.listkeeper.archive;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the archive lists of one post: its number on the list, identity, subject, author, date and place in a thread.
 * A deleted entry (a moderator's takedown) keeps its number and thread; its message is gone.
 */
public final class ArchiveEntry {
    private final long number;
    private final String messageId;
    private final String subject;
    private final String authorName;
    private final String authorAddress;
    private final Instant date;
    private final long threadId;
    private final String inReplyTo;
    private final long size;
    private final boolean deleted;

    private ArchiveEntry(Builder builder) {
        this.number = builder.number;
        this.messageId = builder.messageId;
        this.subject = Objects.requireNonNull(builder.subject);
        this.authorName = Objects.requireNonNull(builder.authorName);
        this.authorAddress = builder.authorAddress;
        this.date = Objects.requireNonNull(builder.date);
        this.threadId = builder.threadId;
        this.inReplyTo = builder.inReplyTo;
        this.size = builder.size;
        this.deleted = builder.deleted;
    }

    public static Builder builder(long number) {
        return new Builder(number);
    }

    public Builder toBuilder() {
        return new Builder(number).messageId(messageId).subject(subject).author(authorName, authorAddress).date(date)
            .threadId(threadId).inReplyTo(inReplyTo).size(size).deleted(deleted);
    }

    /** The post number: the same as the list's number for the post. */
    public long number() {
        return number;
    }

    public Optional<String> messageId() {
        return Optional.ofNullable(messageId);
    }

    public String subject() {
        return subject;
    }

    /** The author's display name (the local part of the address when the post gave none). */
    public String authorName() {
        return authorName;
    }

    public Optional<String> authorAddress() {
        return Optional.ofNullable(authorAddress);
    }

    /** The post's Date, else when it was archived. */
    public Instant date() {
        return date;
    }

    /** The number of the first post of the thread this one belongs to (its own number when it starts one). */
    public long threadId() {
        return threadId;
    }

    public Optional<String> inReplyTo() {
        return Optional.ofNullable(inReplyTo);
    }

    /** The size of the archived message in bytes. */
    public long size() {
        return size;
    }

    public boolean deleted() {
        return deleted;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ArchiveEntry)) {
            return false;
        }
        ArchiveEntry other = (ArchiveEntry) o;
        return number == other.number && threadId == other.threadId && size == other.size && deleted == other.deleted
            && Objects.equals(messageId, other.messageId) && subject.equals(other.subject) && authorName.equals(other.authorName)
            && Objects.equals(authorAddress, other.authorAddress) && date.equals(other.date) && Objects.equals(inReplyTo, other.inReplyTo);
    }

    @Override
    public int hashCode() {
        return Objects.hash(number, messageId, threadId);
    }

    @Override
    public String toString() {
        return "ArchiveEntry{#" + number + " thread " + threadId + (deleted ? " deleted" : "") + " " + subject + "}";
    }

    public static final class Builder {
        private final long number;
        private String messageId;
        private String subject = "";
        private String authorName = "";
        private String authorAddress;
        private Instant date = Instant.EPOCH;
        private long threadId;
        private String inReplyTo;
        private long size;
        private boolean deleted;

        private Builder(long number) {
            this.number = number;
            this.threadId = number;
        }

        public Builder messageId(String value) {
            this.messageId = value;
            return this;
        }

        public Builder subject(String value) {
            this.subject = Objects.requireNonNull(value);
            return this;
        }

        public Builder author(String name, String address) {
            this.authorName = Objects.requireNonNull(name);
            this.authorAddress = address;
            return this;
        }

        public Builder date(Instant value) {
            this.date = Objects.requireNonNull(value);
            return this;
        }

        public Builder threadId(long value) {
            this.threadId = value;
            return this;
        }

        public Builder inReplyTo(String value) {
            this.inReplyTo = value;
            return this;
        }

        public Builder size(long value) {
            this.size = value;
            return this;
        }

        public Builder deleted(boolean value) {
            this.deleted = value;
            return this;
        }

        public ArchiveEntry build() {
            return new ArchiveEntry(this);
        }
    }
}
