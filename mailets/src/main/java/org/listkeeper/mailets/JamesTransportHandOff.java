package org.listkeeper.mailets;

import java.util.Collection;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.listkeeper.james.ListDeliveries;
import org.apache.james.core.MailAddress;
import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.server.core.MailImpl;
import org.apache.mailet.Attribute;
import org.apache.mailet.MailetContext;
import org.listkeeper.TransientFailureException;
import org.listkeeper.pipeline.TransportHandOff;

/** Fan-out batches as James mails: own envelope, a copy of the message, the batch's identity as attributes. */
final class JamesTransportHandOff implements TransportHandOff {
    private final ListDeliveries deliveries;

    JamesTransportHandOff(ListDeliveries deliveries) {
        this.deliveries = deliveries;
    }

    @Override
    public boolean takesBatches() {
        return deliveries.running();
    }

    @Override
    public void handOff(MailetContext context, MimeMessage message, MailAddress sender, Collection<MailAddress> recipients,
                        Collection<Attribute> attributes, String processor) throws MessagingException {
        MailImpl batch = MailImpl.builder()
            .name(MailImpl.getId())
            .sender(sender)
            .addRecipients(recipients)
            .addAttributes(attributes)
            .mimeMessage(message)
            .build();
        try {
            context.sendMail(batch, processor);
        } catch (MailQueue.MailQueueException e) {
            // the queue's broker away, most often: the post is retried with backoff (and, if the broker is still away
            // then, left to the spool, which hands it over again), never parked for it
            throw new TransientFailureException("Cannot queue a batch of the fan-out: " + e.getMessage(), e);
        } finally {
            LifecycleUtil.dispose(batch);
        }
    }
}
