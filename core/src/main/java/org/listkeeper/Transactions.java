package org.listkeeper;

import java.util.function.Supplier;

/** Units of work that span several store aggregates (roster and bounce record, say): all or nothing. */
public interface Transactions {
    /**
     * Runs {@code work}, and every store call it makes on this thread, as one transaction: all or nothing. A
     * unique-key conflict with a concurrent writer runs it again. Nested calls join the outer transaction.
     */
    <T> T atomically(Supplier<T> work);
}
