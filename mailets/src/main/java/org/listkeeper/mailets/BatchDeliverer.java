package org.listkeeper.mailets;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import javax.mail.MessagingException;
import javax.mail.internet.AddressException;

import org.apache.james.core.MailAddress;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.server.core.MailImpl;
import org.apache.mailet.Mail;
import org.apache.mailet.MailetContext;
import org.listkeeper.bounces.DeliveryFailures;
import org.listkeeper.delivery.DestinationSlots;
import org.listkeeper.james.DeliveryClaims;
import org.listkeeper.delivery.RecipientOutcome;
import org.listkeeper.delivery.SmtpDelivery;
import org.listkeeper.handlers.PersonalCopies;
import org.listkeeper.internal.Digests;
import org.listkeeper.james.ListBatchTransportQueues;
import org.listkeeper.list.Lists;
import org.listkeeper.list.MailingList;
import org.listkeeper.notices.Dispatch;
import org.listkeeper.notices.Notice;
import org.listkeeper.pipeline.DeliveryRecord;
import org.listkeeper.pipeline.ListBatch;
import org.listkeeper.pipeline.PostLedger;
import org.listkeeper.pipeline.PostProgress;
import org.listkeeper.pipeline.RetryPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one batch taken from list delivery's queue: renders its copies (the post once; per member its envelope,
 * header lines and footer), delivers them over SMTP, and records the outcome in the list store before the queue item
 * is acknowledged. Deferred recipients go back on the queue as the next attempt with backoff; refused ones are
 * counted as bounces of those members. A batch the queue hands over again finds its record and sends nothing twice.
 */
final class BatchDeliverer {
    private static final Logger LOGGER = LoggerFactory.getLogger(BatchDeliverer.class);

    private final PostLedger posts;
    private final Lists lists;
    private final DeliveryFailures failures;
    private final Dispatch dispatch;
    private final ListBatchTransportQueues.StoreHandle blocks;
    private final MailetContext context;
    private final SmtpDelivery smtp;
    private final RetryPolicy retries;
    private final MailQueue queue;
    private final DkimKeys dkim;
    private final DestinationSlots slots;
    private final DeliveryClaims claims;
    private final Clock clock;

    BatchDeliverer(PostLedger posts, Lists lists, DeliveryFailures failures, Dispatch dispatch, ListBatchTransportQueues.StoreHandle blocks,
                   MailetContext context, SmtpDelivery smtp, DestinationSlots slots, DeliveryClaims claims, RetryPolicy retries, MailQueue queue, DkimKeys dkim,
                   Clock clock) {
        this.slots = slots;
        this.claims = claims;
        this.dkim = dkim;
        this.posts = posts;
        this.lists = lists;
        this.failures = failures;
        this.dispatch = dispatch;
        this.blocks = blocks;
        this.context = context;
        this.smtp = smtp;
        this.retries = retries;
        this.queue = queue;
        this.clock = clock;
    }

    /** The store's key of a batch: one per post and batch, whatever the queue item is called. */
    static String item(Mail mail) {
        return Digests.sha256Hex(PostProgress.number(mail, PostProgress.LIST_ID).orElse(0L) + "/"
            + PostProgress.string(mail, PostProgress.POST_KEY).orElse("") + "/" + PostProgress.string(mail, PostProgress.BATCH).orElse(""));
    }

    /** Another node holds the claim of this batch attempt (a second copy of the batch): look again later. */
    static final class DeliveredElsewhere extends MessagingException {
        private static final long serialVersionUID = 1L;

        DeliveredElsewhere(String item, int attempt, String holder) {
            super("attempt " + attempt + " of batch " + item + " is being delivered by " + holder);
        }
    }

