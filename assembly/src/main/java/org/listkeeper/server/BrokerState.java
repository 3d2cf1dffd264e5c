package org.listkeeper.server;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.activemq.transport.TransportListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the external broker is reachable now, as its connections report it: each connection of the factory says
 * when its transport was interrupted and when it resumed. James puts a queue's sends and its readers on one connection,
 * whose transport serves one request at a time: while the broker is away, readers waiting to commit hold it, each for
 * the send timeout, and an SMTP transaction queued behind them would wait a minute or more. Knowing the broker is away,
 * a send fails at once instead, and SMTP answers {@code 451}.
 */
final class BrokerState implements TransportListener {
    private static final Logger LOGGER = LoggerFactory.getLogger(BrokerState.class);

    private final AtomicInteger interrupted = new AtomicInteger();

    @javax.inject.Inject
    BrokerState() {
    }

    /** True unless some connection to the broker is interrupted and has not resumed. */
    boolean reachable() {
        return interrupted.get() == 0;
    }

    @Override
    public void transportInterupted() {
        if (interrupted.getAndIncrement() == 0) {
            LOGGER.warn("The queue broker is unreachable: new mail is refused for now (SMTP 451) until it is back");
        }
    }

    @Override
    public void transportResumed() {
        if (interrupted.updateAndGet(count -> Math.max(0, count - 1)) == 0) {
            LOGGER.info("The queue broker is reachable again");
        }
    }

    @Override
    public void onCommand(Object command) {
    }

    @Override
    public void onException(IOException error) {
        LOGGER.warn("A connection to the queue broker failed: {}", error.getMessage());
    }
}
