package org.listkeeper.store;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.listkeeper.store.jdbc.JdbcStores;

/** Every store aggregate's contract on H2, each test on a fresh in-memory database. */
class H2StoresTest {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private JdbcStores stores;

    @BeforeEach
    void setUp() {
        stores = JdbcStores.open(StoreConfiguration.of(
            "jdbc:h2:mem:contract" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1", "sa", "", 8, Duration.ofSeconds(5)));
    }

    @AfterEach
    void tearDown() {
        stores.close();
    }

    /** The base of each nested contract: the stores of this test. */
    abstract class OnH2 implements StoreContract {
        @Override
        public Stores stores() {
            return stores;
        }
    }

    @Nested
    class Lists extends OnH2 implements ListsContract {
    }

    @Nested
    class Roster extends OnH2 implements RosterContract {
    }

    @Nested
    class PostLedger extends OnH2 implements PostLedgerContract {
    }

    @Nested
    class Requests extends OnH2 implements RequestsContract {
    }

    @Nested
    class ConfirmationTokens extends OnH2 implements ConfirmationTokensContract {
    }

    @Nested
    class ModerationRecords extends OnH2 implements ModerationRecordsContract {
    }

    @Nested
    class HeldPosts extends OnH2 implements HeldPostsContract {
    }

    @Nested
    class BounceRecords extends OnH2 implements BounceRecordsContract {
    }

    @Nested
    class UnsubscribeTokens extends OnH2 implements UnsubscribeTokensContract {
    }

    @Nested
    class SignIns extends OnH2 implements SignInsContract {
    }

    @Nested
    class AutoReplies extends OnH2 implements AutoRepliesContract {
    }

    @Nested
    class TemplateStore extends OnH2 implements TemplateStoreContract {
    }

    @Nested
    class Transactions extends OnH2 implements TransactionsContract {
    }

    @Nested
    class Archive extends OnH2 implements ArchiveContract {
    }

    @Nested
    class Digests extends OnH2 implements DigestStoreContract {
    }

    @Nested
    class MailRepositories extends OnH2 implements MailRepositoriesContract {
    }

    @Nested
    class Leases extends OnH2 implements LeasesContract {
    }

    @Nested
    class RetrySchedules extends OnH2 implements RetryScheduleContract {
    }
}
