package org.listkeeper.handlers;

import org.listkeeper.internal.MailSessions;
import org.listkeeper.unsubscribe.UnsubscribeTokens;
import org.listkeeper.pipeline.PostLedger;
import org.listkeeper.list.Roster;
import org.listkeeper.bounces.BounceRecords;
import java.util.Objects;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.listkeeper.bounces.Verp;
import org.listkeeper.internal.Digests;
import org.listkeeper.list.Addresses;
import org.listkeeper.list.Audience;
import org.listkeeper.list.DeliveryMode;
import org.listkeeper.list.FooterTemplate;
import org.listkeeper.list.MailingList;
import org.listkeeper.list.Member;
import org.listkeeper.pipeline.Handler;
import org.listkeeper.pipeline.HandlerResult;
import org.listkeeper.pipeline.PostContext;
import org.listkeeper.pipeline.PostProgress;
import org.listkeeper.pipeline.FanoutProgress;
import org.listkeeper.pipeline.ListBatch;
import org.listkeeper.list.MemberCursor;
import org.listkeeper.unsubscribe.UnsubscribeLinks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the post to every member whose delivery is enabled: members are read page by page in
 * (domain, address) order, cut into batches of bounded size, and each batch is handed to the transport
 * processor: as one mail from the list's bounce address (bulk), or as one mail per member from the member's VERP
 * address (VERP on every post; personalized delivery, where each copy has the member's footer and one-click
 * unsubscribe link). Each batch's hand-off is recorded in the store before and after, so a replay after success
 * sends nothing and a replay after a crash sends at most the batch that was in flight again.
 */
final class FanOut implements Handler {
    static final String NAME = "fan-out";
    private static final Logger LOGGER = LoggerFactory.getLogger(FanOut.class);

    private final Roster roster;
    private final PostLedger posts;
    private final UnsubscribeTokens unsubscribeTokens;
    private final BounceRecords bounceRecords;
    private final Optional<URI> publicBaseUrl;

    FanOut(Roster roster, PostLedger posts, UnsubscribeTokens unsubscribeTokens, BounceRecords bounceRecords, Optional<URI> publicBaseUrl) {
        this.roster = Objects.requireNonNull(roster);
        this.posts = Objects.requireNonNull(posts);
        this.unsubscribeTokens = Objects.requireNonNull(unsubscribeTokens);
        this.bounceRecords = Objects.requireNonNull(bounceRecords);
        this.publicBaseUrl = Objects.requireNonNull(publicBaseUrl);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Hands the post to the transport processor in batches of enabled members, recording each batch";
    }

    @Override
    public HandlerResult handle(PostContext post) throws MessagingException {
        // a post that went into a digest issue reaches the digest members through it, not singly
        Audience audience = PostProgress.flag(post.mail(), PostProgress.DIGESTED) ? Audience.singles() : Audience.everyone();
        deliver(post, new Shipment(post.postKey(), post.mail().getMessage(), audience, author(post), null));
        post.mail().setRecipients(List.of());
        return HandlerResult.proceed();
    }

