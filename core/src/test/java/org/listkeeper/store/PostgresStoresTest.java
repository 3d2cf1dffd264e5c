package org.listkeeper.store;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.listkeeper.store.jdbc.JdbcStores;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Every store aggregate's contract against a real PostgreSQL, started once in-process from a Maven artifact; each test
 * on a database of its own.
 */
class PostgresStoresTest {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres postgres;
    private JdbcStores stores;

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
        stores = JdbcStores.open(StoreConfiguration.of(postgres.getJdbcUrl("postgres", database), "postgres", "postgres",
            8, Duration.ofSeconds(5)));
    }

    @AfterEach
    void tearDown() {
        stores.close();
    }

    /** The base of each nested contract: the stores of this test. */
    abstract class OnPostgres implements StoreContract {
        @Override
        public Stores stores() {
            return stores;
        }
    }

    @Nested
    class Lists extends OnPostgres implements ListsContract {
    }

    @Nested
    class Roster extends OnPostgres implements RosterContract {
    }

    @Nested
    class PostLedger extends OnPostgres implements PostLedgerContract {
    }

    @Nested
    class Requests extends OnPostgres implements RequestsContract {
    }

    @Nested
    class ConfirmationTokens extends OnPostgres implements ConfirmationTokensContract {
    }

    @Nested
    class ModerationRecords extends OnPostgres implements ModerationRecordsContract {
    }

    @Nested
    class HeldPosts extends OnPostgres implements HeldPostsContract {
    }

    @Nested
    class BounceRecords extends OnPostgres implements BounceRecordsContract {
    }

    @Nested
    class UnsubscribeTokens extends OnPostgres implements UnsubscribeTokensContract {
    }

    @Nested
    class SignIns extends OnPostgres implements SignInsContract {
    }

    @Nested
    class AutoReplies extends OnPostgres implements AutoRepliesContract {
    }

    @Nested
    class TemplateStore extends OnPostgres implements TemplateStoreContract {
    }

    @Nested
    class Transactions extends OnPostgres implements TransactionsContract {
    }

    @Nested
    class Archive extends OnPostgres implements ArchiveContract {
    }

    @Nested
    class Digests extends OnPostgres implements DigestStoreContract {
    }

    @Nested
    class MailRepositories extends OnPostgres implements MailRepositoriesContract {
    }

    @Nested
    class Leases extends OnPostgres implements LeasesContract {
    }

    @Nested
    class RetrySchedules extends OnPostgres implements RetryScheduleContract {
    }
}
