package org.listkeeper.internal;

import java.util.Properties;

import javax.mail.Session;

/**
 * The one {@link Session} that messages Listkeeper parses or builds are made with. {@code Session.getInstance} reads
 * JavaMail's resource files from the class path each time (providers, address map): per post, in the archive and the
 * digest, that was a measurable share of a list post's CPU. A session with no properties holds no state that a
 * message changes, so one serves every thread.
 */
public final class MailSessions {
    private static final Session SHARED = Session.getInstance(new Properties());

    private MailSessions() {
    }

    public static Session shared() {
        return SHARED;
    }
}
