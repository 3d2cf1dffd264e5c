package org.listkeeper.store;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

class H2ListStoreTest implements ListStoreContract {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private JdbcListStore store;

    @BeforeEach
    void setUp() {
        store = JdbcListStore.open(StoreConfiguration.of(
            "jdbc:h2:mem:contract" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1", "sa", "", 8, Duration.ofSeconds(5)));
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