    /**
     * Hands {@code shipment} to the members of its audience in checkpointed batches: the post's own fan-out, or one kind
     * of a digest issue. Resumes after the last batch recorded as handed off; sends nothing once completed.
     */
    void deliver(PostContext post, Shipment shipment) throws MessagingException {
        long listId = post.list().id();
        String postKey = shipment.postKey;
        FanoutProgress progress = posts.fanoutProgress(listId, postKey);
        if (progress.completed()) {
            LOGGER.info("Fan-out of {} to {} was already completed ({} recipients in {} batches); nothing resent",
                postKey, post.list().address().asString(), progress.recipients(), progress.batches());
            return;
        }
        if (progress.inFlight().isPresent()) {
            LOGGER.warn("Resuming the fan-out of {} to {}: the batch ending at {} was in flight and is sent again",
                postKey, post.list().address().asString(), progress.inFlight().get());
        }
        Mode mode = progress.mode().map(Mode::parse).orElseGet(() -> shipment.mode != null ? shipment.mode : mode(post, progress));
        Copies copies = new Copies(post, shipment, mode);
        Batches batches = new Batches(post, listId, progress.handedOff(), shipment.author, shipment.audience);
        int recipients = 0;
        int count = 0;
        Optional<List<Member>> batch = batches.next();
        if (batch.isPresent()) {
            posts.fanoutBatchStarting(listId, postKey, end(batch.get()), mode.value(), post.now());
        }
        while (batch.isPresent()) {
            MemberCursor batchEnd = end(batch.get());
            // read ahead first, so nothing but the record itself stands between a hand-off and its record
            Optional<List<Member>> next = batches.next();
            copies.handOff(batch.get(), batchEnd);
            // one write per batch: this batch is done and the next one is in flight
            posts.fanoutBatchHandedOff(listId, postKey, batchEnd, batch.get().size(), next.map(FanOut::end), post.now());
            recipients += batch.get().size();
            count++;
            batch = next;
        }
        posts.fanoutCompleted(listId, postKey, post.now());
        LOGGER.info("Fan-out of {} to {}: {} recipients in {} batches", postKey, post.list().address().asString(), recipients, count);
    }

    /** What one fan-out sends, under which key, to whom; {@code mode} null for the post's own (as footer decided). */
    static final class Shipment {
        private final String postKey;
        private final MimeMessage message;
        private final Audience audience;
        private final Optional<MailAddress> author;
        private final Mode mode;

        Shipment(String postKey, MimeMessage message, Audience audience, Optional<MailAddress> author, Mode mode) {
            this.postKey = Objects.requireNonNull(postKey);
            this.message = Objects.requireNonNull(message);
            this.audience = Objects.requireNonNull(audience);
            this.author = Objects.requireNonNull(author);
            this.mode = mode;
        }
    }

    /**
     * The post's author (its From address, or the one {@code dmarc} recorded before it rewrote From), whose own copy
     * depends on their receive-own-posts option.
     */
    private static Optional<MailAddress> author(PostContext post) {
        Optional<String> recorded = PostProgress.string(post.mail(), PostProgress.AUTHOR);
        if (recorded.isPresent()) {
            try {
                return Optional.of(new MailAddress(recorded.get()));
            } catch (javax.mail.internet.AddressException e) {
                LOGGER.debug("Post {} recorded an unreadable author: {}", post.postKey(), e.getMessage());
            }
        }
        try {
            javax.mail.Address[] from = post.mail().getMessage().getFrom();
            if (from != null && from.length > 0 && from[0] instanceof javax.mail.internet.InternetAddress) {
                return Optional.of(new MailAddress(((javax.mail.internet.InternetAddress) from[0]).getAddress()));
            }
        } catch (MessagingException | RuntimeException e) {
            LOGGER.debug("Post {} has no readable From: {}", post.postKey(), e.getMessage());
        }
        return Optional.empty();
    }

    private static MemberCursor end(List<Member> batch) {
        return MemberCursor.after(batch.get(batch.size() - 1));
    }

    /** The batches of enabled members after a cursor, read from the store a page at a time. */
    private final class Batches {
        private final PostContext post;
        private final long listId;
        private final int batchSize;
        private final int pageSize;
        private final Optional<MailAddress> author;
        private final Audience audience;
        private Optional<MemberCursor> cursor;
        private List<Member> page = List.of();
        private int position;
        private boolean lastPage;

        Batches(PostContext post, long listId, Optional<MemberCursor> after, Optional<MailAddress> author, Audience audience) {
            this.post = post;
            this.author = author;
            this.audience = audience;
            this.listId = listId;
            this.batchSize = post.settings().batchSize();
            // whole batches per page, so a page boundary never cuts a batch short
            int pages = Math.max(batchSize, post.settings().pageSize());
            this.pageSize = (pages + batchSize - 1) / batchSize * batchSize;
            this.cursor = after;
        }

