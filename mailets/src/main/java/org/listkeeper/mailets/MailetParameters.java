package org.listkeeper.mailets;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import javax.mail.MessagingException;

import org.apache.mailet.MailetConfig;

/** What Listkeeper's mailets check of their parameters alike. */
final class MailetParameters {
    private MailetParameters() {
    }

    /** Refuses a parameter not in {@code known} (a typo), naming it and the known ones. */
    static void refuseUnknown(MailetConfig config, Set<String> known) throws MessagingException {
        List<String> unknown = new ArrayList<>();
        for (Iterator<String> names = config.getInitParameterNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            throw new MessagingException(config.getMailetName() + ": unknown parameter(s) " + String.join(", ", unknown) + "; known are "
                + known.stream().sorted().collect(Collectors.joining(", ")));
        }
    }
}
