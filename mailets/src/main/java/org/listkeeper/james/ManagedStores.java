package org.listkeeper.james;

import javax.annotation.PreDestroy;
import javax.inject.Inject;
import javax.inject.Singleton;

import org.listkeeper.store.Stores;
import org.listkeeper.store.jdbc.JdbcStores;

/**
 * Owns the list store's connection pool for the life of the James server: built by Guice so that James's
 * shutdown staging sees its {@link PreDestroy} method and closes the pool (and an H2 file database) cleanly.
 */
@Singleton
public class ManagedStores {
    private final JdbcStores stores;

    @Inject
    ManagedStores(ListkeeperConfiguration configuration) {
        this.stores = JdbcStores.open(configuration.store());
    }

    public Stores stores() {
        return stores;
    }

    @PreDestroy
    public void close() {
        stores.close();
    }
}
