package org.listkeeper.testing;

import javax.mail.MessagingException;

import org.apache.james.core.builder.MimeMessageBuilder;
import org.apache.mailet.base.test.FakeMail;

/** Mails as the spool hands them to a mailet. */
public final class TestMails {
    /** The envelope sender and From of {@link #post}. */
    public static final String AUTHOR = "alice@example.com";

    private TestMails() {
    }

    /** A short plain-text post named {@code name} from {@link #AUTHOR} to {@code recipients}. */
    public static FakeMail.Builder post(String name, String... recipients) throws MessagingException {
        return FakeMail.builder().name(name).sender(AUTHOR).recipients(recipients)
            .mimeMessage(MimeMessageBuilder.mimeMessageBuilder().addFrom(AUTHOR).addToRecipient(recipients).setSubject("hello")
                .setText("Hello, list."));
    }
}
