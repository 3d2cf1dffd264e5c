package org.listkeeper.store.jdbc;

import static org.listkeeper.store.jdbc.JdbcSession.address;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javax.mail.internet.AddressException;
import javax.sql.DataSource;
import org.apache.james.core.MailAddress;
import org.listkeeper.NoSuchListException;
import org.listkeeper.StoreException;
import org.listkeeper.StoreUnavailableException;
import org.listkeeper.bounces.BounceState;
import org.listkeeper.internal.Redaction;
import org.listkeeper.list.Addresses;
import org.listkeeper.list.Delivery;
import org.listkeeper.list.DigestMode;
import org.listkeeper.list.DisabledBy;
import org.listkeeper.list.ListChanges.Setting;
import org.listkeeper.list.ListChanges;
import org.listkeeper.list.ListSummary;
import org.listkeeper.list.Lists;
import org.listkeeper.list.MailingList;
import org.listkeeper.list.Member;
import org.listkeeper.list.MemberCursor;
import org.listkeeper.list.ModerationAction;
import org.listkeeper.list.Role;
import org.listkeeper.membership.PendingRequest;
import org.listkeeper.membership.RequestAction;
import org.listkeeper.membership.RequestState;
import org.listkeeper.membership.TokenAction;
import org.listkeeper.membership.TokenRecord;
import org.listkeeper.moderation.HeldPost;
import org.listkeeper.moderation.HeldState;
import org.listkeeper.moderation.ModerationRecord;
import org.listkeeper.pipeline.Claim;
import org.listkeeper.pipeline.FanoutProgress;
import org.listkeeper.unsubscribe.UnsubscribeTarget;

/** {@link Lists} on JDBC: list columns for the settings every list has, a row per other setting. */
final class JdbcLists implements Lists {
    private final JdbcSession session;

    JdbcLists(JdbcSession session) {
        this.session = session;
    }
    private static final Map<Setting, String> COLUMNS = Map.of(
        Setting.DISPLAY_NAME, "display_name",
        Setting.DESCRIPTION, "description",
        Setting.SUBJECT_PREFIX, "subject_prefix",
        Setting.FOOTER, "footer",
        Setting.ARCHIVE_URL, "archive_url");
    private static final String LIST_COLUMNS = "id, address, display_name, description, subject_prefix, footer, archive_url";


    @Override
    public MailingList saveList(MailAddress address, ListChanges changes) {
        String key = Addresses.key(address);
        return session.retryingOnConflict("saving list " + key, c -> {
            if (!updateList(c, key, changes)) {
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO lk_list (address_key, address, display_name,"
                    + " description, subject_prefix, footer, archive_url, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                    insert.setString(1, key);
                    insert.setString(2, address.asString());
                    int index = 3;
                    for (Setting setting : List.of(Setting.DISPLAY_NAME, Setting.DESCRIPTION, Setting.SUBJECT_PREFIX,
                        Setting.FOOTER, Setting.ARCHIVE_URL)) {
                        insert.setString(index++, changes.changes(setting) ? changes.value(setting).orElse(null) : null);
                    }
                    insert.setLong(8, System.currentTimeMillis());
                    insert.executeUpdate();
                }
            }
            saveOtherSettings(c, key, changes);
            return findList(c, key).orElseThrow(() -> new IllegalStateException("List " + key + " vanished while saving it"));
        });
    }

    private static boolean updateList(Connection c, String key, ListChanges changes) throws SQLException {
        StringJoiner assignments = new StringJoiner(", ");
        List<String> values = new ArrayList<>();
        for (Setting setting : Setting.values()) {
            if (changes.changes(setting) && COLUMNS.containsKey(setting)) {
                assignments.add(COLUMNS.get(setting) + " = ?");
                values.add(changes.value(setting).orElse(null));
            }
        }
        String sql = values.isEmpty()
            ? "UPDATE lk_list SET address_key = address_key WHERE address_key = ?"
            : "UPDATE lk_list SET " + assignments + " WHERE address_key = ?";
        try (PreparedStatement update = c.prepareStatement(sql)) {
            int index = 1;
            for (String value : values) {
                update.setString(index++, value);
            }
            update.setString(index, key);
            return update.executeUpdate() > 0;
        }
    }