        Optional<List<Member>> next() {
            if (position >= page.size()) {
                if (lastPage) {
                    return Optional.empty();
                }
                page = roster.deliveryPage(listId, cursor, pageSize, author, audience);
                position = 0;
                lastPage = page.size() < pageSize;
                if (page.isEmpty()) {
                    return Optional.empty();
                }
                cursor = Optional.of(MemberCursor.after(page.get(page.size() - 1)));
            }
            List<Member> batch = page.subList(position, Math.min(page.size(), position + batchSize));
            position += batch.size();
            return Optional.of(batch);
        }
    }

    /** How this post's fan-out sends: as its first run pinned it, else as the list's settings say now. */
    static Mode mode(PostLedger posts, PostContext post) {
        return mode(post, posts.fanoutProgress(post.list().id(), post.postKey()));
    }

    private static Mode mode(PostContext post, FanoutProgress progress) {
        // a replay sends the way the first run did, even if the list's delivery setting changed since; before the
        // first batch, the way footer decided (it gave the post the list's footer or left it to each copy)
        if (progress.mode().isPresent()) {
            return Mode.parse(progress.mode().get());
        }
        return PostProgress.string(post.mail(), PostProgress.FANOUT_MODE).map(Mode::parse).orElseGet(() -> Mode.of(post.list()));
    }

    /** How a fan-out sends; recorded on the post by footer, pinned in the store by the first batch. */
    enum Mode {
        /** One mail per batch from the list's bounce address. */
        BULK,
        /** One mail per member, the same message, from the member's VERP address. */
        VERP,
        /** One mail per member with its own copy, from the member's VERP address. */
        PERSONALIZED;

        static Mode of(MailingList list) {
            if (list.delivery() == DeliveryMode.PERSONALIZED) {
                return PERSONALIZED;
            }
            return list.verpEveryPost() ? VERP : BULK;
        }

