package org.listkeeper.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;

import javax.mail.internet.AddressException;
import javax.sql.DataSource;

import org.apache.james.core.MailAddress;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.listkeeper.NoSuchListException;
import org.listkeeper.list.Addresses;
import org.listkeeper.list.Delivery;
import org.listkeeper.list.ListChanges;
import org.listkeeper.list.ListChanges.Setting;
import org.listkeeper.list.MailingList;
import org.listkeeper.list.Member;
import org.listkeeper.list.Role;
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
            throw new StoreUnavailableException("Cannot connect to the list store at " + configuration.jdbcUrl()
                + ": " + rootMessage(e), e);
        }
        try {
            migrate(dataSource);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        LOGGER.info("List store ready at {}", configuration.jdbcUrl());
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
            return findList(c, key).orElseThrow(() -> new IllegalStateException("List " + key + " vanished while saving it"));
        });
    }

    private static boolean updateList(Connection c, String key, ListChanges changes) throws SQLException {
        StringJoiner assignments = new StringJoiner(", ");
        List<String> values = new ArrayList<>();
        for (Setting setting : Setting.values()) {
            if (changes.changes(setting)) {
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
                return rs.next() ? Optional.of(readList(rs)) : Optional.empty();
            }
        }
    }

    private static MailingList readList(ResultSet rs) throws SQLException {
        return MailingList.of(rs.getLong("id"), address(rs.getString("address")), rs.getString("display_name"),
            rs.getString("description"), rs.getString("subject_prefix"), rs.getString("footer"), rs.getString("archive_url"));
    }

    @Override
    public List<ListSummary> lists() {
        return inTransaction("listing lists", c -> {
            List<ListSummary> result = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT " + LIST_COLUMNS
                + ", (SELECT COUNT(*) FROM lk_member m WHERE m.list_id = l.id) AS members FROM lk_list l ORDER BY address_key");
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

    @Override
    public void saveMember(MailAddress list, Member member) {
        retryingOnConflict("saving member " + member.address().asString() + " of " + list.asString(), c -> {
            long listId = listId(c, list);
            try (PreparedStatement update = c.prepareStatement("UPDATE lk_member SET address = ?, display_name = ?, role = ?,"
                + " delivery = ? WHERE list_id = ? AND address_key = ?")) {
                update.setString(1, member.address().asString());
                update.setString(2, member.displayName().orElse(null));
                update.setString(3, member.role().value());
                update.setString(4, member.delivery().value());
                update.setLong(5, listId);
                update.setString(6, Addresses.key(member.address()));
                if (update.executeUpdate() > 0) {
                    return null;
                }
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO lk_member (list_id, address_key, domain, address,"
                + " display_name, role, delivery, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setLong(1, listId);
                insert.setString(2, Addresses.key(member.address()));
                insert.setString(3, Addresses.domainKey(member.address()));
                insert.setString(4, member.address().asString());
                insert.setString(5, member.displayName().orElse(null));
                insert.setString(6, member.role().value());
                insert.setString(7, member.delivery().value());
                insert.setLong(8, System.currentTimeMillis());
                insert.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<Member> findMember(MailAddress list, MailAddress address) {
        return inTransaction("reading member " + address.asString(), c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT m.address, m.display_name, m.role, m.delivery"
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
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM lk_member WHERE list_id = ? AND address_key = ?")) {
                delete.setLong(1, listId);
                delete.setString(2, Addresses.key(address));
                return delete.executeUpdate() > 0;
            }
        });
    }

    @Override
    public List<Member> members(MailAddress list) {
        return inTransaction("listing members of " + list.asString(), c -> {
            long listId = listId(c, list);
            List<Member> result = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT address, display_name, role, delivery FROM lk_member"
                + " WHERE list_id = ? ORDER BY address_key")) {
                select.setLong(1, listId);
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
        return inTransaction("counting members of " + list.asString(), c -> {
            long listId = listId(c, list);
            try (PreparedStatement select = c.prepareStatement("SELECT COUNT(*) FROM lk_member WHERE list_id = ?")) {
                select.setLong(1, listId);
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    @Override
    public List<Member> deliveryPage(long listId, Optional<MemberCursor> after, int limit) {
        return inTransaction("reading members of list " + listId, c -> {
            String sql = "SELECT address, display_name, role, delivery FROM lk_member WHERE list_id = ? AND delivery = ?"
                + (after.isPresent() ? " AND (domain > ? OR (domain = ? AND address_key > ?))" : "")
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
        return Member.of(address(rs.getString("address")), rs.getString("display_name"),
            Role.parse(rs.getString("role")), Delivery.parse(rs.getString("delivery")));
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
                + " fanout_flight_domain, fanout_flight_address, fanout_completed, fanout_batches, fanout_recipients"
                + " FROM lk_post WHERE list_id = ? AND post_key = ?")) {
                select.setLong(1, listId);
                select.setString(2, postKey);
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next()) {
                        return FanoutProgress.notStarted();
                    }
                    return FanoutProgress.of(cursor(rs.getString(1), rs.getString(2)), cursor(rs.getString(3), rs.getString(4)),
                        rs.getBoolean(5), rs.getInt(6), rs.getInt(7));
                }
            }
        });
    }

    private static MemberCursor cursor(String domain, String address) {
        return domain == null || address == null ? null : MemberCursor.of(domain, address);
    }

    @Override
    public void fanoutBatchStarting(long listId, String postKey, MemberCursor batchEnd, Instant now) {
        ensurePost(listId, postKey, now);
        updatePost("recording a fan-out batch start", "fanout_flight_domain = ?, fanout_flight_address = ?",
            listId, postKey, now, batchEnd.domain(), batchEnd.addressKey());
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
                if (!SqlErrors.isUniqueViolation(e) || attempt >= 3) {
                    throw failure(operation, e);
                }
            }
        }
    }

    private <T> T transaction(SqlWork<T> work) throws SQLException {
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
        try (Connection c = connection()) {
            if (!c.getAutoCommit()) {
                c.setAutoCommit(true);
            }
            return work.run(c);
        } catch (SQLException e) {
            if (SqlErrors.isUniqueViolation(e)) {
                throw new UniqueViolation(e);
            }
            throw failure(operation, e);
        }
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