    /** Delivers the batch {@code mail} (one attempt); returns once its outcome is recorded and its retry queued. */
    void deliver(Mail mail) throws MessagingException {
        ListBatch.Mode mode = ListBatch.mode(mail).orElseThrow(() -> new MessagingException("Not a list batch: " + mail.getName()));
        long listId = PostProgress.number(mail, PostProgress.LIST_ID).orElseThrow();
        String postKey = PostProgress.string(mail, PostProgress.POST_KEY).orElse("");
        String listAddress = PostProgress.string(mail, PostProgress.LIST).orElse("?");
        String item = item(mail);
        int attempt = ListBatch.attempt(mail);
        Optional<DeliveryRecord> recorded = posts.deliveryRecord(item, attempt);
        if (recorded.isPresent()) {
            LOGGER.info("List delivery: attempt {} of batch {} of post {} to {} was delivered before the queue handed it over again ({});"
                + " nothing sent again", attempt, PostProgress.string(mail, PostProgress.BATCH).orElse("?"), postKey, listAddress, recorded.get());
            if (!recorded.get().deferred().isEmpty() && !recorded.get().nextQueued()) {
                queueRetry(mail, recorded.get().deferred(), item, attempt);
            }
            return;
        }
        Optional<DkimKeys.Key> key = dkim.forDomain(listAddress.substring(listAddress.lastIndexOf('@') + 1));
        List<SmtpDelivery.Copy> copies = copies(mail, mode, postKey, key);
        List<String> delivered = new ArrayList<>();
        List<String> deferred = new ArrayList<>();
        Map<String, String> refused = new HashMap<>();
        Instant now;
        // from the first transaction until the outcome is recorded: what a kill can leave delivered and unrecorded
        try (DestinationSlots.Held held = slots.take(smtp.destinations(copies))) {
            // a second copy of this batch on the queue (queued again after a crash) may have delivered it while this
            // one waited for its destinations: its record is there now
            Optional<DeliveryRecord> meanwhile = posts.deliveryRecord(item, attempt);
            if (meanwhile.isPresent()) {
                LOGGER.info("List delivery: attempt {} of batch {} of post {} to {} was delivered by another copy of it ({}); nothing sent"
                    + " again", attempt, PostProgress.string(mail, PostProgress.BATCH).orElse("?"), postKey, listAddress, meanwhile.get());
                return;
            }
            Optional<String> elsewhere = claims.claim(item, attempt);
            if (elsewhere.isPresent()) {
                throw new DeliveredElsewhere(item, attempt, elsewhere.get());
            }
            Map<String, RecipientOutcome> outcomes = smtp.deliver(copies);
            now = clock.instant();
            boolean lastAttempt = attempt + 1 >= retries.maxAttempts();
            outcomes.forEach((recipient, outcome) -> {
                switch (outcome.kind()) {
                    case DELIVERED:
                        delivered.add(recipient);
                        break;
                    case DEFERRED:
                        if (lastAttempt) {
                            refused.put(recipient, outcome.reply() + " (still deferred after " + (attempt + 1) + " attempts)");
                        } else {
                            deferred.add(recipient);
                        }
                        break;
                    default:
                        refused.put(recipient, outcome.reply());
                }
            });
            if (!posts.recordDelivery(listId, postKey, item, attempt, DeliveryRecord.of(delivered.size(), refused.size(), deferred, false),
                now)) {
                LOGGER.warn("List delivery: attempt {} of batch {} of post {} was recorded meanwhile by another hand-over of it", attempt,
                    item, postKey);
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MessagingException("Interrupted while waiting to deliver a batch of " + postKey, e);
        }
        Duration retryIn = deferred.isEmpty() ? Duration.ZERO : queueRetry(mail, deferred, item, attempt);
        LOGGER.info("List delivery of post {} to {} ({}, attempt {}): {} delivered, {} deferred{}, {} refused", postKey, listAddress,
            mode.value(), attempt, delivered.size(), deferred.size(), deferred.isEmpty() ? "" : " (next attempt in " + retryIn + ")",
            refused.size());
        if (!delivered.isEmpty()) {
            blocks.delivered(listId, addresses(delivered));
        }
        if (!refused.isEmpty()) {
            countRefusals(listAddress, postKey, refused, now);
        }
    }

    private void countRefusals(String listAddress, String postKey, Map<String, String> refused, Instant now) {
        Optional<MailingList> list;
        try {
            list = lists.findList(new MailAddress(listAddress));
        } catch (AddressException e) {
            list = Optional.empty();
        }
        if (list.isEmpty()) {
            LOGGER.info("List delivery: {} refused for post {} of {}, a list that no longer exists; not counted", refused.keySet(), postKey,
                listAddress);
            return;
        }
        List<Notice> notices = new ArrayList<>();
        for (Map.Entry<String, String> entry : refused.entrySet()) {
            try {
                org.listkeeper.bounces.Bounces.Outcome counted = failures.countRefusal(list.get(), postKey, new MailAddress(entry.getKey()), entry.getValue(), now);
                notices.addAll(counted.notices());
                LOGGER.info("List delivery: {} refused post {} of {}: {}{}", entry.getKey(), postKey, listAddress, entry.getValue(),
                    counted.scored() ? " (counted as a bounce)" : "");
            } catch (AddressException e) {
                LOGGER.info("List delivery: unreadable recipient {} refused: {}", entry.getKey(), entry.getValue());
            }
        }
        if (!notices.isEmpty()) {
            try {
                dispatch.notify(context, list.get(), notices, now, "transport");
            } catch (MessagingException | RuntimeException e) {
                LOGGER.warn("List delivery: the bounce notices of {} could not be sent: {}", listAddress, e.getMessage());
            }
        }
    }

    private Duration queueRetry(Mail mail, List<String> deferred, String item, int attempt) throws MessagingException {
        MailImpl retry = MailImpl.duplicate(mail);
        try {
            retry.setRecipients(addresses(deferred));
            ListBatch.setAttempt(retry, attempt + 1);
            Duration delay = retries.delayBefore(attempt + 1);
            queue.enQueue(retry, delay);
            posts.deliveryRetryQueued(item, attempt);
            return delay;
        } finally {
            retry.dispose();
        }
    }

    private static List<MailAddress> addresses(List<String> recipients) {
        List<MailAddress> addresses = new ArrayList<>(recipients.size());
        for (String recipient : recipients) {
            try {
                addresses.add(new MailAddress(recipient));
            } catch (AddressException e) {
                LOGGER.warn("List delivery: dropped the unreadable recipient {}", recipient);
            }
        }
        return addresses;
    }

    private List<SmtpDelivery.Copy> copies(Mail mail, ListBatch.Mode mode, String postKey, Optional<DkimKeys.Key> key)
        throws MessagingException {
        List<String> recipients = new ArrayList<>();
        mail.getRecipients().forEach(recipient -> recipients.add(recipient.asString()));
        String bounces = mail.getMaybeSender().asString("");
        if (mode == ListBatch.Mode.BULK) {
            // signed once for the whole batch
            byte[] message = signed(bytes(mail), key);
            return List.of(SmtpDelivery.Copy.of(bounces, recipients, message, PersonalCopies.hasEightBit(message)));
        }
        Map<String, Integer> index = new HashMap<>();
        List<String> members = ListBatch.strings(mail, ListBatch.MEMBERS);
        for (int i = 0; i < members.size(); i++) {
            index.put(members.get(i).toLowerCase(Locale.ROOT), i);
        }
        List<String> envelopes = ListBatch.strings(mail, ListBatch.ENVELOPES);
        List<SmtpDelivery.Copy> copies = new ArrayList<>(recipients.size());
        if (mode == ListBatch.Mode.VERP) {
            byte[] message = signed(bytes(mail), key);
            boolean eightBit = PersonalCopies.hasEightBit(message);
            for (String recipient : recipients) {
                copies.add(SmtpDelivery.Copy.of(at(envelopes, index, recipient).orElse(bounces), List.of(recipient), message, eightBit));
            }
            return copies;
        }
        List<String> headers = ListBatch.strings(mail, ListBatch.HEADERS);
        List<String> footers = ListBatch.strings(mail, ListBatch.FOOTERS);
        boolean memberHeaders = headers.stream().anyMatch(header -> !header.isEmpty());
        PersonalCopies template;
        try {
            template = PersonalCopies.of(mail.getMessage(), !footers.isEmpty(), memberHeaders, postKey);
        } catch (MessagingException | RuntimeException e) {
            // a post that cannot be made into copies still goes out, as it is, from each member's envelope
            LOGGER.warn("List delivery: the copies of post {} could not be personalized ({}); each member gets the post as it is",
                postKey, e.getMessage());
            return copies(mail, ListBatch.Mode.VERP, postKey, key);
        }
        for (String recipient : recipients) {
            List<String> lines = at(headers, index, recipient).filter(header -> !header.isEmpty()).map(header -> List.of(header)).orElse(List.of());
            String footer = at(footers, index, recipient).orElse("");
            copies.add(new Rendered(at(envelopes, index, recipient).orElse(bounces), recipient, template, lines, footer, key));
        }
        return copies;
    }

    private static byte[] signed(byte[] message, Optional<DkimKeys.Key> key) {
        return key.isPresent() ? key.get().sign(message) : message;
    }

    private static Optional<String> at(List<String> values, Map<String, Integer> index, String recipient) {
        Integer at = index.get(recipient.toLowerCase(Locale.ROOT));
        return at == null || at >= values.size() ? Optional.empty() : Optional.of(values.get(at));
    }

    private static byte[] bytes(Mail mail) throws MessagingException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            mail.getMessage().writeTo(bytes);
        } catch (IOException e) {
            throw new MessagingException("Cannot read the batch's message", e);
        }
        return bytes.toByteArray();
    }

    /** One member's copy, rendered when its transaction is sent (so a batch never holds all its copies at once). */
    private static final class Rendered implements SmtpDelivery.Copy {
        private final String sender;
        private final String recipient;
        private final PersonalCopies template;
        private final List<String> headers;
        private final String footer;
        private final Optional<DkimKeys.Key> key;

        Rendered(String sender, String recipient, PersonalCopies template, List<String> headers, String footer, Optional<DkimKeys.Key> key) {
            this.key = key;
            this.sender = sender;
            this.recipient = recipient;
            this.template = template;
            this.headers = headers;
            this.footer = footer;
        }

        @Override
        public String sender() {
            return sender;
        }

        @Override
        public List<String> recipients() {
            return List.of(recipient);
        }

        @Override
        public byte[] message() {
            return signed(template.render(headers, footer), key);
        }

        @Override
        public boolean eightBit() {
            return template.eightBit();
        }
    }
}
