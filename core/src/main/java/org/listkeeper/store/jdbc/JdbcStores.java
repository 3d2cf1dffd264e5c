package org.listkeeper.store.jdbc;

import java.util.Locale;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.listkeeper.StoreException;
import org.listkeeper.StoreUnavailableException;
import org.listkeeper.Transactions;
import org.listkeeper.archive.Archive;
import org.listkeeper.digest.DigestStore;
import org.listkeeper.bounces.BounceRecords;
import org.listkeeper.internal.Redaction;
import org.listkeeper.list.Lists;
import org.listkeeper.list.Roster;
import org.listkeeper.membership.ConfirmationTokens;
import org.listkeeper.membership.Requests;
import org.listkeeper.moderation.HeldPosts;
import org.listkeeper.moderation.ModerationRecords;
import org.listkeeper.notices.AutoReplies;
import org.listkeeper.notices.TemplateStore;
import org.listkeeper.pipeline.PostLedger;
import org.listkeeper.store.Leases;
import org.listkeeper.store.MailRepositories;
import org.listkeeper.store.RetrySchedule;
import org.listkeeper.store.StoreConfiguration;
import org.listkeeper.store.Stores;
import org.listkeeper.unsubscribe.UnsubscribeTokens;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * The list store on JDBC: one schema and one code path for H2 and PostgreSQL, one {@code Jdbc…} class per aggregate,
 * all on one {@link JdbcSession}. Plain JDBC because the store is a few dozen short statements whose transaction
 * boundaries matter more than mapping; it keeps the extension jar free of a mapper and its parser dependencies.
 */
public final class JdbcStores implements Stores {
    private static final Logger LOGGER = LoggerFactory.getLogger(JdbcStores.class);
    private static final String MIGRATIONS = "classpath:org/listkeeper/store/migration";

    private final JdbcSession session;
    private final Lists lists;
    private final Roster roster;
    private final PostLedger posts;
    private final Requests requests;
    private final ConfirmationTokens tokens;
    private final ModerationRecords moderationRecords;
    private final HeldPosts heldPosts;
    private final BounceRecords bounces;
    private final UnsubscribeTokens unsubscribeTokens;
    private final org.listkeeper.signin.SignIns signIns;
    private final AutoReplies autoReplies;
    private final TemplateStore templates;
    private final Archive archive;
    private final DigestStore digests;
    private final MailRepositories mailRepositories;
    private final Leases leases;
    private final RetrySchedule retrySchedule;

    private JdbcStores(JdbcSession session) {
        this.session = session;
        this.lists = new JdbcLists(session);
        this.roster = new JdbcRoster(session);
        this.posts = new JdbcPostLedger(session);
        this.requests = new JdbcRequests(session);
        this.tokens = new JdbcConfirmationTokens(session);
        this.moderationRecords = new JdbcModerationRecords(session);
        this.heldPosts = new JdbcHeldPosts(session);
        this.bounces = new JdbcBounceRecords(session);
        this.unsubscribeTokens = new JdbcUnsubscribeTokens(session);
        this.signIns = new JdbcSignIns(session);
        this.autoReplies = new JdbcAutoReplies(session);
        this.templates = new JdbcTemplates(session);
        this.archive = new JdbcArchive(session);
        this.digests = new JdbcDigests(session);
        this.mailRepositories = new JdbcMailRepositories(session);
        this.leases = new JdbcLeases(session);
        this.retrySchedule = new JdbcRetrySchedule(session);
    }

    /**
     * Opens a pooled store and brings its schema up to date. Fails with {@link StoreUnavailableException}
     * when the database cannot be reached and {@link StoreException} when the schema cannot be migrated.
     */
    public static JdbcStores open(StoreConfiguration configuration) {
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
                + ": " + JdbcSession.rootMessage(e), e);
        }
        try {
            migrate(dataSource);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        LOGGER.info("List store ready at {}", Redaction.of(configuration.jdbcUrl()));
        return new JdbcStores(new JdbcSession(dataSource, dataSource));
    }

    /** A store on a data source the caller owns (and closes). */
    public static JdbcStores on(DataSource dataSource) {
        migrate(dataSource);
        return new JdbcStores(new JdbcSession(dataSource, () -> { }));
    }

    private static void migrate(DataSource dataSource) {
        try {
            Flyway.configure(JdbcStores.class.getClassLoader())
                .dataSource(dataSource)
                .locations(MIGRATIONS)
                .table("lk_schema_history")
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
        } catch (FlywayException e) {
            if (SqlErrors.isTransient(e)) {
                throw new StoreUnavailableException("Cannot migrate the list store schema: " + JdbcSession.rootMessage(e), e);
            }
            throw new StoreException("Cannot migrate the list store schema: " + JdbcSession.rootMessage(e), e);
        }
    }

    @Override
    public Lists lists() {
        return lists;
    }

    @Override
    public Roster roster() {
        return roster;
    }

    @Override
    public PostLedger posts() {
        return posts;
    }

    @Override
    public Requests requests() {
        return requests;
    }

    @Override
    public ConfirmationTokens tokens() {
        return tokens;
    }

    @Override
    public ModerationRecords moderationRecords() {
        return moderationRecords;
    }

    @Override
    public HeldPosts heldPosts() {
        return heldPosts;
    }

    @Override
    public BounceRecords bounces() {
        return bounces;
    }

    @Override
    public UnsubscribeTokens unsubscribeTokens() {
        return unsubscribeTokens;
    }

    @Override
    public org.listkeeper.signin.SignIns signIns() {
        return signIns;
    }

    @Override
    public AutoReplies autoReplies() {
        return autoReplies;
    }

    @Override
    public TemplateStore templates() {
        return templates;
    }

    @Override
    public Archive archive() {
        return archive;
    }

    @Override
    public DigestStore digests() {
        return digests;
    }

    @Override
    public MailRepositories mailRepositories() {
        return mailRepositories;
    }

    @Override
    public Leases leases() {
        return leases;
    }

    @Override
    public RetrySchedule retrySchedule() {
        return retrySchedule;
    }

    @Override
    public Transactions transactions() {
        return session;
    }

    @Override
    public void close() {
        session.close();
    }
}
