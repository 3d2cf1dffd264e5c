package org.listkeeper.mailets;

import java.time.Clock;
import java.util.Optional;
import java.util.Set;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.listkeeper.ListkeeperException;
import org.listkeeper.pipeline.PostProgress;
import org.listkeeper.pipeline.Claim;
import org.listkeeper.pipeline.PostLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets each fan-out batch of a post reach the transport once. A fan-out replayed after a crash re-sends the
 * batch that was in flight, which the queue may already hold: the first copy to get here claims the batch
 * in the list store and goes on; another copy is dropped. A redelivery of the claiming queue item itself
 * goes on too, so a claim never strands a batch; and if the store cannot be reached the batch goes on
 * (a possible duplicate rather than a delay or a loss). Mail that is not a list batch passes untouched.
 *
 * <p>No parameters. Put it in the {@code transport} processor before delivery.</p>
 *
 * <pre>{@code
 * <mailet match="All" class="org.listkeeper.mailets.DropRepeatedListBatches"/>
 * }</pre>
 */
public final class DropRepeatedListBatches extends GenericMailet {
    private static final Logger LOGGER = LoggerFactory.getLogger(DropRepeatedListBatches.class);

    private final PostLedger posts;
    private final Clock clock;

    @Inject
    public DropRepeatedListBatches(PostLedger posts, Clock clock) {
        this.posts = posts;
        this.clock = clock;
    }

    @Override
    public void init() throws MessagingException {
        checkInitParameters(Set.of("onMailetException", "onMatchException"));
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        Optional<String> batch = PostProgress.string(mail, PostProgress.BATCH);
        Optional<String> postKey = PostProgress.string(mail, PostProgress.POST_KEY);
        Optional<Long> listId = PostProgress.number(mail, PostProgress.LIST_ID);
        if (batch.isEmpty() || postKey.isEmpty() || listId.isEmpty()) {
            return;
        }
        Claim claim;
        try {
            claim = posts.claimBatch(listId.get(), postKey.get(), batch.get(), holder(mail), clock.instant());
        } catch (ListkeeperException e) {
            LOGGER.warn("Cannot check batch {} of post {} for repeats ({}); delivering it", batch.get(), postKey.get(), e.getMessage());
            return;
        }
        if (claim.isDuplicate()) {
            mail.setState(Mail.GHOST);
            LOGGER.info("Dropped a repeated fan-out batch of post {} to {}: {} already carries it", postKey.get(),
                PostProgress.string(mail, PostProgress.LIST).orElse("?"), claim.duplicateOf().orElse("?"));
        }
    }

    private static String holder(Mail mail) {
        String name = mail.getName();
        return name.length() <= 255 ? name : name.substring(name.length() - 255);
    }

    @Override
    public String getMailetInfo() {
        return "Listkeeper: each fan-out batch reaches the transport once";
    }
}
