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
        int batchSize = post.settings().batchSize();
        int pageSize = Math.max(batchSize, post.settings().pageSize());
        Optional<MemberCursor> cursor = progress.handedOff();
        int recipients = 0;
        int batches = 0;
        while (true) {
            List<Member> page = post.store().deliveryPage(listId, cursor, pageSize);
            for (int from = 0; from < page.size(); from += batchSize) {
                List<Member> batch = page.subList(from, Math.min(page.size(), from + batchSize));
                MemberCursor batchEnd = MemberCursor.after(batch.get(batch.size() - 1));
                post.store().fanoutBatchStarting(listId, postKey, batchEnd, post.now());
                handOff(post, envelopeSender, batch, batchEnd);
                post.store().fanoutBatchHandedOff(listId, postKey, batchEnd, batch.size(), post.now());
                cursor = Optional.of(batchEnd);
                recipients += batch.size();
                batches++;
            }
            if (page.size() < pageSize) {
                break;
            }
        }
        post.store().fanoutCompleted(listId, postKey, post.now());
        post.mail().setRecipients(List.of());
        LOGGER.debug("Fan-out of post {} handed {} recipients to {} in {} batches", postKey, recipients,
            post.settings().transportProcessor(), batches);
        return HandlerResult.proceed();
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
