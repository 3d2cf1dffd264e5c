package org.listkeeper.mailets;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import javax.mail.MessagingException;
import javax.mail.internet.AddressException;

import org.apache.james.core.MailAddress;
import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.MailetContext;
import org.listkeeper.ListkeeperException;
import org.listkeeper.internal.MessageIds;
import org.listkeeper.handlers.MimeCheck;
import org.listkeeper.internal.Redaction;
import org.listkeeper.list.ListDirectory;
import org.listkeeper.list.ListRecipient;
import org.listkeeper.pipeline.PostProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which list address a mail is for: the one an earlier run assigned it (kept in its attributes), or the one recipient
 * of a kind this mailet serves. A mail to several list addresses, or to a list address and others, is split into one
 * mail per list address first, each sent back to the same processor, so each post is its own unit of retry and replay.
 */
final class PostRouting {
    private static final Logger LOGGER = LoggerFactory.getLogger(PostRouting.class);

    private final ListDirectory directory;
    private final Set<ListRecipient.Kind> kinds;
    private final String mailetName;

    PostRouting(ListDirectory directory, Set<ListRecipient.Kind> kinds, String mailetName) {
        this.directory = directory;
        this.kinds = kinds;
        this.mailetName = mailetName;
    }

    /**
     * The list address {@code mail} is for; empty when it was split into one mail per list address (sent on through
     * {@code context}) or carries no address this mailet serves (left to the rest of the processor).
     */
    Optional<ListRecipient> route(Mail mail, MailetContext context) throws MessagingException {
        Optional<ListRecipient> assigned = assignedRecipient(mail);
        if (assigned.isPresent()) {
            return assigned;
        }
        List<ListRecipient> mine = new ArrayList<>();
        for (MailAddress address : mail.getRecipients()) {
            resolve(address).filter(r -> kinds.contains(r.kind())).ifPresent(mine::add);
        }
        if (mine.isEmpty()) {
            LOGGER.warn("Mail {} reached {} without a recipient of kind {} ({}); passing it on", mail.getName(), mailetName, kinds,
                Redaction.addresses(mail.getRecipients()));
            return Optional.empty();
        }
        if (mine.size() > 1 || mail.getRecipients().size() > 1) {
            split(mail, mine, context);
            return Optional.empty();
        }
        ListRecipient recipient = mine.get(0);
        if (recipient.kind() != ListRecipient.Kind.POST) {
            mail.setAttribute(new Attribute(PostProgress.RECIPIENT, AttributeValue.of(recipient.address().asString())));
        }
        return Optional.of(recipient);
    }

    private Optional<ListRecipient> resolve(MailAddress recipient) {
        try {
            return directory.resolve(recipient);
        } catch (ListkeeperException e) {
            throw new IllegalStateException("Cannot tell whether " + Redaction.address(recipient) + " is a list address: "
                + e.getMessage(), e);
        }
    }

    /** The list address a mail was already assigned to: by an earlier split, or by its first run through the engine. */
    private Optional<ListRecipient> assignedRecipient(Mail mail) throws MessagingException {
        Optional<String> recipient = PostProgress.string(mail, PostProgress.RECIPIENT);
        Optional<MailAddress> list = address(mail, PostProgress.LIST);
        if (recipient.isPresent()) {
            Optional<ListRecipient> resolved = resolve(readAddress(mail, recipient.get()));
            if (resolved.isPresent()) {
                return resolved;
            }
            // the list is gone: the engine parks the mail, saying so
            return list.map(ListRecipient::post);
        }
        return list.map(ListRecipient::post);
    }

    private static Optional<MailAddress> address(Mail mail, AttributeName name) throws MessagingException {
        Optional<String> value = PostProgress.string(mail, name);
        return value.isEmpty() ? Optional.empty() : Optional.of(readAddress(mail, value.get()));
    }

    private static MailAddress readAddress(Mail mail, String value) throws MessagingException {
        try {
            return new MailAddress(value);
        } catch (AddressException e) {
            throw new MessagingException("Mail " + mail.getName() + " carries an unreadable list address attribute: "
                + Redaction.of(value), e);
        }
    }

    private void split(Mail mail, List<ListRecipient> recipients, MailetContext context) throws MessagingException {
        List<MailAddress> lists = recipients.stream().filter(r -> r.kind() == ListRecipient.Kind.POST).map(ListRecipient::list)
            .collect(Collectors.toList());
        if (!lists.isEmpty()) {
            // copies of an edited message are re-parsed by James: make a malformed one safe first
            MimeCheck.repair(mail.getMessage());
            MessageIds.ensure(mail.getMessage(), mail.getName(), lists.get(0).getDomain().asString());
        }
        for (ListRecipient recipient : recipients) {
            Mail copy = mail.duplicate();
            try {
                copy.setRecipients(List.of(recipient.address()));
                if (recipient.kind() == ListRecipient.Kind.POST) {
                    copy.setAttribute(new Attribute(PostProgress.LIST, AttributeValue.of(recipient.list().asString())));
                } else {
                    copy.setAttribute(new Attribute(PostProgress.RECIPIENT, AttributeValue.of(recipient.address().asString())));
                }
                context.sendMail(copy, mail.getState());
            } finally {
                LifecycleUtil.dispose(copy);
            }
        }
        List<MailAddress> others = new ArrayList<>(mail.getRecipients());
        others.removeAll(recipients.stream().map(ListRecipient::address).collect(Collectors.toList()));
        if (others.isEmpty()) {
            mail.setState(Mail.GHOST);
        } else {
            mail.setRecipients(others);
        }
        LOGGER.debug("Split mail {} into one mail per list address: {}", mail.getName(), recipients);
    }
}
