package org.listkeeper.mailets;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import javax.mail.MessagingException;

import org.apache.mailet.Mail;
import org.apache.mailet.MailetContext;

/** Re-enqueues into the spool with the queue's own delivery delay. */
final class QueueDelayRetryScheduler implements RetryScheduler {
    private final MailetContext context;

    QueueDelayRetryScheduler(MailetContext context) {
        this.context = context;
    }

    @Override
    public void schedule(Mail mail, String processor, Duration delay) throws MessagingException {
        context.sendMail(mail, processor, delay.toMillis(), TimeUnit.MILLISECONDS);
    }
}
