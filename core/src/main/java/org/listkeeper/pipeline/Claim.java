package org.listkeeper.pipeline;

import java.util.Objects;
import java.util.Optional;

/** The answer to a claim on a key (a Message-ID on a list, a fan-out batch): ours, or held by someone else. */
public final class Claim {
    private static final Claim CLAIMED = new Claim(null);

    private final String duplicateOf;

    private Claim(String duplicateOf) {
        this.duplicateOf = duplicateOf;
    }

    public static Claim claimed() {
        return CLAIMED;
    }

    public static Claim duplicateOf(String postKey) {
        return new Claim(Objects.requireNonNull(postKey));
    }

    public boolean isDuplicate() {
        return duplicateOf != null;
    }

    /** Who claimed the key first, when this claim is a duplicate. */
    public Optional<String> duplicateOf() {
        return Optional.ofNullable(duplicateOf);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Claim && Objects.equals(((Claim) o).duplicateOf, duplicateOf);
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
