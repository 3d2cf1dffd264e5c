package org.listkeeper.handlers;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import javax.mail.MessagingException;

import org.apache.mailet.AttributeValue;
import org.listkeeper.notices.Dispatch;
import org.listkeeper.notices.Letters;
import org.listkeeper.pipeline.Handler;
import org.listkeeper.pipeline.HandlerResult;
import org.listkeeper.pipeline.PostContext;
import org.listkeeper.pipeline.PostProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the replies and notices an earlier handler wrote into the mail's {@code listkeeper.outbox}, each to its
 * recipient through the transport processor, with the list's bounce address as envelope sender (so a reply to a
 * dead address comes back to the list, never to a person, and never loops).
 */
final class SendReplies implements Handler {
    static final String NAME = "send-replies";
    private static final Logger LOGGER = LoggerFactory.getLogger(SendReplies.class);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Sends the replies and notices waiting in the mail's outbox";
    }

    @Override
    public HandlerResult handle(PostContext post) throws MessagingException {
        List<String> encoded = new ArrayList<>();
        post.mail().getAttribute(PostProgress.OUTBOX).ifPresent(attribute -> {
            Object value = attribute.getValue().value();
            if (value instanceof Collection) {
                for (Object element : (Collection<?>) value) {
                    encoded.add(String.valueOf(element instanceof AttributeValue ? ((AttributeValue<?>) element).value() : element));
                }
            }
        });
        Dispatch.send(post.mailetContext(), post.list(), Letters.decode(encoded), post.settings().transportProcessor());
        post.mail().removeAttribute(PostProgress.OUTBOX);
        post.mail().setRecipients(List.of());
        LOGGER.debug("Sent {} notice(s) for {}", encoded.size(), post.list().address().asString());
        return HandlerResult.proceed();
    }
}
