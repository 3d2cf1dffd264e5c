package org.listkeeper.james;

import javax.inject.Inject;
import javax.inject.Singleton;

/**
 * Whether a {@code ListDelivery} mailet runs in this server: then a fan-out hands a VERP or personalized batch over as
 * one mail, which list delivery renders per member; without one (a James configured before list delivery existed),
 * each member's copy goes over as its own mail, as {@code RemoteDelivery} needs.
 */
@Singleton
public final class ListDeliveries {
    private volatile boolean running;

    @Inject
    public ListDeliveries() {
    }

    public void started() {
        running = true;
    }

    public void stopped() {
        running = false;
    }

    public boolean running() {
        return running;
    }
}
