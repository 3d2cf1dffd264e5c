package org.listkeeper.delivery;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the copies of one batch over SMTP and answers each recipient's outcome. Recipients are grouped by
 * destination (the relay, or each domain's mail servers), each destination's transactions go over one connection
 * taken from the pool (a new one when it reaches its maximum of messages), and a transaction carries at most the
 * configured number of recipients. A destination whose connection fails leaves its remaining recipients deferred:
 * none of them is taken as delivered unless the server said so.
 */
public final class SmtpDelivery {
    private static final Logger LOGGER = LoggerFactory.getLogger(SmtpDelivery.class);

    /** One message and who gets it, from which envelope sender. */
    public interface Copy {
        /** The envelope sender, {@code ""} for the null sender. */
        String sender();

        List<String> recipients();

        /** The message's bytes; may be made on demand, asked once per transaction. */
        byte[] message();

        boolean eightBit();

        /** The same {@code message} for every transaction. */
        static Copy of(String sender, List<String> recipients, byte[] message, boolean eightBit) {
            return new Copy() {
                @Override
                public String sender() {
                    return sender;
                }

                @Override
                public List<String> recipients() {
                    return recipients;
                }

                @Override
                public byte[] message() {
                    return message;
                }

                @Override
                public boolean eightBit() {
                    return eightBit;
                }
            };
        }
    }

    private final Route route;
    private final ConnectionPool pool;
    private final SmtpSettings settings;
    private final DeliveryMetrics metrics;

    public SmtpDelivery(Route route, ConnectionPool pool, SmtpSettings settings, DeliveryMetrics metrics) {
        this.route = Objects.requireNonNull(route);
        this.pool = Objects.requireNonNull(pool);
        this.settings = Objects.requireNonNull(settings);
        this.metrics = Objects.requireNonNull(metrics);
    }

    /** One transaction: a copy to some of its recipients at one destination. */
    private static final class Transaction {
        final Copy copy;
        final List<String> recipients;

        Transaction(Copy copy, List<String> recipients) {
            this.copy = copy;
            this.recipients = recipients;
        }
    }

    /** The destinations {@code copies} go to (the relay's one, or their recipients' domains), in name order. */
    public java.util.SortedSet<String> destinations(List<? extends Copy> copies) {
        java.util.SortedSet<String> destinations = new java.util.TreeSet<>();
        for (Copy copy : copies) {
            for (String recipient : copy.recipients()) {
                destinations.add(route.destination(domain(recipient)));
            }
        }
        return destinations;
    }

    /** Delivers {@code copies}; answers every recipient's outcome, in the order of the copies. */
    public Map<String, RecipientOutcome> deliver(List<? extends Copy> copies) {
        Map<String, List<Transaction>> byDestination = new LinkedHashMap<>();
        Map<String, String> domains = new LinkedHashMap<>();
        for (Copy copy : copies) {
            Map<String, List<String>> recipients = new LinkedHashMap<>();
            for (String recipient : copy.recipients()) {
                String domain = domain(recipient);
                String destination = route.destination(domain);
                domains.putIfAbsent(destination, domain);
                recipients.computeIfAbsent(destination, key -> new ArrayList<>()).add(recipient);
            }
            recipients.forEach((destination, list) -> {
                for (int from = 0; from < list.size(); from += settings.maxRecipientsPerTransaction()) {
                    byDestination.computeIfAbsent(destination, key -> new ArrayList<>())
                        .add(new Transaction(copy, list.subList(from, Math.min(list.size(), from + settings.maxRecipientsPerTransaction()))));
                }
            });
        }
        Map<String, RecipientOutcome> outcomes = new LinkedHashMap<>();
        byDestination.forEach((destination, transactions) -> deliver(destination, domains.get(destination), transactions, outcomes));
        return outcomes;
    }

    private void deliver(String destination, String domain, List<Transaction> transactions, Map<String, RecipientOutcome> outcomes) {
        List<Endpoint> endpoints;
        try {
            endpoints = route.endpoints(domain);
        } catch (SmtpException e) {
            LOGGER.info("List delivery to {}: {}; {} transactions wait for the next attempt", destination, e.getMessage(), transactions.size());
            settle(destination, transactions, 0, e.reply(), outcomes);
            return;
        } catch (Route.NoRouteException e) {
            LOGGER.info("List delivery to {}: {}", destination, e.getMessage());
            settle(destination, transactions, 0, SmtpReply.local(550, "5.1.2 " + e.getMessage()), outcomes);
            return;
        }
        ConnectionPool.Lease lease = null;
        boolean unused = false;
        int next = 0;
        try {
            while (next < transactions.size()) {
                if (lease == null) {
                    try {
                        lease = pool.borrow(destination, endpoints);
                        unused = true;
                    } catch (SmtpException e) {
                        LOGGER.info("List delivery to {}: {}; {} transactions wait for the next attempt", destination, e.getMessage(),
                            transactions.size() - next);
                        settle(destination, transactions, next, e.reply(), outcomes);
                        return;
                    }
                }
                Transaction transaction = transactions.get(next);
                try {
                    Map<String, SmtpReply> replies = lease.connection.send(transaction.copy.sender(), transaction.recipients,
                        transaction.copy.message(), transaction.copy.eightBit());
                    metrics.transaction(destination);
                    replies.forEach((recipient, reply) -> record(destination, recipient, RecipientOutcome.of(reply, destination), outcomes));
                    next++;
                    unused = false;
                    if (!lease.connection.reusable()) {
                        pool.release(lease.connection);
                        lease = null;
                    }
                } catch (SmtpException e) {
                    boolean stale = lease.reused && unused;
                    lease = null;
                    if (stale) {
                        // a connection that waited in the pool may have been closed by the server meanwhile: one fresh try
                        unused = false;
                        try {
                            lease = new ConnectionPool.Lease(pool.open(destination, endpoints), false);
                        } catch (SmtpException again) {
                            settle(destination, transactions, next, again.reply(), outcomes);
                            return;
                        }
                        continue;
                    }
                    LOGGER.info("List delivery to {}: {}; {} transactions wait for the next attempt", destination, e.getMessage(),
                        transactions.size() - next);
                    settle(destination, transactions, next, e.reply(), outcomes);
                    return;
                }
            }
        } finally {
            if (lease != null) {
                pool.release(lease.connection);
            }
        }
    }

    /** Gives the transactions from {@code from} on, which were not tried, {@code reply}. */
    private void settle(String destination, List<Transaction> transactions, int from, SmtpReply reply, Map<String, RecipientOutcome> outcomes) {
        RecipientOutcome outcome = RecipientOutcome.of(reply, destination);
        for (Transaction transaction : transactions.subList(from, transactions.size())) {
            for (String recipient : transaction.recipients) {
                record(destination, recipient, outcome, outcomes);
            }
        }
    }

    private void record(String destination, String recipient, RecipientOutcome outcome, Map<String, RecipientOutcome> outcomes) {
        outcomes.put(recipient, outcome);
        metrics.recipients(destination, outcome.kind(), 1);
    }

    private static String domain(String recipient) {
        int at = recipient.lastIndexOf('@');
        return at < 0 ? "" : recipient.substring(at + 1).toLowerCase(Locale.ROOT);
    }
}
