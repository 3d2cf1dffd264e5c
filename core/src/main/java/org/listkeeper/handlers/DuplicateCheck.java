package org.listkeeper.handlers;

import org.listkeeper.internal.MessageIds;
import org.listkeeper.pipeline.PostLedger;
import java.util.Objects;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.listkeeper.pipeline.Handler;
import org.listkeeper.pipeline.HandlerResult;
import org.listkeeper.pipeline.PostContext;
import org.listkeeper.pipeline.Claim;

/**
 * Discards a post whose Message-ID another post already carried on this list within the duplicate
 * window: a sending MTA re-sends after a lost {@code 250}, and the list must deliver once.
 */
final class DuplicateCheck implements Handler {
    static final String NAME = "duplicate-check";

    private final PostLedger posts;

    DuplicateCheck(PostLedger posts) {
        this.posts = Objects.requireNonNull(posts);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Discards a post whose Message-ID was already posted to the list within the duplicate window";
    }

    @Override
    public HandlerResult handle(PostContext post) throws MessagingException {
        MimeMessage message = post.mail().getMessage();
        String messageId = MessageIds.ensure(message, post.postKey(), post.list().address().getDomain().asString());
        Claim claim = posts.claimMessageId(post.list().id(), MessageIds.key(messageId), post.postKey(),
            post.now(), post.settings().duplicateWindow());
        if (claim.isDuplicate()) {
            return HandlerResult.discard("duplicate of post " + claim.duplicateOf().orElse("?") + " (Message-ID " + messageId + ")");
        }
        return HandlerResult.proceed();
    }
}
