package org.listkeeper.testing;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.apache.james.core.MailAddress;
import org.listkeeper.StoreException;
import org.listkeeper.bounces.BlockEvent;
import org.listkeeper.bounces.BounceDetail;
import org.listkeeper.bounces.BounceLogEntry;
import org.listkeeper.bounces.BounceRecords;
import org.listkeeper.bounces.BounceSummary;
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

    @Override
    public Optional<BounceDetail> bounceDetail(long listId, MailAddress address) {
        return store.bounceDetail(listId, address);
    }

    @Override
    public boolean saveBounceDetail(long listId, MailAddress address, BounceDetail detail) {
        return store.saveBounceDetail(listId, address, detail);
    }

    @Override
    public boolean logBounce(long listId, String mailKey, BounceLogEntry entry) {
        return store.logBounce(listId, mailKey, entry);
    }

    @Override
    public int policyRefusals(long listId, String domain, Instant since) {
        return store.policyRefusals(listId, domain, since);
    }

    @Override
    public List<BounceSummary> bounceSummary(long listId, Instant since) {
        return store.bounceSummary(listId, since);
    }

    @Override
    public int forgetBounceLogBefore(long listId, Instant before) {
        return store.forgetBounceLogBefore(listId, before);
    }

    @Override
    public Optional<BlockEvent> openBlock(long listId, String domain, Instant since, Instant now, String reply) {
        return store.openBlock(listId, domain, since, now, reply);
    }

    @Override
    public List<BlockEvent> blocks(long listId, boolean openOnly, int limit) {
        return store.blocks(listId, openOnly, limit);
    }

    @Override
    public List<BlockEvent> openBlocks() {
        return store.openBlocks();
    }

    @Override
    public int closeBlocks(long listId, Collection<String> domains, Instant at, String by) {
        return store.closeBlocks(listId, domains, at, by);
    }

    @Override
    public boolean closeBlock(long listId, long id, Instant at, String by) {
        return store.closeBlock(listId, id, at, by);
    }
}
