package org.listkeeper.store;

import java.util.Objects;
import java.util.Optional;

/** The answer to "may this post carry this Message-ID on this list?". */
public final class MessageIdClaim {
    private static final MessageIdClaim CLAIMED = new MessageIdClaim(null);

    private final String duplicateOf;

    private MessageIdClaim(String duplicateOf) {
        this.duplicateOf = duplicateOf;
    }

    public static MessageIdClaim claimed() {
        return CLAIMED;
    }

    public static MessageIdClaim duplicateOf(String postKey) {
        return new MessageIdClaim(Objects.requireNonNull(postKey));
    }

    public boolean isDuplicate() {
        return duplicateOf != null;
    }

    /** The post that claimed the Message-ID first, when this one is a duplicate. */
    public Optional<String> duplicateOf() {
        return Optional.ofNullable(duplicateOf);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MessageIdClaim && Objects.equals(((MessageIdClaim) o).duplicateOf, duplicateOf);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(duplicateOf);
    }

    @Override
    public String toString() {
        return duplicateOf == null ? "claimed" : "duplicate of " + duplicateOf;
    }
}
