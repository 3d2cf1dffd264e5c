package org.listkeeper.james;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.annotation.PreDestroy;
import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.mailet.Mail;
import org.apache.mailet.MailetContext;
import org.listkeeper.bounces.Bounces;
import org.listkeeper.digest.Digester;
import org.listkeeper.list.ListSummary;
import org.listkeeper.list.MailingList;
import org.listkeeper.moderation.HoldQueue;
import org.listkeeper.moderation.Moderation;
import org.listkeeper.notices.Dispatch;
import org.listkeeper.notices.Letters;
import org.listkeeper.notices.Notice;
import org.listkeeper.store.Leases;
import org.listkeeper.store.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The work no post triggers, once per server however many list mailets it runs: hourly, it forgets Message-ID and batch
 * claims older than the longest duplicate window, marks expired requests, drops tokens a month after they expired and
 * automatic-reply counts of past days; every {@code housekeeping.interval}, it finishes moderators' decisions a crash
 * interrupted, sends daily summaries of held posts, expires held posts, looks after members disabled by bounces, closes
 * digest issues whose {@code digestInterval} has passed and hands over those a crash left closed; hourly too, it forgets
 * the posts of digests sent a week ago.
 * Started by the first list mailet that serves posts, with that mailet's context to send notices through.
 *
 * <p>Several nodes of a cluster each run it, and one at a time does each round: the round's lease in the list store
 * ({@link Leases}) goes to one node, which renews it at each round; when that node dies or stops, another takes the
 * lease once it expired (three rounds) or at once when the node stopped cleanly and gave it up.</p>
 */
public class Housekeeping {
    private static final Logger LOGGER = LoggerFactory.getLogger(Housekeeping.class);
    static final String STORE_LEASE = "housekeeping-store";
    static final String LIST_LEASE = "housekeeping-lists";
    private static final Duration STORE_ROUND = Duration.ofMinutes(60);

    private final Stores stores;
    private final Moderation moderation;
    private final Bounces bounces;
    private final Dispatch dispatch;
    private final HoldQueue holdQueue;
    private final Digester digester;
    private final ListkeeperConfiguration configuration;
    private final Clock clock;
    private final String holder;
    private final java.util.Set<String> held = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService executor;
    private volatile Duration duplicateWindow = Duration.ZERO;
    private MailetContext context;
    private String transportProcessor;

    @Inject
    public Housekeeping(Stores stores, Moderation moderation, Bounces bounces, Dispatch dispatch, HoldQueue holdQueue,
                        Digester digester, ListkeeperConfiguration configuration, Clock clock) {
        this(stores, moderation, bounces, dispatch, holdQueue, digester, configuration, clock, NodeName.holder());
    }

    /** {@code holder} names this JVM in the leases: unique among the nodes of a cluster. */
    Housekeeping(Stores stores, Moderation moderation, Bounces bounces, Dispatch dispatch, HoldQueue holdQueue, Digester digester,
                 ListkeeperConfiguration configuration, Clock clock, String holder) {
        this.holder = holder;
        this.digester = digester;
        this.stores = stores;
        this.moderation = moderation;
        this.bounces = bounces;
        this.dispatch = dispatch;
        this.holdQueue = holdQueue;
        this.configuration = configuration;
        this.clock = clock;
    }

