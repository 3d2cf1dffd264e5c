package org.listkeeper.mailets;

import java.time.Duration;

import javax.mail.MessagingException;

import org.apache.mailet.Mail;

/**
 * Brings a post back to a processor after a delay, durably. The queue-delay implementation suits the
 * memory and ActiveMQ queues; a queue that ignores delays (James's RabbitMQ queue) needs one that parks
 * the mail with a due time and re-enqueues it from a scheduled task.
 */
interface RetryScheduler {
    /** Durably schedules {@code mail} to re-enter {@code processor} after {@code delay}. */
    void schedule(Mail mail, String processor, Duration delay) throws MessagingException;
}
