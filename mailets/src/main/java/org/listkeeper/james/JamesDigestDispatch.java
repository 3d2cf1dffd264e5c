package org.listkeeper.james;

import java.util.ArrayList;
import java.util.List;

import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.server.core.MailImpl;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.MailetContext;
import org.listkeeper.digest.DigestDispatch;
import org.listkeeper.digest.DigestIssue;
import org.listkeeper.list.MailingList;
import org.listkeeper.pipeline.PostProgress;

/**
 * Hands a closed digest issue to the list processor ({@code list.processor}) as a mail of its own in James's spool:
 * addressed to the list, with a pipeline of just {@code digest-delivery} and the issue's id. From there it has what a
 * post has: it survives a restart, is retried with backoff, and is parked with its error if delivery fails for good.
 * The mail itself goes to nobody.
 */
public class JamesDigestDispatch implements DigestDispatch {
    private final MailetContext context;
    private final String processor;

    @Inject
    public JamesDigestDispatch(MailetContext context, ListkeeperConfiguration configuration) {
        this(context, configuration.listProcessor());
    }

    public JamesDigestDispatch(MailetContext context, String processor) {
        this.context = context;
        this.processor = processor;
    }

    @Override
    public void dispatch(MailingList list, DigestIssue issue) throws MessagingException {
        MimeMessage note = new MimeMessage(org.listkeeper.internal.MailSessions.shared());
        note.setFrom(list.bouncesAddress().asString());
        note.setRecipients(javax.mail.Message.RecipientType.TO, list.address().asString());
        note.setSubject("Deliver digest issue #" + issue.id() + " (vol " + issue.volume() + ", issue " + issue.number() + ")");
        note.setText("Listkeeper hands this digest issue to its delivery; this mail itself is sent to nobody.\n", "UTF-8");
        note.saveChanges();
        note.setHeader("Message-ID", "<digest-delivery." + issue.id() + "." + list.listId() + "@" + list.address().getDomain().asString()
            + ">");
        List<Attribute> attributes = new ArrayList<>(PostProgress.entering(list.address(), DigestDispatch.postKey(issue),
            List.of(DigestDispatch.DELIVERY_HANDLER)));
        attributes.add(new Attribute(PostProgress.DIGEST_ISSUE, AttributeValue.of(issue.id())));
        MailImpl mail = MailImpl.builder()
            .name("digest-" + issue.id() + "-" + MailImpl.getId())
            .sender(list.bouncesAddress())
            .addRecipient(list.address())
            .addAttributes(attributes)
            .mimeMessage(note)
            .build();
        try {
            context.sendMail(mail, processor);
        } finally {
            LifecycleUtil.dispose(mail);
        }
    }
}
