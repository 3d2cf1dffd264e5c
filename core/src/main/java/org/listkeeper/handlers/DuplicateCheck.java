package org.listkeeper.handlers;

import org.listkeeper.internal.MessageIds;
import org.listkeeper.list.ListRecipient;
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
 * window: a sending MTA re-sends after a lost {@code 250}, and the list must deliver once. In front of the
 * command and bounce pipelines it does the same for mail to {@code team-request@}, {@code team-join@},
 * {@code team-confirm+TOKEN@}, {@code team-bounces@}…, keyed by that address: a command acted on once, a bounce
 * counted once, and no second answer ("already used") to a copy the member never sent twice.
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
        ListRecipient recipient = post.recipient();
        // a post, and mail to each command or bounce address, are apart: one message sent to the list and to
        // team-request@ is a post and a command
        String key = recipient.kind() == ListRecipient.Kind.POST ? MessageIds.key(messageId)
            : MessageIds.key(recipient.kind().value() + recipient.detail().map(detail -> "+" + detail).orElse("") + " " + messageId);
        Claim claim = posts.claimMessageId(post.list().id(), key, post.postKey(), post.now(), post.settings().duplicateWindow());
        if (claim.isDuplicate()) {
            String what = recipient.kind() == ListRecipient.Kind.POST ? "post" : "mail to " + recipient.redacted();
            return HandlerResult.discard("duplicate of " + what + " " + claim.duplicateOf().orElse("?") + " (Message-ID " + messageId + ")");
        }
        return HandlerResult.proceed();
    }
}