    /** Settings without a column of their own live in lk_list_setting, one row each; null removes the row. */
    private static void saveOtherSettings(Connection c, String key, ListChanges changes) throws SQLException {
        for (Setting setting : Setting.values()) {
            if (!changes.changes(setting) || COLUMNS.containsKey(setting)) {
                continue;
            }
            Optional<String> value = changes.value(setting);
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM lk_list_setting WHERE name = ? AND list_id ="
                + " (SELECT id FROM lk_list WHERE address_key = ?)")) {
                delete.setString(1, setting.jsonName());
                delete.setString(2, key);
                delete.executeUpdate();
            }
            if (value.isPresent()) {
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO lk_list_setting (list_id, name, setting_value)"
                    + " SELECT id, ?, ? FROM lk_list WHERE address_key = ?")) {
                    insert.setString(1, setting.jsonName());
                    insert.setString(2, value.get());
                    insert.setString(3, key);
                    insert.executeUpdate();
                }
            }
        }
    }

    @Override
    public Optional<MailingList> findList(MailAddress address) {
        return session.inTransaction("reading list " + address.asString(), c -> findList(c, Addresses.key(address)));
    }

    @Override
    public MailingList getList(MailAddress address) {
        return findList(address).orElseThrow(() -> new NoSuchListException(address.asString()));
    }

    private static Optional<MailingList> findList(Connection c, String key) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT " + LIST_COLUMNS + " FROM lk_list WHERE address_key = ?")) {
            select.setString(1, key);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                long id = rs.getLong("id");
                return Optional.of(readList(rs, otherSettings(c, id)));
            }
        }
    }

    private static Map<Setting, String> otherSettings(Connection c, long listId) throws SQLException {
        Map<Setting, String> settings = new java.util.EnumMap<>(Setting.class);
        try (PreparedStatement select = c.prepareStatement("SELECT name, setting_value FROM lk_list_setting WHERE list_id = ?")) {
            select.setLong(1, listId);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    for (Setting setting : Setting.values()) {
                        if (setting.jsonName().equals(rs.getString(1))) {
                            settings.put(setting, rs.getString(2));
                        }
                    }
                }
            }
        }
        return settings;
    }

    private static MailingList readList(ResultSet rs) throws SQLException {
        return readList(rs, Map.of());
    }

    private static MailingList readList(ResultSet rs, Map<Setting, String> settings) throws SQLException {
        return MailingList.of(rs.getLong("id"), address(rs.getString("address")), rs.getString("display_name"),
            rs.getString("description"), rs.getString("subject_prefix"), rs.getString("footer"), rs.getString("archive_url"),
            settings);
    }

    @Override
    public List<ListSummary> lists() {
        return session.inTransaction("listing lists", c -> {
            List<ListSummary> result = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT " + LIST_COLUMNS
                + ", (SELECT COUNT(*) FROM lk_member m WHERE m.list_id = l.id AND m.role <> 'nonmember') AS members"
                + " FROM lk_list l ORDER BY address_key");
                 ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    result.add(ListSummary.of(readList(rs), rs.getInt("members")));
                }
            }
            return result;
        });
    }

    @Override
    public boolean deleteList(MailAddress address) {
        return session.inTransaction("deleting list " + address.asString(), c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM lk_list WHERE address_key = ?")) {
                delete.setString(1, Addresses.key(address));
                return delete.executeUpdate() > 0;
            }
        });
    }

    @Override
    public Set<MailAddress> listAddresses() {
        return session.inTransaction("listing list addresses", c -> {
            Set<MailAddress> result = new LinkedHashSet<>();
            try (PreparedStatement select = c.prepareStatement("SELECT address FROM lk_list ORDER BY address_key");
                 ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    result.add(address(rs.getString(1)));
                }
            }
            return result;
        });
    }
}
