package org.listkeeper.bounces;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import org.apache.james.core.MailAddress;

/**
 * One bounce as bounce processing read it: the member it named (none when it named no member or could not be read),
 * its class (none when unrecognised), whether it counted against the member's score, and the reply text.
 */
public final class BounceLogEntry {
    private final Instant at;
    private final MailAddress address;
    private final BounceClass bounceClass;
    private final boolean scored;
    private final String reply;

    public BounceLogEntry(Instant at, MailAddress address, BounceClass bounceClass, boolean scored, String reply) {
        this.at = Objects.requireNonNull(at);
        this.address = address;
        this.bounceClass = bounceClass;
        this.scored = scored;
        this.reply = reply;
    }

    public Instant at() {
        return at;
    }

    public Optional<MailAddress> address() {
        return Optional.ofNullable(address);
    }

    /** The receiving domain: the member's domain. */
    public Optional<String> domain() {
        return address().map(a -> a.getDomain().asString());
    }

    public Optional<BounceClass> bounceClass() {
        return Optional.ofNullable(bounceClass);
    }

    public boolean scored() {
        return scored;
    }

    public Optional<String> reply() {
        return Optional.ofNullable(reply);
    }
}
