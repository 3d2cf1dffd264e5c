package org.listkeeper.pipeline;

import java.util.Collection;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Attribute;
import org.apache.mailet.MailetContext;

/**
 * Hands one fan-out batch to the host's transport, durably: a new queue item with its own envelope and
 * the batch's identity as attributes. The mailet API cannot set an envelope sender on a mail, so the host
 * (the James adapter) builds it.
 */
@FunctionalInterface
public interface TransportHandOff {
    /**
     * Through {@link MailetContext#sendMail(MailAddress, Collection, MimeMessage, String)}: the attributes are
     * lost, so the transport cannot recognise a repeated batch. For hosts without a mail factory, and tests.
     */
    TransportHandOff MAILET_CONTEXT = (context, message, sender, recipients, attributes, processor) ->
        context.sendMail(sender, recipients, message, processor);

    /**
     * Whether the host's transport delivers a whole batch of members itself (Listkeeper's list delivery), so that a
     * VERP or personalized batch goes over as one mail; else each member's copy is handed over as its own mail.
     */
    default boolean takesBatches() {
        return false;
    }

    void handOff(MailetContext context, MimeMessage message, MailAddress sender, Collection<MailAddress> recipients,
                 Collection<Attribute> attributes, String processor) throws MessagingException;
}
