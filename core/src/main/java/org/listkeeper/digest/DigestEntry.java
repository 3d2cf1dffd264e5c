package org.listkeeper.digest;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/** One post of a digest issue: its number, what the table of contents shows, and the message as members received it. */
public final class DigestEntry {
    private final long postNumber;
    private final String subject;
    private final String author;
    private final Instant date;
    private final byte[] message;

    private DigestEntry(long postNumber, String subject, String author, Instant date, byte[] message) {
        this.postNumber = postNumber;
        this.subject = Objects.requireNonNull(subject);
        this.author = Objects.requireNonNull(author);
        this.date = Objects.requireNonNull(date);
        this.message = Objects.requireNonNull(message).clone();
    }

    public static DigestEntry of(long postNumber, String subject, String author, Instant date, byte[] message) {
        return new DigestEntry(postNumber, subject, author, date, message);
    }

    public long postNumber() {
        return postNumber;
    }

    /** The post's subject as members saw it (with the list's prefix), decoded. */
    public String subject() {
        return subject;
    }

    /** The author as the table of contents shows them: display name and address, decoded. */
    public String author() {
        return author;
    }

    public Instant date() {
        return date;
    }

    public byte[] message() {
        return message.clone();
    }

    public long size() {
        return message.length;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DigestEntry)) {
            return false;
        }
        DigestEntry other = (DigestEntry) o;
        return postNumber == other.postNumber && subject.equals(other.subject) && author.equals(other.author)
            && date.equals(other.date) && Arrays.equals(message, other.message);
    }

    @Override
    public int hashCode() {
        return Objects.hash(postNumber, subject, author, date) * 31 + Arrays.hashCode(message);
    }

    @Override
    public String toString() {
        return "DigestEntry{#" + postNumber + ", " + message.length + " bytes}";
    }
}
