package org.listkeeper.webadmin.service;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

import javax.inject.Inject;
import javax.mail.Header;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.mailet.Mail;
import org.listkeeper.list.Lists;
import org.listkeeper.list.MailingList;
import org.listkeeper.list.Role;
import org.listkeeper.moderation.HeldPost;
import org.listkeeper.moderation.HeldPosts;
import org.listkeeper.moderation.HeldState;
import org.listkeeper.moderation.HoldQueue;
import org.listkeeper.moderation.Moderation;

/**
 * Held posts as a moderator sees them through WebAdmin: the queue, one post with its headers and text, and the
 * decision, whose notices (a rejection to the poster) are sent once it is made.
 */
public final class HeldPostService {
    /** Characters of a held post's text shown to a moderator. */
    private static final int MAX_TEXT = 100_000;
    private static final int PREVIEW = 4_000;

    private final Lists lists;
    private final HeldPosts heldPosts;
    private final HoldQueue queue;
    private final Moderation moderation;
    private final NoticeSender notices;
    private final Clock clock;

    @Inject
    public HeldPostService(Lists lists, HeldPosts heldPosts, HoldQueue queue, Moderation moderation, NoticeSender notices, Clock clock) {
        this.lists = Objects.requireNonNull(lists);
        this.heldPosts = Objects.requireNonNull(heldPosts);
        this.queue = Objects.requireNonNull(queue);
        this.moderation = Objects.requireNonNull(moderation);
        this.notices = Objects.requireNonNull(notices);
        this.clock = Objects.requireNonNull(clock);
    }

    /** A held post with the message as kept in the hold queue, when it is still there. */
    public static final class HeldMessage {
        private final HeldPost post;
        private final Optional<Map<String, List<String>>> headers;
        private final Optional<String> text;

        private HeldMessage(HeldPost post, Optional<Map<String, List<String>>> headers, Optional<String> text) {
            this.post = post;
            this.headers = headers;
            this.text = text;
        }

        public HeldPost post() {
            return post;
        }

        /** Header name to its values, in the message's order. */
        public Optional<Map<String, List<String>>> headers() {
            return headers;
        }

        /** The body as sent, cut at {@value HeldPostService#MAX_TEXT} characters. */
        public Optional<String> text() {
            return text;
        }
    }

    /** The posts of the list that wait for a moderator, oldest first. */
    public List<HeldPost> waiting(MailAddress list) {
        MailingList target = lists.getList(list);
        return heldPosts.heldPosts(target.id(), clock.instant().minus(target.heldPostLifetime()).minusSeconds(86_400)).stream()
            .filter(post -> post.state() == HeldState.HELD)
            .collect(Collectors.toList());
    }

    /** Held post {@code id} of the list (in any state), with its message while the hold queue keeps it. */
    public Optional<HeldMessage> get(MailAddress list, long id) throws MessagingException, IOException {
        Optional<HeldPost> post = heldPosts.findHeld(lists.getList(list).id(), id);
        if (post.isEmpty()) {
            return Optional.empty();
        }
        Optional<Mail> mail = queue.get(post.get().mailKey());
        if (mail.isEmpty()) {
            return Optional.of(new HeldMessage(post.get(), Optional.empty(), Optional.empty()));
        }
        try {
            MimeMessage message = mail.get().getMessage();
            return Optional.of(new HeldMessage(post.get(), Optional.of(headers(message)), Optional.of(text(message))));
        } finally {
            LifecycleUtil.dispose(mail.get());
        }
    }

    /**
     * What a moderator can safely read of held post {@code id}: the decoded text of its first text part (an HTML part
     * as its visible text, never as HTML), cut at {@value #PREVIEW} characters; empty when the hold queue no longer
     * has the message or it has no text.
     */
    public Optional<String> preview(MailAddress list, long id) {
        Optional<HeldPost> post = heldPosts.findHeld(lists.getList(list).id(), id);
        if (post.isEmpty()) {
            return Optional.empty();
        }
        Optional<Mail> mail;
        try {
            mail = queue.get(post.get().mailKey());
        } catch (MessagingException e) {
            return Optional.empty();
        }
        if (mail.isEmpty()) {
            return Optional.empty();
        }
        try {
            return org.listkeeper.archive.Archiver.texts(mail.get().getMessage()).stream().findFirst()
                .map(text -> text.length() <= PREVIEW ? text : text.substring(0, PREVIEW) + "\u2026");
        } catch (MessagingException e) {
            return Optional.empty();
        } finally {
            LifecycleUtil.dispose(mail.get());
        }
    }

    private static Map<String, List<String>> headers(MimeMessage message) throws MessagingException {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        Enumeration<Header> all = message.getAllHeaders();
        while (all.hasMoreElements()) {
            Header header = all.nextElement();
            headers.computeIfAbsent(header.getName(), name -> new ArrayList<>()).add(header.getValue());
        }
        return headers;
    }

    /** The message as a moderator reads it: the raw text of its body, cut at {@value #MAX_TEXT} characters. */
    private static String text(MimeMessage message) throws MessagingException, IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        String raw = out.toString(StandardCharsets.UTF_8);
        int body = raw.indexOf("\r\n\r\n");
        String text = body < 0 ? "" : raw.substring(body + 4);
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "…";
    }

    /** A moderator's decision on held post {@code id}; of two decisions on one post exactly one is carried out. */
    public Moderation.Result decide(MailAddress list, long id, Moderation.Action action, String moderator, Optional<String> reason,
                                    Optional<Role> addSender) throws MessagingException {
        MailingList target = lists.getList(list);
        Moderation.Result result = moderation.decide(target, id, action, moderator, reason, addSender);
        // a refused decision (unknown post, already decided) calls for no notice
        notices.send(target, result.notices());
        return result;
    }
}
