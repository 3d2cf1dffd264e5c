package org.listkeeper.membership;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.apache.james.core.MailAddress;
import org.listkeeper.InvalidValueException;
import org.listkeeper.list.Addresses;
import org.listkeeper.list.Delivery;
import org.listkeeper.list.DigestMode;
import org.listkeeper.list.DisabledBy;
import org.listkeeper.list.MailingList;
import org.listkeeper.list.Member;
import org.listkeeper.list.ModerationAction;
import org.listkeeper.list.Role;
import org.listkeeper.notices.Notice;
import org.listkeeper.list.Roster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds many roster entries at once. Every row is checked whole before anything of it is written, so a bad row
 * is refused by its line number and never half imported; an address already on the roster is skipped. With
 * confirmations, each new address is asked to confirm instead of being added. Counters are readable while it
 * runs.
 */
public final class RosterImport {
    /** The fields a row may have: the columns of the CSV export. */
    public static final List<String> FIELDS = List.of("address", "displayName", "role", "delivery", "disabledBy", "digest",
        "receiveOwnPosts", "hideAddress", "moderationAction");
    /** At most this many row errors are kept for the report. */
    public static final int MAX_ERRORS = 100;
    private static final Logger LOGGER = LoggerFactory.getLogger(RosterImport.class);

    /** One row of the input with its line number (1 is the first line of the file). */
    public static final class Row {
        private final int line;
        private final Map<String, String> fields;

        public Row(int line, Map<String, String> fields) {
            this.line = line;
            this.fields = Map.copyOf(fields);
        }

        public int line() {
            return line;
        }

        public Map<String, String> fields() {
            return fields;
        }
    }

    /** A refused row. */
    public static final class RowError {
        private final int line;
        private final String error;

        RowError(int line, String error) {
            this.line = line;
            this.error = error;
        }

        public int line() {
            return line;
        }

        public String error() {
            return error;
        }
    }

    private final Roster roster;
    private final Membership membership;
    private final MailingList list;
    private final boolean confirm;
    private final List<Row> rows;
    private final AtomicInteger processed = new AtomicInteger();
    private final AtomicInteger added = new AtomicInteger();
    private final AtomicInteger confirmationsSent = new AtomicInteger();
    private final AtomicInteger skipped = new AtomicInteger();
    private final AtomicInteger invalid = new AtomicInteger();
    private final List<RowError> errors = Collections.synchronizedList(new ArrayList<>());

    public RosterImport(Roster roster, Membership membership, MailingList list, boolean confirm, List<Row> rows) {
        this.roster = Objects.requireNonNull(roster);
        this.membership = Objects.requireNonNull(membership);
        this.list = Objects.requireNonNull(list);
        this.confirm = confirm;
        this.rows = List.copyOf(rows);
    }

    /** Imports every row; {@code notices} receives the confirmations to send (with confirmations on). */
    public void run(Consumer<List<Notice>> notices) {
        Requester requester = confirm ? Requester.adminAskingConsent("the list administrators") : Requester.admin("import");
        for (Row row : rows) {
            Member member;
            try {
                member = member(row);
            } catch (InvalidValueException e) {
                invalid.incrementAndGet();
                if (errors.size() < MAX_ERRORS) {
                    errors.add(new RowError(row.line(), e.getMessage()));
                }
                processed.incrementAndGet();
                continue;
            }
            if (confirm) {
                Result result = membership.join(list, member, requester);
                if (result.outcome() == Outcome.CONFIRMATION_SENT) {
                    confirmationsSent.incrementAndGet();
                    notices.accept(result.notices());
                } else {
                    skipped.incrementAndGet();
                }
            } else if (roster.addMember(list.id(), member)) {
                added.incrementAndGet();
            } else {
                skipped.incrementAndGet();
            }
            processed.incrementAndGet();
        }
        LOGGER.info("Import into {}: {} rows, {} added, {} asked to confirm, {} already there, {} refused", list.address().asString(),
            rows.size(), added.get(), confirmationsSent.get(), skipped.get(), invalid.get());
    }

    /** The roster entry a row describes, or {@link InvalidValueException} naming the field and value. */
    public static Member member(Row row) {
        Map<String, String> fields = row.fields();
        for (String name : fields.keySet()) {
            if (!FIELDS.contains(name)) {
                throw new InvalidValueException("column", name, "unknown; known are " + String.join(", ", FIELDS));
            }
        }
        MailAddress address = Addresses.parse("address", fields.get("address"));
        Member.Builder member = Member.builder(address);
        String displayName = blankToNull(fields.get("displayName"));
        member.displayName(displayName);
        optional(fields, "role").map(Role::parse).ifPresent(member::role);
        optional(fields, "delivery").map(Delivery::parse).ifPresent(member::delivery);
        optional(fields, "disabledBy").map(DisabledBy::parse).ifPresent(member::disabledBy);
        optional(fields, "digest").map(DigestMode::parse).ifPresent(member::digest);
        optional(fields, "receiveOwnPosts").map(v -> bool("receiveOwnPosts", v)).ifPresent(member::receiveOwnPosts);
        optional(fields, "hideAddress").map(v -> bool("hideAddress", v)).ifPresent(member::hideAddress);
        optional(fields, "moderationAction").map(ModerationAction::parse).ifPresent(member::moderationAction);
        return member.build();
    }

    private static java.util.Optional<String> optional(Map<String, String> fields, String name) {
        return java.util.Optional.ofNullable(blankToNull(fields.get(name)));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static boolean bool(String field, String value) {
        if (Set.of("true", "yes", "1").contains(value.toLowerCase(java.util.Locale.ROOT))) {
            return true;
        }
        if (Set.of("false", "no", "0").contains(value.toLowerCase(java.util.Locale.ROOT))) {
            return false;
        }
        throw new InvalidValueException(field, value, "expected true or false");
    }

    public int total() {
        return rows.size();
    }

    public int processed() {
        return processed.get();
    }

    public int added() {
        return added.get();
    }

    public int confirmationsSent() {
        return confirmationsSent.get();
    }

    public int skipped() {
        return skipped.get();
    }

    public int invalid() {
        return invalid.get();
    }

    /** The first {@value #MAX_ERRORS} refused rows. */
    public List<RowError> errors() {
        synchronized (errors) {
            return List.copyOf(errors);
        }
    }

    public MailingList list() {
        return list;
    }

    public boolean confirm() {
        return confirm;
    }
}
