package org.listkeeper.list;

import java.util.Objects;
import java.util.Optional;

import org.apache.james.core.MailAddress;
import org.listkeeper.InvalidValueException;

/** One entry of a list's roster, with the member's options. */
public final class Member {
    private final MailAddress address;
    private final String displayName;
    private final Role role;
    private final Delivery delivery;
    private final DisabledBy disabledBy;
    private final DigestMode digest;
    private final boolean receiveOwnPosts;
    private final boolean hideAddress;
    private final ModerationAction moderationAction;

    private Member(Builder builder) {
        this.address = Objects.requireNonNull(builder.address, "address");
        this.displayName = builder.displayName == null || builder.displayName.isBlank() ? null : builder.displayName.strip();
        if (displayName != null && (displayName.length() > 255 || displayName.chars().anyMatch(c -> c < 0x20 || c == 0x7f))) {
            throw new InvalidValueException("displayName", displayName, "must be one line of at most 255 characters");
        }
        this.role = Objects.requireNonNull(builder.role, "role");
        this.delivery = Objects.requireNonNull(builder.delivery, "delivery");
        this.disabledBy = delivery == Delivery.DISABLED ? (builder.disabledBy == null ? DisabledBy.ADMIN : builder.disabledBy) : null;
        this.digest = Objects.requireNonNull(builder.digest, "digest");
        this.receiveOwnPosts = builder.receiveOwnPosts;
        this.hideAddress = builder.hideAddress;
        this.moderationAction = builder.moderationAction;
    }

    public static Member of(MailAddress address, String displayName, Role role, Delivery delivery) {
        return builder(address).displayName(displayName).role(role).delivery(delivery).build();
    }

    public static Member of(MailAddress address) {
        return builder(address).build();
    }

    public static Builder builder(MailAddress address) {
        return new Builder(address);
    }

    /** A builder starting from this entry, to change some of its options. */
    public Builder toBuilder() {
        return new Builder(address).displayName(displayName).role(role).delivery(delivery).disabledBy(disabledBy).digest(digest)
            .receiveOwnPosts(receiveOwnPosts).hideAddress(hideAddress).moderationAction(moderationAction);
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

    /** Who disabled delivery; present exactly when delivery is disabled. */
    public Optional<DisabledBy> disabledBy() {
        return Optional.ofNullable(disabledBy);
    }

    public DigestMode digest() {
        return digest;
    }

    /** Whether the member gets a copy of their own posts. */
    public boolean receiveOwnPosts() {
        return receiveOwnPosts;
    }

    /** Whether the address is left out of the roster that {@code who} shows. */
    public boolean hideAddress() {
        return hideAddress;
    }

    /** The action for this address's posts; empty means the list's default. */
    public Optional<ModerationAction> moderationAction() {
        return Optional.ofNullable(moderationAction);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Member)) {
            return false;
        }
        Member other = (Member) o;
        return address.equals(other.address) && Objects.equals(displayName, other.displayName)
            && role == other.role && delivery == other.delivery && disabledBy == other.disabledBy && digest == other.digest
            && receiveOwnPosts == other.receiveOwnPosts && hideAddress == other.hideAddress
            && moderationAction == other.moderationAction;
    }

    @Override
    public int hashCode() {
        return Objects.hash(address, displayName, role, delivery, disabledBy, digest, receiveOwnPosts, hideAddress, moderationAction);
    }

    @Override
    public String toString() {
        return "Member{" + address.asString() + ", " + role.value() + ", " + delivery.value()
            + (disabledBy == null ? "" : " by " + disabledBy.value()) + "}";
    }

    /** Builds a roster entry; defaults: member, delivery enabled, no digest, own posts received, address shown. */
    public static final class Builder {
        private final MailAddress address;
        private String displayName;
        private Role role = Role.MEMBER;
        private Delivery delivery = Delivery.ENABLED;
        private DisabledBy disabledBy;
        private DigestMode digest = DigestMode.NONE;
        private boolean receiveOwnPosts = true;
        private boolean hideAddress;
        private ModerationAction moderationAction;

        private Builder(MailAddress address) {
            this.address = address;
        }

        public Builder displayName(String displayName) {
            this.displayName = displayName;
            return this;
        }

        public Builder role(Role role) {
            this.role = role;
            return this;
        }

        public Builder delivery(Delivery delivery) {
            this.delivery = delivery;
            return this;
        }

        /** Ignored unless delivery is disabled; defaults to {@link DisabledBy#ADMIN} then. */
        public Builder disabledBy(DisabledBy disabledBy) {
            this.disabledBy = disabledBy;
            return this;
        }

        public Builder digest(DigestMode digest) {
            this.digest = digest;
            return this;
        }

        public Builder receiveOwnPosts(boolean receiveOwnPosts) {
            this.receiveOwnPosts = receiveOwnPosts;
            return this;
        }

        public Builder hideAddress(boolean hideAddress) {
            this.hideAddress = hideAddress;
            return this;
        }

        public Builder moderationAction(ModerationAction moderationAction) {
            this.moderationAction = moderationAction;
            return this;
        }

        public Member build() {
            return new Member(this);
        }
    }
}
