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
import org.listkeeper.moderation.HoldQueue;
import org.listkeeper.store.ListStore;

/** What a handler sees of one post on one list. */
public final class PostContext {
    private final Mail mail;
    private final MailingList list;
    private final String postKey;
    private final ListStore store;
    private final MailetContext mailetContext;
    private final PipelineSettings settings;
    private final Clock clock;
    private final TransportHandOff handOff;
    private final ListRecipient recipient;
    private final HoldQueue holdQueue;

    /** For hosts without a hold queue (tests of single handlers): using it fails. */
    static final HoldQueue NO_HOLD_QUEUE = new HoldQueue() {
        @Override
        public void keep(Mail mail) throws MessagingException {
            throw new MessagingException("No hold queue in this context");
        }

        @Override
        public Optional<Mail> get(String key) {
            return Optional.empty();
        }

        @Override
        public boolean release(String key) throws MessagingException {
            throw new MessagingException("No hold queue in this context");
        }

        @Override
        public boolean drop(String key) {
            return false;
        }
    };

    PostContext(Mail mail, MailingList list, String postKey, ListStore store, MailetContext mailetContext,
                PipelineSettings settings, Clock clock, TransportHandOff handOff, ListRecipient recipient) {
        this(mail, list, postKey, store, mailetContext, settings, clock, handOff, recipient, NO_HOLD_QUEUE);
    }

    PostContext(Mail mail, MailingList list, String postKey, ListStore store, MailetContext mailetContext,
                PipelineSettings settings, Clock clock, TransportHandOff handOff, ListRecipient recipient, HoldQueue holdQueue) {
        this.mail = Objects.requireNonNull(mail);
        this.list = Objects.requireNonNull(list);
        this.postKey = Objects.requireNonNull(postKey);
        this.store = Objects.requireNonNull(store);
        this.mailetContext = Objects.requireNonNull(mailetContext);
        this.settings = Objects.requireNonNull(settings);
        this.clock = Objects.requireNonNull(clock);
        this.handOff = Objects.requireNonNull(handOff);
        this.recipient = Objects.requireNonNull(recipient);
        this.holdQueue = Objects.requireNonNull(holdQueue);
    }

    /** A context outside the engine: for tests and for tools that run one handler. */
    public static PostContext of(Mail mail, MailingList list, String postKey, ListStore store, MailetContext mailetContext,
                                 PipelineSettings settings, Clock clock) {
        return new PostContext(mail, list, postKey, store, mailetContext, settings, clock, TransportHandOff.MAILET_CONTEXT,
            ListRecipient.post(list.address()));
    }

    /** As {@link #of}, for mail to one of the list's sub-addresses ({@code -request}, {@code -confirm+TOKEN}…). */
    public static PostContext of(Mail mail, MailingList list, String postKey, ListStore store, MailetContext mailetContext,
                                 PipelineSettings settings, Clock clock, ListRecipient recipient) {
        return new PostContext(mail, list, postKey, store, mailetContext, settings, clock, TransportHandOff.MAILET_CONTEXT, recipient);
    }

    /** As {@link #of}, with the host's way of handing batches to the transport. */
    public static PostContext of(Mail mail, MailingList list, String postKey, ListStore store, MailetContext mailetContext,
                                 PipelineSettings settings, Clock clock, TransportHandOff handOff) {
        return new PostContext(mail, list, postKey, store, mailetContext, settings, clock, handOff, ListRecipient.post(list.address()));
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

    public ListStore store() {
        return store;
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

    /** Where held posts wait: the moderators' decisions by mail act on it. */
    public HoldQueue holdQueue() {
        return holdQueue;
    }

    /** A copy of this context with {@code holdQueue} (for tests that act on held posts). */
    public PostContext withHoldQueue(HoldQueue queue) {
        return new PostContext(mail, list, postKey, store, mailetContext, settings, clock, handOff, recipient, queue);
    }

    /** Which of the list's addresses the mail was sent to: the posting address, or a sub-address. */
    public ListRecipient recipient() {
        return recipient;
    }
}
