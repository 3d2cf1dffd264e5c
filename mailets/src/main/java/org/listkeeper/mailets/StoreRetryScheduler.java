package org.listkeeper.mailets;

import java.time.Duration;

import javax.mail.MessagingException;

import org.apache.mailet.Mail;
import org.listkeeper.james.StoreRetries;

/** Keeps the post in the list store until it is due ({@link StoreRetries}): for queues that ignore enqueue delays. */
final class StoreRetryScheduler implements RetryScheduler {
    private final StoreRetries retries;

    StoreRetryScheduler(StoreRetries retries) {
        this.retries = retries;
    }

    @Override
    public void schedule(Mail mail, String processor, Duration delay) throws MessagingException {
        retries.schedule(mail, processor, delay);
    }
}
