package org.listkeeper.testing;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.listkeeper.store.StoreConfiguration;
import org.listkeeper.store.jdbc.JdbcStores;

/** Real list stores on an in-memory H2 database of their own, so tests in one JVM never see each other's lists. */
public final class InMemoryStores {
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private InMemoryStores() {
    }

    /** A new, empty, migrated store; close it after the test. */
    public static JdbcStores open() {
        return JdbcStores.open(StoreConfiguration.of("jdbc:h2:mem:test" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1",
            "sa", "", 4, Duration.ofSeconds(5)));
    }
}
