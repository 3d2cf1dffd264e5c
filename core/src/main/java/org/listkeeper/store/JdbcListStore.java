package org.listkeeper.store;

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
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.listkeeper.internal.Redaction;
import org.listkeeper.NoSuchListException;
import org.listkeeper.bounces.BounceState;
import org.listkeeper.list.Addresses;
import org.listkeeper.list.Delivery;
import org.listkeeper.list.DigestMode;
import org.listkeeper.list.DisabledBy;
import org.listkeeper.list.ListChanges;
import org.listkeeper.list.ListChanges.Setting;
import org.listkeeper.list.MailingList;
import org.listkeeper.list.Member;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * The list store on JDBC: one schema and one code path for H2 and PostgreSQL. Plain JDBC because the
 * store is a couple of dozen short statements whose transaction boundaries matter more than mapping;
 * it keeps the extension jar free of a mapper and its parser dependencies.
 */
public final class JdbcListStore implements ListStore {
    private static final Logger LOGGER = LoggerFactory.getLogger(JdbcListStore.class);
    private static final String MIGRATIONS = "classpath:org/listkeeper/store/migration";
    private static final Map<Setting, String> COLUMNS = Map.of(
        Setting.DISPLAY_NAME, "display_name",
        Setting.DESCRIPTION, "description",
        Setting.SUBJECT_PREFIX, "subject_prefix",
        Setting.FOOTER, "footer",
        Setting.ARCHIVE_URL, "archive_url");
    private static final String LIST_COLUMNS = "id, address, display_name, description, subject_prefix, footer, archive_url";

    private final DataSource dataSource;
    private final AutoCloseable closeable;
    /** The connection of the {@link #atomically} transaction running on this thread, if any. */
    private final ThreadLocal<Connection> current = new ThreadLocal<>();

    private JdbcListStore(DataSource dataSource, AutoCloseable closeable) {
        this.dataSource = dataSource;
        this.closeable = closeable;
    }

    /**
     * Opens a pooled store and brings its schema up to date. Fails with {@link StoreUnavailableException}
     * when the database cannot be reached and {@link StoreException} when the schema cannot be migrated.
     */
    public static JdbcListStore open(StoreConfiguration configuration) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("listkeeper");
        hikari.setJdbcUrl(configuration.jdbcUrl());
        hikari.setDriverClassName(configuration.dialect().driverClassName());
        configuration.username().ifPresent(hikari::setUsername);
        configuration.password().ifPresent(hikari::setPassword);
        hikari.setMaximumPoolSize(configuration.poolSize());
        hikari.setMinimumIdle(Math.min(2, configuration.poolSize()));
        hikari.setConnectionTimeout(configuration.connectionTimeout().toMillis());
        hikari.setValidationTimeout(Math.max(250, configuration.connectionTimeout().toMillis() / 2));
        hikari.setInitializationFailTimeout(configuration.connectionTimeout().toMillis());
        if (configuration.dialect() == StoreConfiguration.Dialect.H2
            && !configuration.jdbcUrl().toUpperCase(Locale.ROOT).contains("QUERY_CACHE_SIZE")) {
            // H2 keeps each pooled session's query plans for good; a plan made while a table was empty picks the
            // foreign-key index over the primary key and then scans every row of the list on each update
            // (saving a member or recording a fan-out batch grew linearly with the roster and the post count)
            hikari.addDataSourceProperty("QUERY_CACHE_SIZE", "0");
        }
        HikariDataSource dataSource;
        try {
            dataSource = new HikariDataSource(hikari);
        } catch (RuntimeException e) {
            throw new StoreUnavailableException("Cannot connect to the list store at " + Redaction.of(configuration.jdbcUrl())
                + ": " + rootMessage(e), e);
        }
        try {
            migrate(dataSource);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        LOGGER.info("List store ready at {}", Redaction.of(configuration.jdbcUrl()));
        return new JdbcListStore(dataSource, dataSource);
    }

    /** A store on a data source the caller owns (and closes). */
    public static JdbcListStore on(DataSource dataSource) {
        migrate(dataSource);
        return new JdbcListStore(dataSource, () -> { });
    }

