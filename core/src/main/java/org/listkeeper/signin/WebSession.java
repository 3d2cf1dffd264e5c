package org.listkeeper.signin;

import java.time.Instant;
import java.util.Objects;

import org.apache.james.core.MailAddress;

/** A signed-in visitor of the web pages: the address they proved, when they signed in, when they were last seen. */
public final class WebSession {
    private final MailAddress address;
    private final Instant createdAt;
    private final Instant lastSeenAt;

    private WebSession(MailAddress address, Instant createdAt, Instant lastSeenAt) {
        this.address = Objects.requireNonNull(address);
        this.createdAt = Objects.requireNonNull(createdAt);
        this.lastSeenAt = Objects.requireNonNull(lastSeenAt);
    }

    public static WebSession of(MailAddress address, Instant createdAt, Instant lastSeenAt) {
        return new WebSession(address, createdAt, lastSeenAt);
    }

    public MailAddress address() {
        return address;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant lastSeenAt() {
        return lastSeenAt;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof WebSession)) {
            return false;
        }
        WebSession other = (WebSession) o;
        return address.equals(other.address) && createdAt.equals(other.createdAt) && lastSeenAt.equals(other.lastSeenAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(address, createdAt, lastSeenAt);
    }

    @Override
    public String toString() {
        return "WebSession{" + address.asString() + ", since " + createdAt + "}";
    }
}
