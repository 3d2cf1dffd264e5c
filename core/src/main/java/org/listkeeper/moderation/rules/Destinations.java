package org.listkeeper.moderation.rules;

import java.util.ArrayList;
import java.util.List;

import javax.mail.Address;
import javax.mail.Message;
import javax.mail.MessagingException;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;

/** The To and Cc addresses of a post, as the destination rules read them. */
final class Destinations {
    private Destinations() {
    }

    static List<MailAddress> of(MimeMessage message) {
        List<MailAddress> result = new ArrayList<>();
        for (Message.RecipientType type : List.of(Message.RecipientType.TO, Message.RecipientType.CC)) {
            Address[] addresses;
            try {
                addresses = message.getRecipients(type);
            } catch (MessagingException | RuntimeException e) {
                continue;
            }
            if (addresses == null) {
                continue;
            }
            for (Address address : addresses) {
                if (address instanceof InternetAddress) {
                    try {
                        result.add(new MailAddress(((InternetAddress) address).getAddress()));
                    } catch (MessagingException | RuntimeException e) {
                        // a group or an unreadable address counts for nothing here
                    }
                }
            }
        }
        return result;
    }
}
