package org.listkeeper.signin;

import java.util.Objects;
import java.util.Optional;

import org.apache.james.core.MailAddress;

/** What using a sign-in link did: signed its address in, or why not. */
public final class LinkUse {
    /** Why a link signs nobody in, or that it did. */
    public enum State {
        SIGNED_IN, USED, EXPIRED, UNKNOWN
    }

    private final State state;
    private final MailAddress address;

    private LinkUse(State state, MailAddress address) {
        this.state = Objects.requireNonNull(state);
        this.address = address;
    }

    public static LinkUse signedIn(MailAddress address) {
        return new LinkUse(State.SIGNED_IN, Objects.requireNonNull(address));
    }

    public static LinkUse refused(State state) {
        if (state == State.SIGNED_IN) {
            throw new IllegalArgumentException("a refusal has no address");
        }
        return new LinkUse(state, null);
    }

    public State state() {
        return state;
    }

    /** The address signed in, when it was. */
    public Optional<MailAddress> address() {
        return Optional.ofNullable(address);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof LinkUse)) {
            return false;
        }
        LinkUse other = (LinkUse) o;
        return state == other.state && Objects.equals(address, other.address);
    }

    @Override
    public int hashCode() {
        return Objects.hash(state, address);
    }

    @Override
    public String toString() {
        return address == null ? state.name() : state + " " + address.asString();
    }
}
