package org.listkeeper.notices;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.apache.james.core.MailAddress;

/**
 * A reply or notice decided on but not yet written: which template, to whom, with which values. Whether it
 * counts against the recipient's daily limit of automatic replies is part of it: notices to moderators do not.
 */
public final class Notice {
    private final NoticeKind kind;
    private final MailAddress recipient;
    private final Map<String, String> values;
    private final boolean automaticReply;
    private final String attachment;
    private final MailAddress envelope;

    private Notice(NoticeKind kind, MailAddress recipient, Map<String, String> values, boolean automaticReply, String attachment) {
        this(kind, recipient, values, automaticReply, attachment, null);
    }

    private Notice(NoticeKind kind, MailAddress recipient, Map<String, String> values, boolean automaticReply, String attachment,
                   MailAddress envelope) {
        this.kind = Objects.requireNonNull(kind);
        this.recipient = Objects.requireNonNull(recipient);
        this.values = Map.copyOf(values);
        this.automaticReply = automaticReply;
        this.attachment = attachment;
        this.envelope = envelope;
    }

    /** A notice to an address that asked for something or was asked about: counted as an automatic reply. */
    public static Notice to(MailAddress recipient, NoticeKind kind, Map<String, String> values) {
        return new Notice(kind, recipient, values, true, null);
    }

    /** A notice to a list's owner or moderator: never held back by the daily limit. */
    public static Notice toModerator(MailAddress recipient, NoticeKind kind, Map<String, String> values) {
        return new Notice(kind, recipient, values, false, null);
    }

    /** The same notice with a held mail attached (as {@code message/rfc822}), named by its hold-queue key. */
    public Notice withAttachment(String mailKey) {
        return new Notice(kind, recipient, values, automaticReply, Objects.requireNonNull(mailKey), envelope);
    }

    /**
     * The same notice sent from {@code envelope} instead of the list's bounce address: a probe goes out from the
     * recipient's VERP address, so that a bounce of it is counted against the recipient.
     */
    public Notice from(MailAddress envelope) {
        return new Notice(kind, recipient, values, automaticReply, attachment, Objects.requireNonNull(envelope));
    }

    /** The envelope sender this notice must go out from, when not the list's bounce address. */
    public Optional<MailAddress> envelope() {
        return Optional.ofNullable(envelope);
    }

    /** The hold-queue key of the mail to attach, if any. */
    public Optional<String> attachment() {
        return Optional.ofNullable(attachment);
    }

    public NoticeKind kind() {
        return kind;
    }

    public MailAddress recipient() {
        return recipient;
    }

    public Map<String, String> values() {
        return values;
    }

    public Optional<String> value(String name) {
        return Optional.ofNullable(values.get(name));
    }

    public boolean automaticReply() {
        return automaticReply;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Notice)) {
            return false;
        }
        Notice other = (Notice) o;
        return kind == other.kind && recipient.equals(other.recipient) && values.equals(other.values)
            && automaticReply == other.automaticReply && Objects.equals(attachment, other.attachment) && Objects.equals(envelope, other.envelope);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, recipient, values, automaticReply);
    }

    @Override
    public String toString() {
        return "Notice{" + kind.templateName() + " to " + recipient.asString() + "}";
    }
}