        static Mode parse(String value) {
            try {
                return valueOf(value.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("Unknown fan-out mode '" + value + "'", e);
            }
        }

        String value() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * How one batch leaves: in bulk, one mail for the whole batch from the list's bounce address; with VERP on every
     * post, one mail per member carrying the same message from the member's own bounce address; personalized, one
     * mail per member with its own copy (footer, one-click unsubscribe link) from its own bounce address. Every mail
     * carries an identity the transport uses to drop a second copy after a replay.
     */
    private final class Copies {
        private final PostContext post;
        private final Shipment shipment;
        private final MailingList list;
        private final boolean personalized;
        private final boolean verp;
        private final boolean footer;
        private byte[] original;

        Copies(PostContext post, Shipment shipment, Mode mode) {
            this.post = post;
            this.shipment = shipment;
            this.list = post.list();
            this.personalized = mode == Mode.PERSONALIZED;
            this.verp = mode != Mode.BULK;
            this.footer = post.settings().pipeline().contains(Footer.NAME);
        }

        void handOff(List<Member> batch, MemberCursor batchEnd) throws MessagingException {
            if (!verp) {
                send(shipment.message, list.bouncesAddress(), addresses(batch), batchKey(batchEnd),
                    ListBatch.attributes(ListBatch.Mode.BULK, List.of(), List.of(), List.of(), List.of()));
                return;
            }
            Map<String, String> tokens = personalized && publicBaseUrl.isPresent()
                ? unsubscribeTokens.unsubscribeTokens(list.id(), addresses(batch), post.now())
                : Map.of();
            if (post.handOff().takesBatches()) {
                handOffWhole(batch, batchKey(batchEnd), tokens);
                return;
            }
            for (Member member : batch) {
                MailAddress envelope = Verp.envelope(bounceRecords, list, member.address(), post.now());
                MimeMessage message = personalized ? personalize(member, tokens) : shipment.message;
                // each member's mail is its own "batch" for the transport's repeat check
                send(message, envelope, List.of(member.address()), batchKey(MemberCursor.after(member)), List.of());
            }
        }

        /**
         * The whole batch as one mail for list delivery: the post once, and per member its envelope sender and, when
         * personalized, the header lines and footer of its own copy.
         */
        private void handOffWhole(List<Member> batch, String batchKey, Map<String, String> tokens) throws MessagingException {
            List<String> members = new ArrayList<>(batch.size());
            List<String> envelopes = new ArrayList<>(batch.size());
            List<String> headers = new ArrayList<>(personalized ? batch.size() : 0);
            List<String> footers = new ArrayList<>(personalized && footer ? batch.size() : 0);
            String mailto = "mailto:" + list.leaveAddress().asString();
            for (Member member : batch) {
                members.add(member.address().asString());
                envelopes.add(Verp.envelope(bounceRecords, list, member.address(), post.now()).asString());
                if (personalized) {
                    Optional<String> link = Optional.ofNullable(tokens.get(Addresses.key(member.address())))
                        .flatMap(token -> publicBaseUrl.map(base -> UnsubscribeLinks.link(base, token)));
                    headers.add(link.map(url -> "List-Unsubscribe: <" + url + ">, <" + mailto + ">\r\nList-Unsubscribe-Post: "
                        + UnsubscribeLinks.ONE_CLICK).orElse(""));
                    if (footer) {
                        footers.add(FooterTemplate.render(list, member, link.orElse(mailto)));
                    }
                }
            }
            ListBatch.Mode mode = personalized ? ListBatch.Mode.PERSONALIZED : ListBatch.Mode.VERP;
            send(shipment.message, list.bouncesAddress(), addresses(batch), batchKey,
                ListBatch.attributes(mode, members, envelopes, headers, footers));
        }

        /** The member's own copy: their footer, and RFC 8058 one-click headers when the public route is exposed. */
        private MimeMessage personalize(Member member, Map<String, String> tokens) throws MessagingException {
            MimeMessage copy = new MimeMessage(MailSessions.shared(), new ByteArrayInputStream(original()));
            Optional<String> link = Optional.ofNullable(tokens.get(Addresses.key(member.address())))
                .flatMap(token -> publicBaseUrl.map(base -> UnsubscribeLinks.link(base, token)));
            String mailto = "mailto:" + list.leaveAddress().asString();
            if (link.isPresent()) {
                copy.setHeader("List-Unsubscribe", "<" + link.get() + ">, <" + mailto + ">");
                copy.setHeader("List-Unsubscribe-Post", UnsubscribeLinks.ONE_CLICK);
            }
            if (footer) {
                Footer.apply(copy, FooterTemplate.render(list, member, link.orElse(mailto)), shipment.postKey);
            }
            return copy;
        }

        private void send(MimeMessage message, MailAddress envelope, List<MailAddress> recipients, String batchKey,
                          List<Attribute> delivery) throws MessagingException {
            // the batch's identity survives a replay of the fan-out, so the transport can drop a second copy
            List<Attribute> identity = new ArrayList<>(List.of(
                new Attribute(PostProgress.LIST, AttributeValue.of(list.address().asString())),
                new Attribute(PostProgress.LIST_ID, AttributeValue.of(list.id())),
                new Attribute(PostProgress.POST_KEY, AttributeValue.of(shipment.postKey)),
                new Attribute(PostProgress.BATCH, AttributeValue.of(batchKey))));
            identity.addAll(delivery);
            // the host copies the message into a new queue item: the post itself stays as it is
            post.handOff().handOff(post.mailetContext(), message, envelope, recipients, identity,
                post.settings().transportProcessor());
        }

        /** The post as the pipeline left it, serialised once per fan-out run; each copy is parsed from it. */
        private byte[] original() throws MessagingException {
            if (original == null) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                try {
                    shipment.message.writeTo(bytes);
                } catch (IOException e) {
                    throw new MessagingException("Cannot read the post to personalize it", e);
                }
                original = bytes.toByteArray();
            }
            return original;
        }

        private List<MailAddress> addresses(List<Member> batch) {
            List<MailAddress> addresses = new ArrayList<>(batch.size());
            for (Member member : batch) {
                addresses.add(member.address());
            }
            return addresses;
        }
    }

    static String batchKey(MemberCursor batchEnd) {
        return Digests.sha256Hex(batchEnd.domain() + "/" + batchEnd.addressKey());
    }
}
