package org.listkeeper.handlers;

import java.util.Optional;
import java.util.Objects;
import java.net.URI;
import java.io.UnsupportedEncodingException;
import java.util.List;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeUtility;

import org.listkeeper.list.MailingList;
import org.listkeeper.pipeline.Handler;
import org.listkeeper.pipeline.HandlerResult;
import org.listkeeper.pipeline.PostContext;

/**
 * Adds the RFC 2919 {@code List-Id} and RFC 2369 {@code List-*} headers (replacing any the post brought),
 * {@code Precedence: list}, and the {@code X-BeenThere} loop marker; discards a post that already carries
 * this list's marker, because it has been through the list before.
 */
final class ListHeaders implements Handler {
    static final String NAME = "list-headers";
    static final String LOOP_HEADER = "X-BeenThere";
    private static final List<String> REPLACED = List.of("List-Id", "List-Post", "List-Help", "List-Subscribe",
        "List-Unsubscribe", "List-Unsubscribe-Post", "List-Owner", "List-Archive", "Precedence");

    private final Optional<URI> publicBaseUrl;

    /** {@code publicBaseUrl}: where the public pages are, for the default {@code List-Archive}. */
    ListHeaders(Optional<URI> publicBaseUrl) {
        this.publicBaseUrl = Objects.requireNonNull(publicBaseUrl);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Adds List-Id and the RFC 2369 List-* headers, Precedence: list and a loop marker; discards looping posts";
    }

    @Override
    public HandlerResult handle(PostContext post) throws MessagingException {
        MimeMessage message = post.mail().getMessage();
        MailingList list = post.list();
        String listAddress = list.address().asString();
        String[] markers = message.getHeader(LOOP_HEADER);
        if (markers != null) {
            for (String marker : markers) {
                if (marker.strip().equalsIgnoreCase(listAddress)) {
                    return HandlerResult.discard("mail loop: the post already went through " + listAddress);
                }
            }
        }
        addTo(message, list, publicBaseUrl);
        return HandlerResult.proceed();
    }

    /**
     * Puts the list's headers on {@code message}, replacing any it had: List-Id, the RFC 2369 List-* headers,
     * {@code Precedence: list} and the loop marker. For posts, and for the list's own mail such as digests.
     */
    static void addTo(MimeMessage message, MailingList list, Optional<URI> publicBaseUrl) throws MessagingException {
        String listAddress = list.address().asString();
        for (String header : REPLACED) {
            message.removeHeader(header);
        }
        message.addHeader("List-Id", listIdHeader(list));
        message.addHeader("List-Post", "<mailto:" + listAddress + ">");
        message.addHeader("List-Help", "<mailto:" + list.requestAddress().asString() + "?subject=help>");
        message.addHeader("List-Subscribe", "<mailto:" + list.joinAddress().asString() + ">");
        message.addHeader("List-Unsubscribe", "<mailto:" + list.leaveAddress().asString() + ">");
        message.addHeader("List-Owner", "<mailto:" + list.ownerAddress().asString() + ">");
        Optional<String> archive = list.archiveUrl().filter(url -> !url.isEmpty())
            .or(() -> ArchiveHandler.archivePage(publicBaseUrl, list));
        if (archive.isPresent()) {
            message.addHeader("List-Archive", "<" + archive.get() + ">");
        }
        message.addHeader("Precedence", "list");
        message.addHeader(LOOP_HEADER, listAddress);
    }

    static String listIdHeader(MailingList list) {
        String name = list.displayName();
        String phrase;
        if (name.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            phrase = name.matches("[A-Za-z0-9!#$%&'*+/=?^_`{|}~ -]*") ? name : "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        } else {
            try {
                phrase = MimeUtility.encodeWord(name, "UTF-8", "Q");
            } catch (UnsupportedEncodingException e) {
                throw new IllegalStateException("UTF-8 is missing from this JVM", e);
            }
        }
        return phrase + " <" + list.listId() + ">";
    }
}
