package org.listkeeper.membership;

import java.util.Objects;
import java.util.Optional;

import org.apache.james.core.MailAddress;
import org.listkeeper.list.Addresses;

/** Who asks for a membership change: an address writing to the list, or an administrator. */
public final class Requester {
    private final MailAddress address;
    private final String label;
    private final boolean askConsent;

    private Requester(MailAddress address, String label, boolean askConsent) {
        this.address = address;
        this.label = Objects.requireNonNull(label);
        this.askConsent = askConsent;
    }

    /** Someone writing from {@code address} (unverified: anything they ask for another address needs that address's consent). */
    public static Requester address(MailAddress address) {
        return new Requester(Objects.requireNonNull(address), address.asString(), true);
    }

    /** An administrator (the REST interface, an import): policies do not apply. */
    public static Requester admin(String label) {
        return new Requester(null, label, false);
    }

    /**
     * An administrator who wants each address to confirm (an import with confirmations): the address gets a
     * confirmation, but no moderator approval follows it.
     */
    public static Requester adminAskingConsent(String label) {
        return new Requester(null, label, true);
    }

    /** Whether the addresses concerned must confirm themselves. */
    public boolean asksConsent() {
        return askConsent;
    }

    public Optional<MailAddress> address() {
        return Optional.ofNullable(address);
    }

    public boolean isAdmin() {
        return address == null;
    }

    /** Whether this requester is {@code other} itself. */
    public boolean is(MailAddress other) {
        return address != null && Addresses.key(address).equals(Addresses.key(other));
    }

    /** How requests record and notices name the requester. */
    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }
}
