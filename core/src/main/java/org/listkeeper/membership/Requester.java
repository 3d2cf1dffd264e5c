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
    private final boolean visitor;

    private Requester(MailAddress address, String label, boolean askConsent, boolean visitor) {
        this.address = address;
        this.label = Objects.requireNonNull(label);
        this.askConsent = askConsent;
        this.visitor = visitor;
    }

    /** Someone writing from {@code address} (unverified: anything they ask for another address needs that address's consent). */
    public static Requester address(MailAddress address) {
        return new Requester(Objects.requireNonNull(address), address.asString(), true, false);
    }

    /** An administrator (the REST interface, an import): policies do not apply. */
    public static Requester admin(String label) {
        return new Requester(null, label, false, false);
    }

    /**
     * Someone on the web pages who has not proven any address ({@code label} says where from): whatever they ask for
     * an address needs that address's consent, and they learn nothing about the roster.
     */
    public static Requester visitor(String from) {
        return new Requester(null, VISITOR + " (" + from + ")", true, true);
    }

    /** How a web visitor's requests are labelled, so that a later step never takes them for an administrator's. */
    public static final String VISITOR = "a visitor of the list's web page";

    /** Whether a request recorded as made by {@code label} came from an administrator. */
    public static boolean isAdminLabel(String label) {
        return !label.contains("@") && !label.startsWith(VISITOR);
    }

    /**
     * An administrator who wants each address to confirm (an import with confirmations): the address gets a
     * confirmation, but no moderator approval follows it.
     */
    public static Requester adminAskingConsent(String label) {
        return new Requester(null, label, true, false);
    }

    /** Whether the addresses concerned must confirm themselves. */
    public boolean asksConsent() {
        return askConsent;
    }

    public Optional<MailAddress> address() {
        return Optional.ofNullable(address);
    }

    public boolean isAdmin() {
        return address == null && !visitor;
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
