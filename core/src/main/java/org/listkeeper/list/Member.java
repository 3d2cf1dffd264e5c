package org.listkeeper.list;

import java.util.Objects;
import java.util.Optional;

import org.apache.james.core.MailAddress;

/** One entry of a list's roster. */
public final class Member {
    private final MailAddress address;
    private final String displayName;
    private final Role role;
    private final Delivery delivery;

    private Member(MailAddress address, String displayName, Role role, Delivery delivery) {
        this.address = Objects.requireNonNull(address, "address");
        this.displayName = displayName == null || displayName.isBlank() ? null : displayName.strip();
        this.role = Objects.requireNonNull(role, "role");
        this.delivery = Objects.requireNonNull(delivery, "delivery");
    }

    public static Member of(MailAddress address, String displayName, Role role, Delivery delivery) {
        return new Member(address, displayName, role, delivery);
    }

    public static Member of(MailAddress address) {
        return new Member(address, null, Role.MEMBER, Delivery.ENABLED);
    }

    public MailAddress address() {
        return address;
    }

    public Optional<String> displayName() {
        return Optional.ofNullable(displayName);
    }

    public Role role() {
        return role;
    }

    public Delivery delivery() {
        return delivery;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Member)) {
            return false;
        }
        Member other = (Member) o;
        return address.equals(other.address) && Objects.equals(displayName, other.displayName)
            && role == other.role && delivery == other.delivery;
    }

    @Override
    public int hashCode() {
        return Objects.hash(address, displayName, role, delivery);
    }

    @Override
    public String toString() {
        return "Member{" + address.asString() + ", " + role.value() + ", " + delivery.value() + "}";
    }
}
