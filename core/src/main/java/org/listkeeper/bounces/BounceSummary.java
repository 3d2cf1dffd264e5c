package org.listkeeper.bounces;

import java.util.Objects;

/** How many bounces of one class came from one receiving domain, and how many of them counted against members. */
public final class BounceSummary {
    private final String bounceClass;
    private final String domain;
    private final int received;
    private final int scored;

    /** {@code bounceClass} is a {@link BounceClass#label()} or {@code unrecognised}; {@code domain} empty for those. */
    public BounceSummary(String bounceClass, String domain, int received, int scored) {
        this.bounceClass = Objects.requireNonNull(bounceClass);
        this.domain = Objects.requireNonNull(domain);
        this.received = received;
        this.scored = scored;
    }

    public String bounceClass() {
        return bounceClass;
    }

    public String domain() {
        return domain;
    }

    public int received() {
        return received;
    }

    public int scored() {
        return scored;
    }

    public int notScored() {
        return received - scored;
    }
}
