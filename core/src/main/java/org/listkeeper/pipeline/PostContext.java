package org.listkeeper.pipeline;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import javax.mail.MessagingException;

import org.apache.mailet.Mail;
import org.apache.mailet.MailetContext;
import org.listkeeper.list.ListRecipient;
import org.listkeeper.list.MailingList;

/** What a handler sees of one post on one list. */
public final class PostContext {
    private final Mail mail;
    private final MailingList list;
    private final String postKey;
    private final MailetContext mailetContext;
    private final PipelineSettings settings;
    private final Clock clock;
    private final TransportHandOff handOff;
    private final ListRecipient recipient;

    PostContext(Mail mail, MailingList list, String postKey, MailetContext mailetContext, PipelineSettings settings, Clock clock,
                TransportHandOff handOff, ListRecipient recipient) {
        this.mail = Objects.requireNonNull(mail);
        this.list = Objects.requireNonNull(list);
        this.postKey = Objects.requireNonNull(postKey);
        this.mailetContext = Objects.requireNonNull(mailetContext);
        this.settings = Objects.requireNonNull(settings);
        this.clock = Objects.requireNonNull(clock);
        this.handOff = Objects.requireNonNull(handOff);
        this.recipient = Objects.requireNonNull(recipient);
    }

    /** A context outside the engine: for tests and for tools that run one handler. */
    public static PostContext of(Mail mail, MailingList list, String postKey, MailetContext mailetContext,
                                 PipelineSettings settings, Clock clock) {
        return new PostContext(mail, list, postKey, mailetContext, settings, clock, TransportHandOff.MAILET_CONTEXT,
            ListRecipient.post(list.address()));
    }

    /** As {@link #of}, for mail to one of the list's sub-addresses ({@code -request}, {@code -confirm+TOKEN}…). */
    public static PostContext of(Mail mail, MailingList list, String postKey, MailetContext mailetContext,
                                 PipelineSettings settings, Clock clock, ListRecipient recipient) {
        return new PostContext(mail, list, postKey, mailetContext, settings, clock, TransportHandOff.MAILET_CONTEXT, recipient);
    }

    /** As {@link #of}, with the host's way of handing batches to the transport. */
    public static PostContext of(Mail mail, MailingList list, String postKey, MailetContext mailetContext,
                                 PipelineSettings settings, Clock clock, TransportHandOff handOff) {
        return new PostContext(mail, list, postKey, mailetContext, settings, clock, handOff, ListRecipient.post(list.address()));
    }

    /** How fan-out hands a batch to the transport. */
    public TransportHandOff handOff() {
        return handOff;
    }

    public Mail mail() {
        return mail;
    }

    public MailingList list() {
        return list;
    }

    /** The post's identity for idempotency records: stable across retries, replays and crash redelivery. */
    public String postKey() {
        return postKey;
    }

    public MailetContext mailetContext() {
        return mailetContext;
    }

    public PipelineSettings settings() {
        return settings;
    }

    public Instant now() {
        return clock.instant();
    }

    public Clock clock() {
        return clock;
    }

    /** Which of the list's addresses the mail was sent to: the posting address, or a sub-address. */
    public ListRecipient recipient() {
        return recipient;
    }
}
