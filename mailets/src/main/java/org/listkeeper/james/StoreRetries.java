package org.listkeeper.james;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.annotation.PreDestroy;
import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.mailrepository.api.MailKey;
import org.apache.james.mailrepository.api.MailRepositoryUrl;
import org.apache.james.server.core.MailImpl;
import org.apache.mailet.Mail;
import org.apache.mailet.MailetContext;
import org.listkeeper.StoreException;
import org.listkeeper.store.RetrySchedule;
import org.listkeeper.store.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries kept in the list store, for a James whose queue ignores enqueue delays (James's RabbitMQ queue, which its
 * distributed server uses): a post to retry later waits in the store's repository {@value #REPOSITORY} with its due
 * time ({@link RetrySchedule}), and every node looks each second for due posts, claims each, queues it again into its
 * processor and then forgets it. A node that dies between its claim and the forgetting leaves a claim that runs out
 * after {@link #CLAIM}, and another node queues the post (at most once more: the pipeline's records make a second run
 * of a post harmless). One per server, started by the list mailets that use it.
 */
public class StoreRetries {
    public static final String REPOSITORY = "listkeeper://var/mail/listkeeper/retry/";
    private static final Logger LOGGER = LoggerFactory.getLogger(StoreRetries.class);
    static final Duration CLAIM = Duration.ofMinutes(5);
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final int BATCH = 100;
    private static final String RETRY_KEY = "#retry-";

    private final Stores stores;
    private final Clock clock;
    private final StoreMailRepository repository;
    private final String holder = NodeName.holder();
    private ScheduledExecutorService executor;
    private MailetContext context;

    @Inject
    public StoreRetries(Stores stores, Clock clock) {
        this.stores = stores;
        this.clock = clock;
        this.repository = new StoreMailRepository(stores.mailRepositories(), MailRepositoryUrl.from(REPOSITORY));
    }

    /**
     * Durably keeps {@code mail} to re-enter {@code processor} after {@code delay}. Each retry is kept under a key of its
     * own (the mail's name and a random part): the post brought back may fail again and be kept for its next retry
     * before the node that brought it back has forgotten the previous one.
     */
    public void schedule(Mail mail, String processor, Duration delay) throws MessagingException {
        Instant due = clock.instant().plus(delay);
        String key = mail.getName() + RETRY_KEY + UUID.randomUUID();
        MailImpl kept = MailImpl.duplicate(mail);
        kept.setName(key);
        kept.setState(processor);
        try {
            stores.transactions().atomically(() -> {
                try {
                    repository.store(kept);
                } catch (MessagingException e) {
                    throw new StoreException("Cannot keep " + mail.getName() + " for its retry: " + e.getMessage(), e);
                }
                stores.retrySchedule().schedule(key, due);
                return null;
            });
        } catch (StoreException e) {
            throw new MessagingException(e.getMessage(), e);
        } finally {
            LifecycleUtil.dispose(kept);
        }
    }

    /** Starts looking for due posts every second, unless it does already; due posts are queued through {@code context}. */
    public synchronized void start(MailetContext context) {
        if (executor != null) {
            return;
        }
        this.context = context;
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "listkeeper-retries");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::bringBackDue, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Queues every due post again: one round of the poller. */
    void bringBackDue() {
        try {
            List<String> due;
            do {
                Instant now = clock.instant();
                due = stores.retrySchedule().due(now, BATCH);
                for (String key : due) {
                    if (stores.retrySchedule().claim(key, holder, now, CLAIM)) {
                        bringBack(key);
                    }
                }
            } while (due.size() == BATCH);
        } catch (RuntimeException | MessagingException e) {
            LOGGER.warn("Retries kept in the list store: cannot bring due posts back now; trying again shortly: {}", e.getMessage());
        }
    }

    private void bringBack(String key) throws MessagingException {
        Mail mail = repository.retrieve(new MailKey(key));
        if (mail == null) {
            // brought back by a node that died before it forgot the due time
            stores.retrySchedule().forget(key);
            return;
        }
        try {
            // back under its own name: the name the pipeline knows the post by
            mail.setName(key.substring(0, key.lastIndexOf(RETRY_KEY)));
            context.sendMail(mail, mail.getState());
            stores.transactions().atomically(() -> {
                try {
                    repository.remove(new MailKey(key));
                } catch (MessagingException e) {
                    throw new StoreException("Cannot forget " + key + " after its retry: " + e.getMessage(), e);
                }
                stores.retrySchedule().forget(key);
                return null;
            });
            LOGGER.debug("Retry of {} is due: queued again into {}", key, mail.getState());
        } finally {
            LifecycleUtil.dispose(mail);
        }
    }

    @PreDestroy
    public synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }
}
