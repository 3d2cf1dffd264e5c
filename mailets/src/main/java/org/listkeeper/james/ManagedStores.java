package org.listkeeper.james;

import javax.annotation.PreDestroy;
import javax.inject.Inject;
import javax.inject.Singleton;

import org.listkeeper.store.JdbcListStore;
import org.listkeeper.store.ListStore;

/**
 * Owns the list store's connection pool for the life of the James server: built by Guice so that James's
 * shutdown staging sees its {@link PreDestroy} method and closes the pool (and an H2 file database) cleanly.
 */
@Singleton
public class ManagedListStore {
    private final JdbcListStore store;

    @Inject
    ManagedListStore(ListkeeperConfiguration configuration) {
        this.store = JdbcListStore.open(configuration.store());
    }

    public ListStore store() {
        return store;
    }

    @PreDestroy
    public void close() {
        store.close();
    }
}
