package org.listkeeper.moderation;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import javax.mail.Address;
import javax.mail.MessagingException;
import javax.mail.internet.AddressException;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;

/** The addresses a post claims to be from: the From header's, then Sender's, then the envelope sender. */
public final class Senders {
    private Senders() {
    }

    public static List<MailAddress> of(Mail mail) throws MessagingException {
        Set<MailAddress> result = new LinkedHashSet<>();
        MimeMessage message = mail.getMessage();
        addAll(result, safe(() -> message.getFrom()));
        String sender = message.getHeader("Sender", null);
        if (sender != null) {
            addAll(result, safe(() -> InternetAddress.parseHeader(sender, false)));
        }
        mail.getMaybeSender().asOptional().ifPresent(result::add);
        return new ArrayList<>(result);
    }

    private interface AddressSource {
        Address[] get() throws MessagingException;
    }

    private static Address[] safe(AddressSource source) {
        try {
            Address[] addresses = source.get();
            return addresses == null ? new Address[0] : addresses;
        } catch (MessagingException | RuntimeException e) {
            return new Address[0]; // an unreadable header names nobody
        }
    }

    private static void addAll(Set<MailAddress> result, Address[] addresses) {
        for (Address address : addresses) {
            if (address instanceof InternetAddress) {
                try {
                    result.add(new MailAddress(((InternetAddress) address).getAddress()));
                } catch (AddressException | RuntimeException e) {
                    // not an address a roster could hold
                }
            }
        }
    }
}
