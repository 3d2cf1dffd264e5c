package org.listkeeper.mailets;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.listkeeper.ListkeeperException;
import org.listkeeper.list.ListDirectory;
import org.listkeeper.list.ListRecipient;
import org.listkeeper.list.MailingList;
import org.listkeeper.list.Member;
import org.listkeeper.list.Role;
import org.listkeeper.list.Lists;
import org.listkeeper.list.Roster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards mail sent to a list's owner address to the list's owners and moderators, never to its members. The
 * envelope sender is the list's bounce address, so a dead owner address cannot bounce back into a loop.
 * A list without owners falls back to the postmaster.
 *
 * <p>No parameters.</p>
 *
 * <pre>{@code
 * <mailet match="org.listkeeper.matchers.RecipientIsList=owner" class="org.listkeeper.mailets.ForwardToListOwners">
 *   <onMailetException>propagate</onMailetException>
 * </mailet>
 * }</pre>
 */
public final class ForwardToListOwners extends GenericMailet {
    private static final Logger LOGGER = LoggerFactory.getLogger(ForwardToListOwners.class);
    static final String TRANSPORT = "transport";

    private final Lists lists;
    private final Roster roster;
    private final ListDirectory directory;

    @Inject
    public ForwardToListOwners(Lists lists, Roster roster, ListDirectory directory) {
        this.lists = lists;
        this.roster = roster;
        this.directory = directory;
    }

    @Override
    public void init() throws MessagingException {
        checkInitParameters(java.util.Set.of("onMailetException", "onMatchException"));
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        List<MailAddress> unhandled = new ArrayList<>();
        try {
            for (MailAddress recipient : mail.getRecipients()) {
                Optional<ListRecipient> resolved = directory.resolve(recipient);
                Optional<MailingList> list = resolved.flatMap(r -> lists.findList(r.list()));
                if (list.isEmpty()) {
                    unhandled.add(recipient);
                    continue;
                }
                forward(mail, recipient, list.get());
            }
        } catch (ListkeeperException e) {
            throw new MessagingException("Cannot forward " + mail.getName() + " to list owners: " + e.getMessage(), e);
        }
        if (unhandled.isEmpty()) {
            mail.setState(Mail.GHOST);
        } else {
            mail.setRecipients(unhandled);
        }
    }

    private void forward(Mail mail, MailAddress recipient, MailingList list) throws MessagingException {
        List<MailAddress> owners = roster.members(list.id()).stream()
            .filter(member -> member.role() == Role.OWNER || member.role() == Role.MODERATOR)
            .map(Member::address)
            .collect(Collectors.toList());
        if (owners.isEmpty()) {
            owners = List.of(getMailetContext().getPostmaster());
        }
        MimeMessage message = mail.getMessage();
        message.setHeader("X-Listkeeper-Original-Recipient", recipient.asString());
        getMailetContext().sendMail(list.bouncesAddress(), owners, message, TRANSPORT);
        LOGGER.info("Mail {} to {} forwarded to {} owner(s) of {}", mail.getName(), recipient.asString(), owners.size(),
            list.address().asString());
    }

    @Override
    public String getMailetInfo() {
        return "Listkeeper: forwards owner and administrative mail to list owners";
    }
}
