package org.listkeeper.moderation;

import java.util.Objects;

import org.apache.mailet.Mail;
import org.listkeeper.list.MailingList;

/**
 * What a rule sees of a post, as GNU Mailman 3's {@code IRule.check(mlist, msg, msgdata)}: the list, and the mail with
 * its message, envelope and what the pipeline recorded on it (attributes). Nothing of the pipeline or the store: a rule
 * that needs the roster takes it when it is made.
 */
public final class RuleInput {
    private final MailingList list;
    private final Mail mail;

    private RuleInput(MailingList list, Mail mail) {
        this.list = Objects.requireNonNull(list);
        this.mail = Objects.requireNonNull(mail);
    }

    public static RuleInput of(MailingList list, Mail mail) {
        return new RuleInput(list, mail);
    }

    public MailingList list() {
        return list;
    }

    public Mail mail() {
        return mail;
    }
}
