package org.listkeeper.handlers;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.listkeeper.internal.Digests;
import org.listkeeper.list.Member;
import org.listkeeper.pipeline.Handler;
import org.listkeeper.pipeline.HandlerResult;
import org.listkeeper.pipeline.PostContext;
import org.listkeeper.pipeline.PostProgress;
import org.listkeeper.store.FanoutProgress;
import org.listkeeper.store.MemberCursor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the post to every member whose delivery is enabled: members are read page by page in
 * (domain, address) order, cut into batches of bounded size, and each batch is handed to the transport
 * processor as one mail with the list's bounce address as envelope sender. Each hand-off is recorded in
 * the store before and after, so a replay after success sends nothing and a replay after a crash sends at
 * most the batch that was in flight again.
 */
final class FanOut implements Handler {
    static final String NAME = "fan-out";
    private static final Logger LOGGER = LoggerFactory.getLogger(FanOut.class);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Hands the post to the transport processor in batches of enabled members, recording each batch";
    }

    @Override
    public HandlerResult handle(PostContext post) throws MessagingException {
        long listId = post.list().id();
        String postKey = post.postKey();
        FanoutProgress progress = post.store().fanoutProgress(listId, postKey);
        if (progress.completed()) {
            LOGGER.info("Fan-out of post {} to {} was already completed ({} recipients in {} batches); nothing resent",
                postKey, post.list().address().asString(), progress.recipients(), progress.batches());
            post.mail().setRecipients(List.of());
            return HandlerResult.proceed();
        }
        if (progress.inFlight().isPresent()) {
            LOGGER.warn("Resuming the fan-out of post {} to {}: the batch ending at {} was in flight and is sent again",
                postKey, post.list().address().asString(), progress.inFlight().get());
        }
        MailAddress envelopeSender = post.list().bouncesAddress();
        Batches batches = new Batches(post, listId, progress.handedOff(), author(post));
        int recipients = 0;
        int count = 0;
        Optional<List<Member>> batch = batches.next();
        if (batch.isPresent()) {
            post.store().fanoutBatchStarting(listId, postKey, end(batch.get()), post.now());
        }
        while (batch.isPresent()) {
            MemberCursor batchEnd = end(batch.get());
            // read ahead first, so nothing but the record itself stands between a hand-off and its record
            Optional<List<Member>> next = batches.next();
            handOff(post, envelopeSender, batch.get(), batchEnd);
            // one write per batch: this batch is done and the next one is in flight
            post.store().fanoutBatchHandedOff(listId, postKey, batchEnd, batch.get().size(), next.map(FanOut::end), post.now());
            recipients += batch.get().size();
            count++;
            batch = next;
        }
        post.store().fanoutCompleted(listId, postKey, post.now());
        post.mail().setRecipients(List.of());
        LOGGER.debug("Fan-out of post {} handed {} recipients to {} in {} batches", postKey, recipients,
            post.settings().transportProcessor(), count);
        return HandlerResult.proceed();
    }

    /** The post's author (its From address), whose own copy depends on their receive-own-posts option. */
    private static Optional<MailAddress> author(PostContext post) {
        try {
            javax.mail.Address[] from = post.mail().getMessage().getFrom();
            if (from != null && from.length > 0 && from[0] instanceof javax.mail.internet.InternetAddress) {
                return Optional.of(new MailAddress(((javax.mail.internet.InternetAddress) from[0]).getAddress()));
            }
        } catch (MessagingException | RuntimeException e) {
            LOGGER.debug("Post {} has no readable From: {}", post.postKey(), e.getMessage());
        }
        return Optional.empty();
    }

    private static MemberCursor end(List<Member> batch) {
        return MemberCursor.after(batch.get(batch.size() - 1));
    }

    /** The batches of enabled members after a cursor, read from the store a page at a time. */
    private static final class Batches {
        private final PostContext post;
        private final long listId;
        private final int batchSize;
        private final int pageSize;
        private final Optional<MailAddress> author;
        private Optional<MemberCursor> cursor;
        private List<Member> page = List.of();
        private int position;
        private boolean lastPage;

        Batches(PostContext post, long listId, Optional<MemberCursor> after, Optional<MailAddress> author) {
            this.post = post;
            this.author = author;
            this.listId = listId;
            this.batchSize = post.settings().batchSize();
            // whole batches per page, so a page boundary never cuts a batch short
            int pages = Math.max(batchSize, post.settings().pageSize());
            this.pageSize = (pages + batchSize - 1) / batchSize * batchSize;
            this.cursor = after;
        }

        Optional<List<Member>> next() {
            if (position >= page.size()) {
                if (lastPage) {
                    return Optional.empty();
                }
                page = post.store().deliveryPage(listId, cursor, pageSize, author);
                position = 0;
                lastPage = page.size() < pageSize;
                if (page.isEmpty()) {
                    return Optional.empty();
                }
                cursor = Optional.of(MemberCursor.after(page.get(page.size() - 1)));
            }
            List<Member> batch = page.subList(position, Math.min(page.size(), position + batchSize));
            position += batch.size();
            return Optional.of(batch);
        }
    }

    private static void handOff(PostContext post, MailAddress envelopeSender, List<Member> batch, MemberCursor batchEnd)
        throws MessagingException {
        List<MailAddress> recipients = new ArrayList<>(batch.size());
        for (Member member : batch) {
            recipients.add(member.address());
        }
        // the batch's identity survives a replay of the fan-out, so the transport can drop a second copy
        List<Attribute> identity = List.of(
            new Attribute(PostProgress.LIST, AttributeValue.of(post.list().address().asString())),
            new Attribute(PostProgress.LIST_ID, AttributeValue.of(post.list().id())),
            new Attribute(PostProgress.POST_KEY, AttributeValue.of(post.postKey())),
            new Attribute(PostProgress.BATCH, AttributeValue.of(batchKey(batchEnd))));
        // the host copies the message into a new queue item: the post itself stays as it is
        post.handOff().handOff(post.mailetContext(), post.mail().getMessage(), envelopeSender, recipients, identity,
            post.settings().transportProcessor());
    }

    static String batchKey(MemberCursor batchEnd) {
        return Digests.sha256Hex(batchEnd.domain() + "/" + batchEnd.addressKey());
    }
}
