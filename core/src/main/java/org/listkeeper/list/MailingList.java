package org.listkeeper.list;

import java.util.Objects;
import java.util.Optional;

import javax.mail.internet.AddressException;

import org.apache.james.core.MailAddress;

/**
 * A list as the store holds it, with the addresses and identifiers derived from its posting address
 * (Mailman 3 sub-addresses: {@code team-request@}, {@code team-owner@}, {@code team-bounces@}…).
 */
public final class MailingList {
    /** Used when the list has no footer of its own; an empty footer switches the footer off. */
    public static final String DEFAULT_FOOTER = "_______________________________________________\n"
        + "{{displayName}} mailing list -- {{listAddress}}\n"
        + "To unsubscribe send an email to {{leaveAddress}}";

    private final long id;
    private final MailAddress address;
    private final String displayName;
    private final String description;
    private final String subjectPrefix;
    private final String footer;
    private final String archiveUrl;

    private MailingList(long id, MailAddress address, String displayName, String description,
                        String subjectPrefix, String footer, String archiveUrl) {
        this.id = id;
        this.address = Objects.requireNonNull(address, "address");
        this.displayName = displayName;
        this.description = description;
        this.subjectPrefix = subjectPrefix;
        this.footer = footer;
        this.archiveUrl = archiveUrl;
    }

    /** Null values mean "not set": the derived defaults apply. */
    public static MailingList of(long id, MailAddress address, String displayName, String description,
                                 String subjectPrefix, String footer, String archiveUrl) {
        return new MailingList(id, address, displayName, description, subjectPrefix, footer, archiveUrl);
    }

    public long id() {
        return id;
    }

    public MailAddress address() {
        return address;
    }

    /** The display name, or the local part of the address when none is set. */
    public String displayName() {
        return displayName != null ? displayName : address.getLocalPart();
    }

    public Optional<String> configuredDisplayName() {
        return Optional.ofNullable(displayName);
    }

    public Optional<String> description() {
        return Optional.ofNullable(description);
    }

    /** The prefix put in front of subjects; {@code [display name]} unless set, empty when switched off. */
    public String subjectPrefix() {
        return subjectPrefix != null ? subjectPrefix : "[" + displayName() + "]";
    }

    public Optional<String> configuredSubjectPrefix() {
        return Optional.ofNullable(subjectPrefix);
    }

    /** The footer template: {@link #DEFAULT_FOOTER} unless set, empty when switched off. */
    public String footerTemplate() {
        return footer != null ? footer : DEFAULT_FOOTER;
    }

    public Optional<String> configuredFooter() {
        return Optional.ofNullable(footer);
    }

    public Optional<String> archiveUrl() {
        return Optional.ofNullable(archiveUrl);
    }

    /** RFC 2919 list identifier: the posting address with {@code @} turned into a dot. */
    public String listId() {
        return address.getLocalPart() + "." + address.getDomain().asString();
    }

    public MailAddress requestAddress() {
        return subAddress("-request");
    }

    public MailAddress ownerAddress() {
        return subAddress("-owner");
    }

    public MailAddress bouncesAddress() {
        return subAddress("-bounces");
    }

    public MailAddress joinAddress() {
        return subAddress("-join");
    }

    public MailAddress leaveAddress() {
        return subAddress("-leave");
    }

    private MailAddress subAddress(String suffix) {
        try {
            return new MailAddress(address.getLocalPart() + suffix, address.getDomain());
        } catch (AddressException e) {
            throw new IllegalStateException("Cannot derive " + suffix + " address of " + address.asString(), e);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof MailingList)) {
            return false;
        }
        MailingList other = (MailingList) o;
        return id == other.id && address.equals(other.address) && Objects.equals(displayName, other.displayName)
            && Objects.equals(description, other.description) && Objects.equals(subjectPrefix, other.subjectPrefix)
            && Objects.equals(footer, other.footer) && Objects.equals(archiveUrl, other.archiveUrl);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, address, displayName, description, subjectPrefix, footer, archiveUrl);
    }

    @Override
    public String toString() {
        return "MailingList{" + address.asString() + "}";
    }
}
