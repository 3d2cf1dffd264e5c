package org.listkeeper.james;

import java.io.File;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.listkeeper.bounces.Bounces;
import org.listkeeper.digest.DigestDispatch;
import org.listkeeper.digest.DigestIssue;
import org.listkeeper.digest.Digester;
import org.listkeeper.moderation.Moderation;
import org.listkeeper.notices.Dispatch;
import org.listkeeper.notices.Templates;
import org.listkeeper.store.Stores;
import org.listkeeper.testing.MemoryHoldQueue;
import org.listkeeper.testing.MutableClock;

/**
 * The server-wide components {@link ListkeeperModule} binds, made by hand over the given stores as the module makes
 * them, with the hold queue in memory and the parking and held repositories on James's {@code memory://} protocol.
 */
public final class ServerComponents {
    public static final String PARKING_REPOSITORY = "memory://var/mail/listkeeper/parked/";
    public static final String HELD_REPOSITORY = "memory://var/mail/listkeeper/held/";

    public final Stores stores;
    public final MutableClock clock;
    public final MemoryHoldQueue holdQueue = new MemoryHoldQueue();
    public final ListkeeperConfiguration configuration;
    public final Moderation moderation;
    public final Dispatch dispatch;
    public final Housekeeping housekeeping;
    /** The digest issues handed to delivery, in order: no mailet context here to hand them to. */
    public final List<DigestIssue> dispatched = new CopyOnWriteArrayList<>();
    public final DigestDispatch digestDispatch = (list, issue) -> dispatched.add(issue);

    /** {@code dataDirectory} is where the default H2 store would live; nothing is written there. */
    public ServerComponents(Stores stores, MutableClock clock, File dataDirectory) {
        this.stores = stores;
        this.clock = clock;
        configuration = ListkeeperConfiguration.from(Map.of(ListkeeperConfiguration.PARKING_REPOSITORY, PARKING_REPOSITORY,
            ListkeeperConfiguration.HELD_REPOSITORY, HELD_REPOSITORY), dataDirectory);
        moderation = new Moderation(stores.heldPosts(), stores.roster(), stores.tokens(), holdQueue, clock);
        dispatch = new Dispatch(stores.autoReplies(), new Templates(stores.templates()));
        housekeeping = housekeeping("this-node");
    }

    /** A housekeeping of another node on the same store, named {@code holder} in its leases. */
    Housekeeping housekeeping(String holder) {
        return new Housekeeping(stores, moderation, new Bounces(stores.roster(), stores.bounces(), stores.transactions(), clock),
            dispatch, holdQueue, new Digester(stores.digests(), digestDispatch, clock), configuration, clock, holder);
    }
}
