package org.listkeeper.testing;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.apache.james.core.MailAddress;
import org.listkeeper.StoreException;
import org.listkeeper.bounces.BounceRecords;
import org.listkeeper.bounces.BounceState;
import org.listkeeper.list.Member;

/**
 * A store's bounce records, except that writing one fails as a database would mid-transaction: for the tests that a
 * unit of work across the roster and a bounce record is undone whole.
 */
public final class FailingBounceRecords implements BounceRecords {
    private final BounceRecords store;

    public FailingBounceRecords(BounceRecords store) {
        this.store = store;
    }

    @Override
    public Optional<BounceState> bounceState(long listId, MailAddress address) {
        return store.bounceState(listId, address);
    }

    @Override
    public boolean saveBounceState(long listId, MailAddress address, BounceState state) {
        throw new StoreException("the bounce record could not be written", null);
    }

    @Override
    public List<Member> disabledByBounce(long listId) {
        return store.disabledByBounce(listId);
    }

    @Override
    public int forgetBouncesBefore(long listId, Instant before) {
        return store.forgetBouncesBefore(listId, before);
    }

    @Override
    public String verpToken(long listId, MailAddress address, Instant now) {
        return store.verpToken(listId, address, now);
    }

    @Override
    public Optional<String> verpAddress(long listId, String token) {
        return store.verpAddress(listId, token);
    }
}
