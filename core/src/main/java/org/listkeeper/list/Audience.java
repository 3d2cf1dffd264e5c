package org.listkeeper.list;

import java.util.Objects;
import java.util.Optional;

/**
 * Which of the members that receive posts a fan-out reaches: all of them; those who take posts singly (a post that
 * went into a digest issue); or the members of one digest kind for one issue, with those who left that kind while the
 * issue was still to be sent ("one last digest").
 */
public final class Audience {
    private static final Audience EVERYONE = new Audience(null, 0);
    private static final Audience SINGLES = new Audience(DigestMode.NONE, 0);

    private final DigestMode digest;
    private final long issueId;

    private Audience(DigestMode digest, long issueId) {
        this.digest = digest;
        this.issueId = issueId;
    }

    /** Every member whose delivery is enabled. */
    public static Audience everyone() {
        return EVERYONE;
    }

    /** The members who take posts one by one (digest {@code none}). */
    public static Audience singles() {
        return SINGLES;
    }

    /** The members who take {@code kind} digests, and those who left {@code kind} while issue {@code issueId} was unsent. */
    public static Audience digest(DigestMode kind, long issueId) {
        if (kind == DigestMode.NONE) {
            throw new IllegalArgumentException("a digest audience needs a digest kind");
        }
        return new Audience(Objects.requireNonNull(kind), issueId);
    }

    /** The digest mode the members must have; empty for everyone. */
    public Optional<DigestMode> digest() {
        return Optional.ofNullable(digest);
    }

    /** For a digest audience: the issue whose leavers are still in it. */
    public long issueId() {
        return issueId;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Audience && ((Audience) o).digest == digest && ((Audience) o).issueId == issueId;
    }

    @Override
    public int hashCode() {
        return Objects.hash(digest, issueId);
    }

    @Override
    public String toString() {
        return digest == null ? "everyone" : digest == DigestMode.NONE ? "singles" : digest.value() + " digest of issue #" + issueId;
    }
}