    /**
     * Starts the housekeeping unless it runs already; a later call only widens the claim window to
     * {@code duplicateWindow} (each posting mailet has its own).
     */
    public synchronized void start(MailetContext context, String transportProcessor, Duration duplicateWindow) {
        if (duplicateWindow.compareTo(this.duplicateWindow) > 0) {
            this.duplicateWindow = duplicateWindow;
        }
        if (executor != null) {
            return;
        }
        this.context = context;
        this.transportProcessor = transportProcessor;
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "listkeeper-housekeeping");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::storeHousekeeping, 1, STORE_ROUND.toMinutes(), TimeUnit.MINUTES);
        // held posts: decisions a crash interrupted are finished soon after a start; expiries, summaries and bounce
        // probes every housekeeping.interval
        long interval = configuration.housekeepingInterval().toMillis();
        executor.scheduleWithFixedDelay(this::listHousekeeping, Math.min(5_000, interval), interval, TimeUnit.MILLISECONDS);
    }

    void storeHousekeeping() {
        try {
            if (!lease(STORE_LEASE, STORE_ROUND.multipliedBy(3))) {
                return;
            }
            Instant now = clock.instant();
            Duration window = duplicateWindow;
            int purged = stores.posts().purgeClaimsBefore(now.minus(window));
            int expired = stores.requests().expireRequests(now);
            int tokens = stores.tokens().purgeTokensBefore(now.minus(Duration.ofDays(30)));
            stores.autoReplies().purgeAutoRepliesBefore(now.atZone(ZoneOffset.UTC).toLocalDate().toEpochDay() - 1);
            stores.digests().purgeSentBefore(now.minus(Duration.ofDays(7)));
            new org.listkeeper.signin.SignIn(stores.signIns(), clock).purge();
            if (purged + expired + tokens > 0) {
                LOGGER.info("Housekeeping: forgot {} claims older than {}, {} requests expired, {} old tokens dropped", purged, window,
                    expired, tokens);
            }
        } catch (RuntimeException e) {
            LOGGER.warn("Housekeeping of the list store failed; will try again: {}", e.getMessage());
        }
    }

    void listHousekeeping() {
        try {
            if (!lease(LIST_LEASE, configuration.housekeepingInterval().multipliedBy(3))) {
                return;
            }
            for (ListSummary summary : stores.lists().lists()) {
                MailingList list = stores.lists().findList(summary.list().address()).orElse(null);
                if (list == null) {
                    continue;
                }
                List<Notice> notices = new ArrayList<>(moderation.recover(list));
                notices.addAll(moderation.summary(list));
                notices.addAll(bounces.housekeeping(list));
                send(list, notices);
                digests(list);
            }
        } catch (MessagingException | RuntimeException e) {
            LOGGER.warn("Housekeeping of held posts and bounces failed; will try again: {}", e.getMessage());
        }
    }

    /** Takes or renews the round's lease; false while another node holds it. Says when this node takes a round over. */
    private boolean lease(String name, Duration ttl) {
        boolean holds = stores.leases().acquire(name, holder, clock.instant(), ttl);
        if (holds && held.add(name)) {
            LOGGER.info("Housekeeping: {} does the {} round now (lease for {})", holder, name, ttl);
        } else if (!holds && held.remove(name)) {
            LOGGER.info("Housekeeping: another node does the {} round now", name);
        }
        return holds;
    }

    private void digests(MailingList list) {
        try {
            digester.housekeeping(list);
        } catch (MessagingException | RuntimeException e) {
            LOGGER.warn("Digest housekeeping of {} failed; will try again: {}", list.address().asString(), e.getMessage());
        }
    }

    private void send(MailingList list, List<Notice> notices) throws MessagingException {
        if (notices.isEmpty()) {
            return;
        }
        List<Letters.Letter> letters = dispatch.write(list, notices, Optional.empty(), Optional.empty(), clock.instant(), key -> {
            Optional<Mail> held = holdQueue.get(key);
            return held.isPresent() ? Optional.of(held.get().getMessage()) : Optional.empty();
        });
        Dispatch.send(context, list, letters, transportProcessor);
    }

    @PreDestroy
    public synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
        // another node need not wait for the leases to expire
        for (String name : List.copyOf(held)) {
            try {
                stores.leases().release(name, holder);
                held.remove(name);
            } catch (RuntimeException e) {
                LOGGER.warn("Housekeeping: could not give up lease {}; it expires by itself: {}", name, e.getMessage());
            }
        }
    }
}
