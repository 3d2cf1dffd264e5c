package org.listkeeper.matchers;

import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;
import org.listkeeper.ListkeeperException;
import org.listkeeper.list.ListDirectory;
import org.listkeeper.list.ListRecipient;
import org.listkeeper.list.ListRecipient.Kind;

/**
 * Matches the recipients that are addresses of a known list: by default the posting addresses; with a
 * condition, the listed kinds of sub-address ({@code post}, {@code request}, {@code owner}, {@code bounces},
 * {@code join}, {@code subscribe}, {@code leave}, {@code unsubscribe}, {@code confirm}).
 *
 * <p>Answers from a snapshot of the list addresses refreshed every few seconds, so it keeps working
 * through a short list-store outage.</p>
 *
 * <pre>{@code
 * <mailet match="org.listkeeper.matchers.RecipientIsList" class="ToProcessor">
 *   <processor>listkeeper</processor>
 * </mailet>
 * <mailet match="org.listkeeper.matchers.RecipientIsList=owner,request,bounces" class="ToProcessor">
 *   <processor>listkeeper-admin</processor>
 * </mailet>
 * }</pre>
 */
public final class RecipientIsList extends GenericMatcher {
    private final ListDirectory directory;
    private Set<Kind> kinds;

    @Inject
    public RecipientIsList(ListDirectory directory) {
        this.directory = directory;
    }

    @Override
    public void init() throws MessagingException {
        String condition = Optional.ofNullable(getCondition()).map(String::strip).orElse("");
        if (condition.isEmpty()) {
            kinds = EnumSet.of(Kind.POST);
            return;
        }
        EnumSet<Kind> parsed = EnumSet.noneOf(Kind.class);
        for (String value : condition.split(",")) {
            String name = value.strip().toUpperCase(Locale.ROOT);
            try {
                parsed.add(Kind.valueOf(name));
            } catch (IllegalArgumentException e) {
                throw new MessagingException("RecipientIsList: unknown address kind '" + value.strip() + "'; known are "
                    + Arrays.stream(Kind.values()).map(Kind::value).collect(Collectors.joining(", ")));
            }
        }
        if (parsed.isEmpty()) {
            // "RecipientIsList=," would otherwise match nothing, silently
            throw new MessagingException("RecipientIsList: condition '" + condition + "' names no address kind");
        }
        kinds = parsed;
    }

    @Override
    public Collection<MailAddress> match(Mail mail) throws MessagingException {
        try {
            return mail.getRecipients().stream()
                .filter(recipient -> directory.resolve(recipient).map(ListRecipient::kind).filter(kinds::contains).isPresent())
                .collect(Collectors.toList());
        } catch (ListkeeperException e) {
            throw new MessagingException("RecipientIsList cannot read the list directory: " + e.getMessage(), e);
        }
    }

    @Override
    public String getMatcherInfo() {
        return "Listkeeper: recipients that are list addresses";
    }

    List<Kind> kinds() {
        return List.copyOf(kinds);
    }
}
