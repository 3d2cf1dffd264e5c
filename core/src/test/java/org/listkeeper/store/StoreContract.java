package org.listkeeper.store;

import java.time.Instant;

import org.apache.james.core.MailAddress;

/**
 * What every aggregate contract shares: the stores under test (empty at the start of each test) and a few helpers.
 * A backend test implements {@link #stores()} once and runs each aggregate's contract as a nested class.
 */
public interface StoreContract {
    Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

    /** The stores under test, empty. */
    Stores stores();

    static MailAddress address(String value) throws Exception {
        return new MailAddress(value);
    }

    /** The id of the list at {@code list}, which must exist. */
    default long id(MailAddress list) {
        return stores().lists().getList(list).id();
    }
}
