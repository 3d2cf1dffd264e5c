package org.listkeeper.list;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import org.apache.james.core.MailAddress;

/**
 * A recipient address understood as one of a list's addresses: the posting address or one of the
 * Mailman 3 compatible sub-addresses ({@code -request}, {@code -owner}, {@code -bounces[+verp]},
 * {@code -join}/{@code -subscribe}, {@code -leave}/{@code -unsubscribe}, {@code -confirm+TOKEN}).
 */
public final class ListRecipient {
    /** What mail sent to the address is for. */
    public enum Kind {
        POST(""), REQUEST("-request"), OWNER("-owner"), BOUNCES("-bounces"), JOIN("-join"),
        SUBSCRIBE("-subscribe"), LEAVE("-leave"), UNSUBSCRIBE("-unsubscribe"), CONFIRM("-confirm");

        private final String suffix;

        Kind(String suffix) {
            this.suffix = suffix;
        }

        public String suffix() {
            return suffix;
        }

        /** Only bounces (VERP) and confirmations carry a {@code +detail}. */
        boolean takesDetail() {
            return this == BOUNCES || this == CONFIRM;
        }

        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final MailAddress list;
    private final Kind kind;
    private final String detail;

    private ListRecipient(MailAddress list, Kind kind, String detail) {
        this.list = Objects.requireNonNull(list);
        this.kind = Objects.requireNonNull(kind);
        this.detail = detail;
    }

    public static ListRecipient of(MailAddress list, Kind kind, String detail) {
        return new ListRecipient(list, kind, detail);
    }

    /** The posting address of {@code list}. */
    public static ListRecipient post(MailAddress list) {
        return new ListRecipient(list, Kind.POST, null);
    }

    /** The address this reading stands for, as mail was sent to it ({@code team-confirm+TOKEN@…}). */
    public MailAddress address() {
        if (kind == Kind.POST) {
            return list;
        }
        try {
            return new MailAddress(list.getLocalPart() + kind.suffix + (detail == null ? "" : "+" + detail), list.getDomain());
        } catch (javax.mail.internet.AddressException e) {
            throw new IllegalStateException("Cannot rebuild the " + kind.value() + " address of " + list.asString(), e);
        }
    }

    /** {@link #address()} fit for a log line: a confirmation token shows as {@code …}. */
    public String redacted() {
        return org.listkeeper.internal.Redaction.address(address());
    }

    /** The list's posting address. */
    public MailAddress list() {
        return list;
    }

    public Kind kind() {
        return kind;
    }

    /** The part after {@code +} for VERP bounces and confirmations. */
    public Optional<String> detail() {
        return Optional.ofNullable(detail);
    }

    /**
     * Candidate readings of {@code recipient}, most specific first: the posting address itself, then
     * each sub-address suffix. The caller keeps the first whose list exists.
     */
    static java.util.List<ListRecipient> candidates(MailAddress recipient) {
        java.util.List<ListRecipient> result = new java.util.ArrayList<>();
        result.add(new ListRecipient(recipient, Kind.POST, null));
        String local = recipient.getLocalPart();
        int plus = local.indexOf('+');
        String base = plus >= 0 ? local.substring(0, plus) : local;
        String detail = plus >= 0 ? local.substring(plus + 1) : null;
        String lowerBase = base.toLowerCase(Locale.ROOT);
        for (Kind kind : Kind.values()) {
            if (kind == Kind.POST || !lowerBase.endsWith(kind.suffix) || lowerBase.length() == kind.suffix.length()) {
                continue;
            }
            if (detail != null && (!kind.takesDetail() || detail.isEmpty())) {
                continue;
            }
            String listLocal = base.substring(0, base.length() - kind.suffix.length());
            try {
                result.add(new ListRecipient(new MailAddress(listLocal, recipient.getDomain()), kind, detail));
            } catch (javax.mail.internet.AddressException e) {
                // not a valid list address once the suffix is gone: this reading does not apply
            }
        }
        return result;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ListRecipient)) {
            return false;
        }
        ListRecipient other = (ListRecipient) o;
        return list.equals(other.list) && kind == other.kind && Objects.equals(detail, other.detail);
    }

    @Override
    public int hashCode() {
        return Objects.hash(list, kind, detail);
    }

    @Override
    public String toString() {
        // the detail of a confirmation is a live token: never in a log line or an exception message
        return kind.value() + ":" + list.asString() + (detail == null ? "" : kind == Kind.CONFIRM ? "+\u2026" : "+" + detail);
    }
}
