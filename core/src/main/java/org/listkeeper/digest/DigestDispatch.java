package org.listkeeper.digest;

import javax.mail.MessagingException;

import org.listkeeper.list.MailingList;

/**
 * Hands a closed digest issue to the list's pipeline, durably, where the {@code digest-delivery} handler sends it to
 * the digest members with checkpoints as a post's fan-out has. The host (the James adapter) makes the queue item.
 */
@FunctionalInterface
public interface DigestDispatch {
    /** The name of the handler that delivers an issue handed over. */
    String DELIVERY_HANDLER = "digest-delivery";

    void dispatch(MailingList list, DigestIssue issue) throws MessagingException;

    /** The post key of the mail that delivers {@code issue}: {@code digest:{issue id}}; each kind's fan-out adds {@code :mime} or {@code :plain}. */
    static String postKey(DigestIssue issue) {
        return "digest:" + issue.id();
    }
}
