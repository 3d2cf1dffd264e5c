package org.listkeeper.handlers;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;

import javax.mail.MessagingException;
import javax.mail.Part;
import javax.mail.internet.ContentType;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;

import org.listkeeper.pipeline.Handler;
import org.listkeeper.pipeline.HandlerResult;
import org.listkeeper.pipeline.PostContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a post whose MIME structure does not parse (a multipart without its boundaries, say) safe to
 * handle: any later header edit makes James re-parse the whole structure when it copies the mail, which
 * would fail in the transport. The body bytes are kept; its Content-Type becomes {@code text/plain} (or
 * {@code application/octet-stream} for 8-bit data) and the original one is kept in
 * {@value #ORIGINAL_CONTENT_TYPE}.
 */
public final class MimeCheck implements Handler {
    static final String NAME = "mime-check";
    public static final String ORIGINAL_CONTENT_TYPE = "X-Listkeeper-Original-Content-Type";
    private static final Logger LOGGER = LoggerFactory.getLogger(MimeCheck.class);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Relabels a post whose MIME structure does not parse so that it can still be delivered, bytes intact";
    }

    @Override
    public HandlerResult handle(PostContext post) throws MessagingException {
        if (repair(post.mail().getMessage())) {
            LOGGER.info("Post {} does not parse as MIME: delivered as {}, original type kept in {}", post.postKey(),
                post.mail().getMessage().getContentType(), ORIGINAL_CONTENT_TYPE);
        }
        return HandlerResult.proceed();
    }

    /** Relabels {@code message} when its MIME tree does not parse; true when it did. */
    public static boolean repair(MimeMessage message) throws MessagingException {
        if (parses(message)) {
            return false;
        }
        String original = message.getHeader("Content-Type", null);
        boolean sevenBit;
        try (InputStream body = message.getRawInputStream()) {
            sevenBit = isSevenBit(body);
        } catch (IOException e) {
            throw new MessagingException("Cannot read the body of a post that does not parse as MIME", e);
        }
        if (original != null) {
            message.setHeader(ORIGINAL_CONTENT_TYPE, original.replaceAll("[\\r\\n]+\\s*", " "));
        }
        message.setHeader("Content-Type", sevenBit ? "text/plain; charset=us-ascii" : "application/octet-stream");
        return true;
    }

    /**
     * Whether the message's MIME tree parses. The live message is never parsed (javax.mail would cache a
     * half-parsed structure in it); a multipart body is probed on a throw-away copy of its bytes.
     */
    static boolean parses(MimeMessage message) {
        try {
            String type = message.getHeader("Content-Type", null);
            if (type == null) {
                return true;
            }
            if (!new ContentType(type).match("multipart/*")) {
                return true;
            }
            StringBuilder headers = new StringBuilder("Content-Type: ").append(type).append("\r\n");
            String encoding = message.getHeader("Content-Transfer-Encoding", null);
            if (encoding != null) {
                headers.append("Content-Transfer-Encoding: ").append(encoding).append("\r\n");
            }
            headers.append("\r\n");
            try (InputStream body = message.getRawInputStream();
                 InputStream probe = new SequenceInputStream(
                     new ByteArrayInputStream(headers.toString().getBytes(StandardCharsets.ISO_8859_1)), body)) {
                return partParses(new MimeBodyPart(probe));
            }
        } catch (MessagingException | IOException | RuntimeException e) {
            LOGGER.debug("Body does not parse as MIME: {}", e.getMessage());
            return false;
        }
    }

    private static boolean partParses(Part part) {
        try {
            if (part.isMimeType("multipart/*")) {
                Object content = part.getContent();
                if (!(content instanceof MimeMultipart)) {
                    return false;
                }
                MimeMultipart multipart = (MimeMultipart) content;
                for (int i = 0; i < multipart.getCount(); i++) {
                    if (!partParses(multipart.getBodyPart(i))) {
                        return false;
                    }
                }
            }
            part.getContentType();
            part.getDisposition();
            return true;
        } catch (MessagingException | IOException | RuntimeException e) {
            LOGGER.debug("Body does not parse as MIME: {}", e.getMessage());
            return false;
        }
    }

    private static boolean isSevenBit(InputStream body) throws IOException {
        byte[] buffer = new byte[8192];
        int read;
        while ((read = body.read(buffer)) > 0) {
            for (int i = 0; i < read; i++) {
                if (buffer[i] < 0) {
                    return false;
                }
            }
        }
        return true;
    }
}
