package org.listkeeper.bench;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.listkeeper.testing.smtp.SmtpSink;

/**
 * What the relay sink received, per Message-ID: how often each recipient was accepted and when the first and
 * last copies arrived ({@link System#nanoTime()}, read once per SMTP transaction as its final dot arrives).
 */
final class Arrivals implements SmtpSink.Listener {
    /** What arrived for one Message-ID. */
    static final class Post {
        final Map<String, AtomicInteger> recipients = new ConcurrentHashMap<>();
        final AtomicLong first = new AtomicLong(Long.MAX_VALUE);
        final AtomicLong last = new AtomicLong(Long.MIN_VALUE);
    }

    private final Map<String, Post> posts = new ConcurrentHashMap<>();

    Post of(String messageId) {
        return posts.computeIfAbsent(messageId, id -> new Post());
    }

    @Override
    public void accepted(String messageId, List<String> recipients) {
        long now = System.nanoTime();
        Post post = of(messageId);
        for (String recipient : recipients) {
            post.recipients.computeIfAbsent(recipient, r -> new AtomicInteger()).incrementAndGet();
        }
        post.first.accumulateAndGet(now, Math::min);
        post.last.accumulateAndGet(now, Math::max);
    }
}