    private static void migrate(DataSource dataSource) {
        try {
            Flyway.configure(JdbcListStore.class.getClassLoader())
                .dataSource(dataSource)
                .locations(MIGRATIONS)
                .table("lk_schema_history")
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
        } catch (FlywayException e) {
            if (SqlErrors.isTransient(e)) {
                throw new StoreUnavailableException("Cannot migrate the list store schema: " + rootMessage(e), e);
            }
            throw new StoreException("Cannot migrate the list store schema: " + rootMessage(e), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    // ---- lists

    @Override
    public MailingList saveList(MailAddress address, ListChanges changes) {
        String key = Addresses.key(address);
        return retryingOnConflict("saving list " + key, c -> {
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
        return inTransaction("reading list " + address.asString(), c -> findList(c, Addresses.key(address)));
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
        return inTransaction("listing lists", c -> {
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
        return inTransaction("deleting list " + address.asString(), c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM lk_list WHERE address_key = ?")) {
                delete.setString(1, Addresses.key(address));
                return delete.executeUpdate() > 0;
            }
        });
    }

    @Override
    public Set<MailAddress> listAddresses() {
        return inTransaction("listing list addresses", c -> {
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

    // ---- rosters

    private static final String MEMBER_COLUMNS = "address, display_name, role, delivery, disabled_by, digest, receive_own_posts,"
        + " hide_address, moderation_action";

    @Override
    public void saveMember(MailAddress list, Member member) {
        retryingOnConflict("saving member " + member.address().asString() + " of " + list.asString(), c -> {
            long listId = listId(c, list);
            try (PreparedStatement update = c.prepareStatement("UPDATE lk_member SET address = ?, display_name = ?, role = ?,"
                + " delivery = ?, disabled_by = ?, digest = ?, receive_own_posts = ?, hide_address = ?, moderation_action = ?"
                + " WHERE list_id = ? AND address_key = ?")) {
                int index = bindMemberOptions(update, 1, member);
                update.setLong(index++, listId);
                update.setString(index, Addresses.key(member.address()));
                if (update.executeUpdate() > 0) {
                    return null;
                }
            }
            insertMember(c, listId, member);
            return null;
        });
    }

    @Override
    public boolean addMember(MailAddress list, Member member) {
        String operation = "adding member " + member.address().asString() + " to " + list.asString();
        if (current.get() == null) {
            try {
                return addMemberOnce(operation, list, member);
            } catch (UniqueViolation raced) {
                return false; // a concurrent add of the same address won
            }
        }
        // inside a transaction a unique violation spoils it (PostgreSQL): let atomically() run it again
        return addMemberOnce(operation, list, member);
    }

    private boolean addMemberOnce(String operation, MailAddress list, Member member) {
        return autocommit(operation, c -> {
            long listId = listId(c, list);
            try (PreparedStatement exists = c.prepareStatement("SELECT 1 FROM lk_member WHERE list_id = ? AND address_key = ?")) {
                exists.setLong(1, listId);
                exists.setString(2, Addresses.key(member.address()));
                try (ResultSet rs = exists.executeQuery()) {
                    if (rs.next()) {
                        return false;
                    }
                }
            }
            insertMember(c, listId, member);
            return true;
        });
    }

    private static void insertMember(Connection c, long listId, Member member) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO lk_member (address, display_name, role, delivery, disabled_by,"
            + " digest, receive_own_posts, hide_address, moderation_action, list_id, address_key, domain, created_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int index = bindMemberOptions(insert, 1, member);
            insert.setLong(index++, listId);
            insert.setString(index++, Addresses.key(member.address()));
            insert.setString(index++, Addresses.domainKey(member.address()));
            insert.setLong(index, System.currentTimeMillis());
            insert.executeUpdate();
        }
    }

    private static int bindMemberOptions(PreparedStatement statement, int first, Member member) throws SQLException {
        int index = first;
        statement.setString(index++, member.address().asString());
        statement.setString(index++, member.displayName().orElse(null));
        statement.setString(index++, member.role().value());
        statement.setString(index++, member.delivery().value());
        statement.setString(index++, member.disabledBy().map(DisabledBy::value).orElse(null));
        statement.setString(index++, member.digest().value());
        statement.setBoolean(index++, member.receiveOwnPosts());
        statement.setBoolean(index++, member.hideAddress());
        statement.setString(index++, member.moderationAction().map(ModerationAction::value).orElse(null));
        return index;
    }

    @Override
    public Optional<Member> findMember(MailAddress list, MailAddress address) {
        return inTransaction("reading member " + address.asString(), c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT " + MEMBER_COLUMNS.replaceAll("(\\w+)", "m.$1")
                + " FROM lk_member m JOIN lk_list l ON l.id = m.list_id WHERE l.address_key = ? AND m.address_key = ?")) {
                select.setString(1, Addresses.key(list));
                select.setString(2, Addresses.key(address));
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next() ? Optional.of(readMember(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public boolean removeMember(MailAddress list, MailAddress address) {
        return inTransaction("removing member " + address.asString(), c -> {
            long listId = listId(c, list);
            // a token must not outlive the membership it was issued for: a later re-subscription gets a new one
            execute(c, "DELETE FROM lk_unsubscribe WHERE list_id = ? AND address_key = ?", listId, Addresses.key(address));
            return execute(c, "DELETE FROM lk_member WHERE list_id = ? AND address_key = ?", listId, Addresses.key(address)) > 0;
        });
    }

    @Override
    public List<Member> members(MailAddress list) {
        return members(list, Optional.empty(), 0, Integer.MAX_VALUE);
    }

    @Override
    public List<Member> members(MailAddress list, Optional<Role> role, int offset, int limit) {
        return inTransaction("listing members of " + list.asString(), c -> {
            long listId = listId(c, list);
            List<Member> result = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT " + MEMBER_COLUMNS + " FROM lk_member WHERE list_id = ?"
                + (role.isPresent() ? " AND role = ?" : "") + " ORDER BY address_key OFFSET ? ROWS FETCH FIRST ? ROWS ONLY")) {
                int index = 1;
                select.setLong(index++, listId);
                if (role.isPresent()) {
                    select.setString(index++, role.get().value());
                }
                select.setInt(index++, Math.max(0, offset));
                select.setInt(index, Math.max(0, limit));
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        result.add(readMember(rs));
                    }
                }
            }
            return result;
        });
    }

    @Override
    public int memberCount(MailAddress list) {
        return countMembers(list, " AND role <> 'nonmember'", Optional.empty());
    }

    @Override
    public int memberCount(MailAddress list, Optional<Role> role) {
        return countMembers(list, role.isPresent() ? " AND role = ?" : "", role);
    }

    private int countMembers(MailAddress list, String condition, Optional<Role> role) {
        return inTransaction("counting members of " + list.asString(), c -> {
            long listId = listId(c, list);
            try (PreparedStatement select = c.prepareStatement("SELECT COUNT(*) FROM lk_member WHERE list_id = ?" + condition)) {
                select.setLong(1, listId);
                if (role.isPresent()) {
                    select.setString(2, role.get().value());
                }
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    @Override
    public List<Member> deliveryPage(long listId, Optional<MemberCursor> after, int limit) {
        return deliveryPage(listId, after, limit, Optional.empty());
    }

    @Override
    public List<Member> deliveryPage(long listId, Optional<MemberCursor> after, int limit, Optional<MailAddress> author) {
        return inTransaction("reading members of list " + listId, c -> {
            String sql = "SELECT " + MEMBER_COLUMNS + " FROM lk_member WHERE list_id = ? AND delivery = ? AND role <> 'nonmember'"
                + (after.isPresent() ? " AND (domain > ? OR (domain = ? AND address_key > ?))" : "")
                + (author.isPresent() ? " AND NOT (address_key = ? AND receive_own_posts = FALSE)" : "")
                + " ORDER BY domain, address_key FETCH FIRST ? ROWS ONLY";
            try (PreparedStatement select = c.prepareStatement(sql)) {
                int index = 1;
                select.setLong(index++, listId);
                select.setString(index++, Delivery.ENABLED.value());
                if (after.isPresent()) {
                    select.setString(index++, after.get().domain());
                    select.setString(index++, after.get().domain());
                    select.setString(index++, after.get().addressKey());
                }
                if (author.isPresent()) {
                    select.setString(index++, Addresses.key(author.get()));
                }
                select.setInt(index, limit);
                List<Member> result = new ArrayList<>(Math.min(limit, 1024));
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        result.add(readMember(rs));
                    }
                }
                return result;
            }
        });
    }

    private static Member readMember(ResultSet rs) throws SQLException {
        String disabledBy = rs.getString("disabled_by");
        String moderation = rs.getString("moderation_action");
        return Member.builder(address(rs.getString("address")))
            .displayName(rs.getString("display_name"))
            .role(Role.parse(rs.getString("role")))
            .delivery(Delivery.parse(rs.getString("delivery")))
            .disabledBy(disabledBy == null ? null : DisabledBy.parse(disabledBy))
            .digest(DigestMode.parse(rs.getString("digest")))
            .receiveOwnPosts(rs.getBoolean("receive_own_posts"))
            .hideAddress(rs.getBoolean("hide_address"))
            .moderationAction(moderation == null ? null : ModerationAction.parse(moderation))
            .build();
    }

    private static long listId(Connection c, MailAddress list) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT id FROM lk_list WHERE address_key = ?")) {
            select.setString(1, Addresses.key(list));
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw new NoSuchListException(list.asString());
                }
                return rs.getLong(1);
            }
        }
    }

    // ---- post records

    @Override
    public Claim claimMessageId(long listId, String messageIdKey, String postKey, Instant now, Duration window) {
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                autocommit("claiming a Message-ID", c -> {
                    try (PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO lk_message_id (list_id, message_id_key, post_key, claimed_at) VALUES (?, ?, ?, ?)")) {
                        insert.setLong(1, listId);
                        insert.setString(2, messageIdKey);
                        insert.setString(3, postKey);
                        insert.setLong(4, now.toEpochMilli());
                        insert.executeUpdate();
                    }
                    return null;
                });
                return Claim.claimed();
            } catch (UniqueViolation taken) {
                Optional<Claim> answer = inTransaction("reading a Message-ID claim", c -> {
                    String owner;
                    long claimedAt;
                    try (PreparedStatement select = c.prepareStatement(
                        "SELECT post_key, claimed_at FROM lk_message_id WHERE list_id = ? AND message_id_key = ?")) {
                        select.setLong(1, listId);
                        select.setString(2, messageIdKey);
                        try (ResultSet rs = select.executeQuery()) {
                            if (!rs.next()) {
                                return Optional.<Claim>empty(); // purged meanwhile: insert again
                            }
                            owner = rs.getString(1);
                            claimedAt = rs.getLong(2);
                        }
                    }
                    if (owner.equals(postKey)) {
                        return Optional.of(Claim.claimed());
                    }
                    if (claimedAt >= now.minus(window).toEpochMilli()) {
                        return Optional.of(Claim.duplicateOf(owner));
                    }
                    // the earlier claim is older than the window: take it over, unless someone else just did
                    try (PreparedStatement update = c.prepareStatement("UPDATE lk_message_id SET post_key = ?, claimed_at = ?"
                        + " WHERE list_id = ? AND message_id_key = ? AND post_key = ? AND claimed_at = ?")) {
                        update.setString(1, postKey);
                        update.setLong(2, now.toEpochMilli());
                        update.setLong(3, listId);
                        update.setString(4, messageIdKey);
                        update.setString(5, owner);
                        update.setLong(6, claimedAt);
                        return update.executeUpdate() > 0 ? Optional.of(Claim.claimed()) : Optional.<Claim>empty();
                    }
                });
                if (answer.isPresent()) {
                    return answer.get();
                }
            }
        }
        throw new StoreUnavailableException("Message-ID claim of " + postKey + " kept changing under concurrent updates", null);
    }

    @Override
    public long assignPostNumber(long listId, String postKey, Instant now) {
        ensurePost(listId, postKey, now);
        return inTransaction("assigning a post number", c -> {
            try (PreparedStatement select = c.prepareStatement(
                "SELECT post_number FROM lk_post WHERE list_id = ? AND post_key = ? FOR UPDATE")) {
                select.setLong(1, listId);
                select.setString(2, postKey);
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next()) {
                        throw new StoreException("Post " + postKey + " vanished while numbering it", null);
                    }
                    long existing = rs.getLong(1);
                    if (!rs.wasNull()) {
                        return existing;
                    }
                }
            }
            try (PreparedStatement bump = c.prepareStatement("UPDATE lk_list SET last_post_number = last_post_number + 1 WHERE id = ?")) {
                bump.setLong(1, listId);
                if (bump.executeUpdate() == 0) {
                    throw new NoSuchListException("#" + listId);
                }
            }
            long number;
            try (PreparedStatement select = c.prepareStatement("SELECT last_post_number FROM lk_list WHERE id = ?")) {
                select.setLong(1, listId);
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    number = rs.getLong(1);
                }
            }
            try (PreparedStatement update = c.prepareStatement(
                "UPDATE lk_post SET post_number = ?, updated_at = ? WHERE list_id = ? AND post_key = ?")) {
                update.setLong(1, number);
                update.setLong(2, now.toEpochMilli());
                update.setLong(3, listId);
                update.setString(4, postKey);
                update.executeUpdate();
            }
            return number;
        });
    }

    @Override
    public FanoutProgress fanoutProgress(long listId, String postKey) {
        return inTransaction("reading fan-out progress", c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT fanout_done_domain, fanout_done_address,"
                + " fanout_flight_domain, fanout_flight_address, fanout_completed, fanout_batches, fanout_recipients, fanout_mode"
                + " FROM lk_post WHERE list_id = ? AND post_key = ?")) {
                select.setLong(1, listId);
                select.setString(2, postKey);
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next()) {
                        return FanoutProgress.notStarted();
                    }
                    return FanoutProgress.of(cursor(rs.getString(1), rs.getString(2)), cursor(rs.getString(3), rs.getString(4)),
                        rs.getBoolean(5), rs.getInt(6), rs.getInt(7), rs.getString(8));
                }
            }
        });
    }

    private static MemberCursor cursor(String domain, String address) {
        return domain == null || address == null ? null : MemberCursor.of(domain, address);
    }

    @Override
    public void fanoutBatchStarting(long listId, String postKey, MemberCursor batchEnd, String mode, Instant now) {
        ensurePost(listId, postKey, now);
        updatePost("recording a fan-out batch start", "fanout_flight_domain = ?, fanout_flight_address = ?,"
            + " fanout_mode = COALESCE(fanout_mode, ?)", listId, postKey, now, batchEnd.domain(), batchEnd.addressKey(), mode);
    }

    @Override
    public void fanoutBatchHandedOff(long listId, String postKey, MemberCursor batchEnd, int recipients, Optional<MemberCursor> next,
                                     Instant now) {
        // the post row exists: fanoutBatchStarting created it before the first batch of this run
        updatePost("recording a fan-out batch", "fanout_done_domain = ?, fanout_done_address = ?, fanout_flight_domain = ?,"
                + " fanout_flight_address = ?, fanout_batches = fanout_batches + 1, fanout_recipients = fanout_recipients + "
                + Math.max(0, recipients),
            listId, postKey, now, batchEnd.domain(), batchEnd.addressKey(), next.map(MemberCursor::domain).orElse(null),
            next.map(MemberCursor::addressKey).orElse(null));
    }

    @Override
    public void fanoutCompleted(long listId, String postKey, Instant now) {
        ensurePost(listId, postKey, now);
        updatePost("recording a completed fan-out", "fanout_completed = TRUE, fanout_flight_domain = NULL, fanout_flight_address = NULL",
            listId, postKey, now);
    }

    private void updatePost(String operation, String assignments, long listId, String postKey, Instant now, String... values) {
        // one statement: atomic on its own, without the round trips of an explicit transaction
        autocommit(operation, c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE lk_post SET " + assignments + ", updated_at = ?"
                + " WHERE list_id = ? AND post_key = ?")) {
                int index = 1;
                for (String value : values) {
                    update.setString(index++, value);
                }
                update.setLong(index++, now.toEpochMilli());
                update.setLong(index++, listId);
                update.setString(index, postKey);
                update.executeUpdate();
            }
            return null;
        });
    }

    /** Creates the post row if it is missing; a concurrent creation is as good as our own. */
    private void ensurePost(long listId, String postKey, Instant now) {
        try {
            autocommit("recording a post", c -> {
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO lk_post (list_id, post_key, received_at, updated_at)"
                    + " SELECT ?, ?, ?, ? FROM lk_list WHERE id = ? AND NOT EXISTS"
                    + " (SELECT 1 FROM lk_post WHERE list_id = ? AND post_key = ?)")) {
                    insert.setLong(1, listId);
                    insert.setString(2, postKey);
                    insert.setLong(3, now.toEpochMilli());
                    insert.setLong(4, now.toEpochMilli());
                    insert.setLong(5, listId);
                    insert.setLong(6, listId);
                    insert.setString(7, postKey);
                    insert.executeUpdate();
                }
                return null;
            });
        } catch (UniqueViolation raced) {
            // another thread created the row between our check and our insert
        }
    }

    @Override
    public Claim claimBatch(long listId, String postKey, String batchKey, String holder, Instant now) {
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                autocommit("claiming a fan-out batch", c -> {
                    try (PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO lk_batch_claim (list_id, post_key, batch_key, holder, claimed_at) VALUES (?, ?, ?, ?, ?)")) {
                        insert.setLong(1, listId);
                        insert.setString(2, postKey);
                        insert.setString(3, batchKey);
                        insert.setString(4, holder);
                        insert.setLong(5, now.toEpochMilli());
                        insert.executeUpdate();
                    }
                    return null;
                });
                return Claim.claimed();
            } catch (UniqueViolation taken) {
                Optional<String> owner = inTransaction("reading a fan-out batch claim", c -> {
                    try (PreparedStatement select = c.prepareStatement(
                        "SELECT holder FROM lk_batch_claim WHERE list_id = ? AND post_key = ? AND batch_key = ?")) {
                        select.setLong(1, listId);
                        select.setString(2, postKey);
                        select.setString(3, batchKey);
                        try (ResultSet rs = select.executeQuery()) {
                            return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
                        }
                    }
                });
                if (owner.isPresent()) {
                    return owner.get().equals(holder) ? Claim.claimed() : Claim.duplicateOf(owner.get());
                }
                // purged meanwhile: claim again
            }
        }
        throw new StoreUnavailableException("Batch claim of " + postKey + " kept changing under concurrent updates", null);
    }

    @Override
    public int purgeClaimsBefore(Instant before) {
        return inTransaction("purging old claims", c -> {
            int purged = 0;
            for (String table : List.of("lk_message_id", "lk_batch_claim")) {
                try (PreparedStatement delete = c.prepareStatement("DELETE FROM " + table + " WHERE claimed_at < ?")) {
                    delete.setLong(1, before.toEpochMilli());
                    purged += delete.executeUpdate();
                }
            }
            return purged;
        });
    }

    // ---- pending requests

    private static final String REQUEST_COLUMNS = "id, list_id, action, address, display_name, digest, state, requested_by,"
        + " created_at, expires_at, decided_at, decided_by";

    @Override
    public PendingRequest createRequest(long listId, RequestAction action, Member subject, RequestState state, String requestedBy,
                                        Instant now, Instant expiresAt) {
        return inTransaction("recording a " + action.value() + " request", c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO lk_request (list_id, action, address_key, address,"
                + " display_name, digest, state, requested_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                new String[] {"id"})) {
                bind(insert, listId, action.value(), Addresses.key(subject.address()), subject.address().asString(),
                    text(subject.displayName()), subject.digest().value(), state.value(), requestedBy, now.toEpochMilli(),
                    expiresAt.toEpochMilli());
                insert.executeUpdate();
                try (ResultSet keys = insert.getGeneratedKeys()) {
                    if (!keys.next()) {
                        throw new StoreException("The store assigned no id to a new request", null);
                    }
                    return PendingRequest.of(keys.getLong(1), listId, action, subject.address(), subject.displayName().orElse(null),
                        subject.digest(), state, requestedBy, now, expiresAt, null, null);
                }
            }
        });
    }

    @Override
    public Optional<PendingRequest> findRequest(long listId, long requestId) {
        return inTransaction("reading request #" + requestId, c -> one(c, "SELECT " + REQUEST_COLUMNS
            + " FROM lk_request WHERE list_id = ? AND id = ?", JdbcListStore::readRequest, listId, requestId));
    }

    @Override
    public Optional<PendingRequest> openRequest(long listId, RequestAction action, MailAddress address, Instant now) {
        return inTransaction("reading open requests", c -> one(c, "SELECT " + REQUEST_COLUMNS + " FROM lk_request WHERE list_id = ?"
            + " AND state IN ('confirming', 'approving') AND address_key = ? AND action = ? AND expires_at > ?"
            + " ORDER BY id DESC FETCH FIRST 1 ROWS ONLY", JdbcListStore::readRequest, listId, Addresses.key(address), action.value(),
            now.toEpochMilli()));
    }

    @Override
    public List<PendingRequest> openRequests(long listId, Instant now) {
        return inTransaction("listing open requests", c -> all(c, "SELECT " + REQUEST_COLUMNS + " FROM lk_request WHERE list_id = ?"
            + " AND state IN ('confirming', 'approving') AND expires_at > ? ORDER BY id", JdbcListStore::readRequest, listId,
            now.toEpochMilli()));
    }

    @Override
    public boolean moveRequest(long requestId, RequestState from, RequestState to, String decidedBy, Instant now) {
        return autocommit("deciding request #" + requestId, c -> execute(c, "UPDATE lk_request SET state = ?, decided_at = ?,"
            + " decided_by = ? WHERE id = ? AND state = ?", to.value(), now.toEpochMilli(), decidedBy, requestId, from.value()) > 0);
    }

    @Override
    public int expireRequests(Instant now) {
        return autocommit("expiring requests", c -> execute(c, "UPDATE lk_request SET state = 'expired', decided_at = ?"
            + " WHERE state IN ('confirming', 'approving') AND expires_at <= ?", now.toEpochMilli(), now.toEpochMilli()));
    }

    private static PendingRequest readRequest(ResultSet rs) throws SQLException {
        String digest = rs.getString("digest");
        return PendingRequest.of(rs.getLong("id"), rs.getLong("list_id"), RequestAction.parse(rs.getString("action")),
            address(rs.getString("address")), rs.getString("display_name"), digest == null ? null : DigestMode.parse(digest),
            RequestState.parse(rs.getString("state")), rs.getString("requested_by"), Instant.ofEpochMilli(rs.getLong("created_at")),
            Instant.ofEpochMilli(rs.getLong("expires_at")), instant(rs, "decided_at"), rs.getString("decided_by"));
    }

    // ---- tokens

    @Override
    public void saveToken(String tokenHash, long listId, TokenAction action, String addressKey, Optional<Long> requestId,
                          Optional<Long> heldId, Instant now, Instant expiresAt) {
        autocommit("recording a token", c -> execute(c, "INSERT INTO lk_token (token_hash, list_id, action, address_key, request_id,"
            + " held_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", tokenHash, listId, action.value(), addressKey,
            number(requestId), number(heldId), now.toEpochMilli(), expiresAt.toEpochMilli()));
    }

    @Override
    public Optional<TokenRecord> findToken(String tokenHash) {
        return inTransaction("reading a token", c -> one(c, "SELECT list_id, action, address_key, request_id, held_id, expires_at,"
            + " used_at, used_by FROM lk_token WHERE token_hash = ?", rs -> TokenRecord.of(rs.getLong("list_id"),
                TokenAction.parse(rs.getString("action")), rs.getString("address_key"), longOrNull(rs, "request_id"),
                longOrNull(rs, "held_id"), Instant.ofEpochMilli(rs.getLong("expires_at")), instant(rs, "used_at"),
                rs.getString("used_by")), tokenHash));
    }

    @Override
    public boolean useToken(String tokenHash, String usedBy, Instant now) {
        return autocommit("using a token", c -> execute(c, "UPDATE lk_token SET used_at = ?, used_by = ?"
            + " WHERE token_hash = ? AND (used_at IS NULL OR used_by = ?)", now.toEpochMilli(), usedBy, tokenHash, usedBy) > 0);
    }

    @Override
    public int purgeTokensBefore(Instant before) {
        return autocommit("purging expired tokens", c -> execute(c, "DELETE FROM lk_token WHERE expires_at < ?", before.toEpochMilli()));
    }

    // ---- moderation

    @Override
    public Optional<ModerationRecord> moderation(long listId, String postKey) {
        return inTransaction("reading a moderation decision", c -> one(c, "SELECT action, rule_name, reason, notified"
            + " FROM lk_moderation WHERE list_id = ? AND post_key = ?", rs -> ModerationRecord.of(ModerationAction.parse(rs.getString(1)),
                rs.getString(2), rs.getString(3), rs.getBoolean(4)), listId, postKey));
    }

    @Override
    public ModerationRecord recordModeration(long listId, String postKey, ModerationAction action, String rule, String reason,
                                             Instant now) {
        try {
            autocommit("recording a moderation decision", c -> execute(c, "INSERT INTO lk_moderation (list_id, post_key, action,"
                + " rule_name, reason, decided_at) VALUES (?, ?, ?, ?, ?, ?)", listId, postKey, action.value(), rule,
                reason.length() <= 2000 ? reason : reason.substring(0, 1999) + "…", now.toEpochMilli()));
        } catch (UniqueViolation raced) {
            // another run of the same post decided first: its decision stands
        }
        return moderation(listId, postKey).orElseThrow(() -> new StoreException("The moderation decision of " + postKey
            + " vanished", null));
    }

    @Override
    public boolean markModerationNotified(long listId, String postKey) {
        return autocommit("marking a moderation notice", c -> execute(c, "UPDATE lk_moderation SET notified = TRUE"
            + " WHERE list_id = ? AND post_key = ? AND notified = FALSE", listId, postKey) > 0);
    }

    private static final String HELD_COLUMNS = "id, list_id, post_key, mail_key, sender, subject, reasons, held_at, expires_at,"
        + " state, decided_by, decided_at";

    @Override
    public HeldPost holdPost(long listId, String postKey, String mailKey, String sender, String subject, String reasons, Instant now,
                             Instant expiresAt) {
        try {
            autocommit("holding a post", c -> execute(c, "INSERT INTO lk_held (list_id, post_key, mail_key, sender, subject, reasons,"
                + " held_at, expires_at, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'held')", listId, postKey, mailKey, sender, subject,
                reasons, now.toEpochMilli(), expiresAt.toEpochMilli()));
        } catch (UniqueViolation raced) {
            // the same post was held before (a replay): that record stands
        }
        return inTransaction("reading a held post", c -> one(c, "SELECT " + HELD_COLUMNS + " FROM lk_held WHERE list_id = ?"
            + " AND post_key = ?", JdbcListStore::readHeld, listId, postKey))
            .orElseThrow(() -> new StoreException("The held post " + postKey + " vanished", null));
    }

    @Override
    public Optional<HeldPost> findHeld(long listId, long heldId) {
        return inTransaction("reading a held post", c -> one(c, "SELECT " + HELD_COLUMNS + " FROM lk_held WHERE list_id = ? AND id = ?",
            JdbcListStore::readHeld, listId, heldId));
    }

    @Override
    public List<HeldPost> heldPosts(long listId, Instant since) {
        return inTransaction("listing held posts", c -> all(c, "SELECT " + HELD_COLUMNS + " FROM lk_held WHERE list_id = ?"
            + " AND held_at >= ? ORDER BY held_at, id", JdbcListStore::readHeld, listId, since.toEpochMilli()));
    }

    @Override
    public boolean decideHeld(long heldId, HeldState from, HeldState to, String decidedBy, String note, Instant now) {
        return autocommit("deciding a held post", c -> execute(c, "UPDATE lk_held SET state = ?, decided_by = ?, decided_at = ?,"
            + " decision_note = ? WHERE id = ? AND state = ?", to.value(), decidedBy, now.toEpochMilli(), note, heldId, from.value()) > 0);
    }

    @Override
    public boolean markHeldNotified(long heldId) {
        return autocommit("marking held post notices", c -> execute(c, "UPDATE lk_held SET notified = TRUE WHERE id = ?"
            + " AND notified = FALSE", heldId) > 0);
    }

    @Override
    public boolean claimHeldSummary(long listId, Instant before, Instant now) {
        return autocommit("claiming the held summary", c -> execute(c, "UPDATE lk_list SET held_summary_at = ? WHERE id = ?"
            + " AND (held_summary_at IS NULL OR held_summary_at <= ?)", now.toEpochMilli(), listId, before.toEpochMilli()) > 0);
    }

    private static HeldPost readHeld(ResultSet rs) throws SQLException {
        return HeldPost.of(rs.getLong("id"), rs.getLong("list_id"), rs.getString("post_key"), rs.getString("mail_key"),
            rs.getString("sender"), rs.getString("subject"), rs.getString("reasons"), Instant.ofEpochMilli(rs.getLong("held_at")),
            Instant.ofEpochMilli(rs.getLong("expires_at")), HeldState.parse(rs.getString("state")), rs.getString("decided_by"),
            instant(rs, "decided_at"));
    }

    // ---- bounces

    @Override
    public Optional<BounceState> bounceState(long listId, MailAddress address) {
        return inTransaction("reading a bounce record", c -> one(c, "SELECT bounce_score, last_bounce_at, bounce_warnings,"
            + " last_warning_at FROM lk_member WHERE list_id = ? AND address_key = ?", rs -> BounceState.of(rs.getInt(1),
                instant(rs, "last_bounce_at"), rs.getInt(3), instant(rs, "last_warning_at")), listId, Addresses.key(address)));
    }

    @Override
    public boolean saveBounceState(long listId, MailAddress address, BounceState state) {
        return autocommit("saving a bounce record", c -> execute(c, "UPDATE lk_member SET bounce_score = ?, last_bounce_at = ?,"
            + " bounce_warnings = ?, last_warning_at = ? WHERE list_id = ? AND address_key = ?", state.score(),
            millis(state.lastBounceAt()), state.warnings(), millis(state.lastWarningAt()), listId, Addresses.key(address)) > 0);
    }

    @Override
    public List<Member> disabledByBounce(long listId) {
        return inTransaction("listing members disabled by bounces", c -> all(c, "SELECT " + MEMBER_COLUMNS + " FROM lk_member"
            + " WHERE list_id = ? AND delivery = 'disabled' AND disabled_by = 'bounce' ORDER BY address_key", JdbcListStore::readMember,
            listId));
    }

    @Override
    public int forgetBouncesBefore(long listId, Instant before) {
        return autocommit("forgetting old bounces", c -> execute(c, "UPDATE lk_member SET bounce_score = 0 WHERE list_id = ?"
            + " AND bounce_score > 0 AND delivery = 'enabled' AND last_bounce_at < ?", listId, before.toEpochMilli()));
    }

    @Override
    public String verpToken(long listId, MailAddress address, Instant now) {
        String key = Addresses.key(address);
        Optional<String> existing = inTransaction("reading a VERP token", c -> one(c, "SELECT token FROM lk_verp WHERE list_id = ?"
            + " AND address_key = ?", rs -> rs.getString(1), listId, key));
        if (existing.isPresent()) {
            return existing.get();
        }
        String token = org.listkeeper.membership.Tokens.generate().substring(0, 16).toLowerCase(Locale.ROOT).replace('_', 'x')
            .replace('-', 'y');
        try {
            autocommit("recording a VERP token", c -> execute(c, "INSERT INTO lk_verp (token, list_id, address_key, created_at)"
                + " VALUES (?, ?, ?, ?)", token, listId, key, now.toEpochMilli()));
            return token;
        } catch (UniqueViolation raced) {
            return inTransaction("reading a VERP token", c -> one(c, "SELECT token FROM lk_verp WHERE list_id = ? AND address_key = ?",
                rs -> rs.getString(1), listId, key)).orElseThrow(() -> new StoreException("VERP token of " + key + " vanished", null));
        }
    }

    @Override
    public Optional<String> verpAddress(long listId, String token) {
        return inTransaction("reading a VERP token", c -> one(c, "SELECT address_key FROM lk_verp WHERE list_id = ? AND token = ?",
            rs -> rs.getString(1), listId, token.toLowerCase(Locale.ROOT)));
    }

    // ---- one-click unsubscribe

    /** Address keys per statement: well below every driver's limit on bound parameters. */
    private static final int KEYS_PER_QUERY = 500;

    @Override
    public Map<String, String> unsubscribeTokens(long listId, Collection<MailAddress> members, Instant now) {
        List<String> keys = members.stream().map(Addresses::key).distinct().collect(Collectors.toList());
        if (keys.isEmpty()) {
            return Map.of();
        }
        // a concurrent fan-out to the same member may issue the same member's token first: the retry reads it
        return retryingOnConflict("issuing unsubscribe tokens", c -> {
            Map<String, String> tokens = new HashMap<>();
            readUnsubscribeTokens(c, listId, keys, tokens);
            List<String> missing = keys.stream().filter(key -> !tokens.containsKey(key)).collect(Collectors.toList());
            if (!missing.isEmpty()) {
                // only for addresses still on the roster: a member who left meanwhile gets no token that a later
                // re-subscription would bring back to life
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO lk_unsubscribe (token, list_id, address_key, created_at)"
                    + " SELECT ?, list_id, address_key, ? FROM lk_member WHERE list_id = ? AND address_key = ?")) {
                    for (String key : missing) {
                        bind(insert, org.listkeeper.membership.Tokens.generate(), now.toEpochMilli(), listId, key);
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
                readUnsubscribeTokens(c, listId, missing, tokens);
            }
            return tokens;
        });
    }

    private static void readUnsubscribeTokens(Connection c, long listId, List<String> keys, Map<String, String> tokens) throws SQLException {
        for (int from = 0; from < keys.size(); from += KEYS_PER_QUERY) {
            List<String> chunk = keys.subList(from, Math.min(keys.size(), from + KEYS_PER_QUERY));
            Object[] parameters = new Object[chunk.size() + 1];
            parameters[0] = listId;
            for (int i = 0; i < chunk.size(); i++) {
                parameters[i + 1] = chunk.get(i);
            }
            String placeholders = String.join(", ", Collections.nCopies(chunk.size(), "?"));
            all(c, "SELECT address_key, token FROM lk_unsubscribe WHERE list_id = ? AND address_key IN (" + placeholders + ")",
                rs -> tokens.put(rs.getString(1), rs.getString(2)), parameters);
        }
    }

    @Override
    public Optional<UnsubscribeTarget> unsubscribeTarget(String token) {
        return inTransaction("reading an unsubscribe token", c -> one(c, "SELECT u.list_id, l.address, m.address"
            + " FROM lk_unsubscribe u JOIN lk_list l ON l.id = u.list_id"
            + " JOIN lk_member m ON m.list_id = u.list_id AND m.address_key = u.address_key WHERE u.token = ?",
            rs -> new UnsubscribeTarget(rs.getLong(1), Addresses.parse("list", rs.getString(2)), Addresses.parse("member",
                rs.getString(3))), token));
    }

    @Override
    public boolean revokeUnsubscribeToken(long listId, MailAddress address) {
        return autocommit("revoking an unsubscribe token", c -> execute(c, "DELETE FROM lk_unsubscribe WHERE list_id = ?"
            + " AND address_key = ?", listId, Addresses.key(address)) > 0);
    }

    // ---- automatic replies

    @Override
    public boolean countAutoReply(long listId, MailAddress address, long epochDay, int limit) {
        String key = Addresses.key(address);
        for (int attempt = 0; attempt < 3; attempt++) {
            boolean counted = autocommit("counting an automatic reply", c -> limit > 0
                ? execute(c, "UPDATE lk_auto_reply SET replies = replies + 1 WHERE list_id = ? AND address_key = ? AND epoch_day = ?"
                    + " AND replies < ?", listId, key, epochDay, limit) > 0
                : execute(c, "UPDATE lk_auto_reply SET replies = replies + 1 WHERE list_id = ? AND address_key = ? AND epoch_day = ?",
                    listId, key, epochDay) > 0);
            if (counted) {
                return true;
            }
            try {
                return autocommit("counting an automatic reply", c -> {
                    if (one(c, "SELECT replies FROM lk_auto_reply WHERE list_id = ? AND address_key = ? AND epoch_day = ?",
                        rs -> rs.getInt(1), listId, key, epochDay).isPresent()) {
                        return false; // the day's limit is reached
                    }
                    execute(c, "INSERT INTO lk_auto_reply (list_id, address_key, epoch_day, replies) VALUES (?, ?, ?, 1)", listId, key,
                        epochDay);
                    return true;
                });
            } catch (UniqueViolation raced) {
                // another thread counted the first reply of the day meanwhile: count again
            }
        }
        throw new StoreUnavailableException("Automatic reply count of " + key + " kept changing under concurrent updates", null);
    }

    @Override
    public int purgeAutoRepliesBefore(long epochDay) {
        return autocommit("purging automatic reply counts", c -> execute(c, "DELETE FROM lk_auto_reply WHERE epoch_day < ?", epochDay));
    }

    // ---- templates

    @Override
    public Optional<String> template(long listId, String name) {
        return inTransaction("reading template " + name, c -> one(c, "SELECT body FROM lk_template WHERE list_id = ? AND name = ?",
            rs -> rs.getString(1), listId, name));
    }

    @Override
    public void saveTemplate(long listId, String name, String body) {
        retryingOnConflict("saving template " + name, c -> {
            if (execute(c, "UPDATE lk_template SET body = ? WHERE list_id = ? AND name = ?", body, listId, name) == 0) {
                execute(c, "INSERT INTO lk_template (list_id, name, body) VALUES (?, ?, ?)", listId, name, body);
            }
            return null;
        });
    }

    @Override
    public boolean deleteTemplate(long listId, String name) {
        return autocommit("deleting template " + name, c -> execute(c, "DELETE FROM lk_template WHERE list_id = ? AND name = ?",
            listId, name) > 0);
    }

    // ---- statement helpers: parameters bound by their Java type (Long, Integer, String, Boolean, or a typed null)

    /** A null for a BIGINT parameter (PostgreSQL wants to know the type of a null). */
    private static final Object NULL_NUMBER = new Object();

    private interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            Object value = parameters[i];
            if (value == NULL_NUMBER) {
                statement.setNull(i + 1, java.sql.Types.BIGINT);
            } else if (value == null) {
                statement.setNull(i + 1, java.sql.Types.VARCHAR);
            } else if (value instanceof Long) {
                statement.setLong(i + 1, (Long) value);
            } else if (value instanceof Integer) {
                statement.setInt(i + 1, (Integer) value);
            } else if (value instanceof Boolean) {
                statement.setBoolean(i + 1, (Boolean) value);
            } else {
                statement.setString(i + 1, value.toString());
            }
        }
    }

    private static int execute(Connection c, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            bind(statement, parameters);
            return statement.executeUpdate();
        }
    }

    private static <T> List<T> all(Connection c, String sql, RowReader<T> reader, Object... parameters) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            bind(statement, parameters);
            List<T> result = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    result.add(reader.read(rs));
                }
            }
            return result;
        }
    }

    private static <T> Optional<T> one(Connection c, String sql, RowReader<T> reader, Object... parameters) throws SQLException {
        List<T> rows = all(c, sql, reader, parameters);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    private static Object number(Optional<Long> value) {
        return value.isPresent() ? value.get() : NULL_NUMBER;
    }

    private static Object millis(Optional<Instant> value) {
        return value.isPresent() ? (Object) value.get().toEpochMilli() : NULL_NUMBER;
    }

    private static String text(Optional<String> value) {
        return value.orElse(null);
    }

    private static Long longOrNull(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Long millis = longOrNull(rs, column);
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }

    @Override
    public void close() {
        try {
            closeable.close();
        } catch (Exception e) {
            LOGGER.warn("Closing the list store failed", e);
        }
    }

    // ---- plumbing

    private interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /** A unique constraint said no: the caller decides what that means. */
    private static final class UniqueViolation extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UniqueViolation(SQLException cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    private <T> T inTransaction(String operation, SqlWork<T> work) {
        try {
            return transaction(work);
        } catch (SQLException e) {
            throw failure(operation, e);
        }
    }

    /**
     * A create-or-update: when a concurrent writer creates the same row between our update and our insert,
     * the unique key says so and the whole transaction runs again, this time as an update.
     */
    private <T> T retryingOnConflict(String operation, SqlWork<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return transaction(work);
            } catch (SQLException e) {
                // inside atomically() the whole transaction is retried instead (PostgreSQL has aborted it)
                if (!SqlErrors.isUniqueViolation(e) || attempt >= 3 || current.get() != null) {
                    throw failure(operation, e);
                }
            }
        }
    }

    private <T> T transaction(SqlWork<T> work) throws SQLException {
        Connection outer = current.get();
        if (outer != null) {
            return work.run(outer);
        }
        try (Connection c = connection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c, e);
                throw e;
            } finally {
                restoreAutoCommit(c, autoCommit);
            }
        }
    }

    private <T> T autocommit(String operation, SqlWork<T> work) {
        Connection outer = current.get();
        try {
            if (outer != null) {
                return work.run(outer);
            }
            try (Connection c = connection()) {
                if (!c.getAutoCommit()) {
                    c.setAutoCommit(true);
                }
                return work.run(c);
            }
        } catch (SQLException e) {
            if (SqlErrors.isUniqueViolation(e)) {
                throw new UniqueViolation(e);
            }
            throw failure(operation, e);
        }
    }

    @Override
    public <T> T atomically(Supplier<T> work) {
        if (current.get() != null) {
            return work.get();
        }
        for (int attempt = 1; ; attempt++) {
            try (Connection c = connection()) {
                boolean autoCommit = c.getAutoCommit();
                c.setAutoCommit(false);
                current.set(c);
                try {
                    T result = work.get();
                    c.commit();
                    return result;
                } catch (RuntimeException e) {
                    rollbackQuietly(c, e);
                    if (attempt < 3 && isConflict(e)) {
                        continue;
                    }
                    throw e;
                } finally {
                    current.remove();
                    restoreAutoCommit(c, autoCommit);
                }
            } catch (SQLException e) {
                throw failure("running a store transaction", e);
            }
        }
    }

    /** A unique-key conflict somewhere in the failure: a concurrent writer got there first. */
    private static boolean isConflict(Throwable failure) {
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof UniqueViolation || t instanceof SQLException && SqlErrors.isUniqueViolation((SQLException) t)) {
                return true;
            }
        }
        return false;
    }

    private Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    /**
     * After a connection-level failure every pooled connection is suspect (the database restarted, the
     * network dropped): retire them all so the next attempt opens a fresh one instead of failing again.
     */
    private RuntimeException failure(String operation, SQLException e) {
        if (SqlErrors.isTransient(e) && dataSource instanceof HikariDataSource) {
            HikariDataSource pool = (HikariDataSource) dataSource;
            if (!pool.isClosed() && pool.getHikariPoolMXBean() != null) {
                pool.getHikariPoolMXBean().softEvictConnections();
            }
        }
        return SqlErrors.translate(operation, e);
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static void restoreAutoCommit(Connection c, boolean autoCommit) {
        try {
            c.setAutoCommit(autoCommit);
        } catch (SQLException e) {
            LOGGER.debug("Could not restore auto-commit on a pooled connection", e);
        }
    }

    private static MailAddress address(String value) {
        try {
            return new MailAddress(Objects.requireNonNull(value));
        } catch (AddressException e) {
            throw new StoreException("The store holds an unreadable address: " + value, e);
        }
    }
}
