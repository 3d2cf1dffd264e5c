package org.listkeeper.store;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/** The store contract against a real PostgreSQL, started in-process from a Maven artifact. */
class PostgresListStoreTest implements ListStoreContract {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres postgres;
    private JdbcListStore store;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        String database = "contract" + DATABASES.incrementAndGet();
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        }
        store = JdbcListStore.open(StoreConfiguration.of(postgres.getJdbcUrl("postgres", database), "postgres", "postgres",
            8, Duration.ofSeconds(5)));
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    @Override
    public ListStore store() {
        return store;
    }
}
