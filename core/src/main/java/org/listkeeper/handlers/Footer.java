package org.listkeeper.handlers;

import org.listkeeper.pipeline.PostLedger;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UnsupportedEncodingException;
import java.nio.charset.Charset;
import java.util.Enumeration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.mail.BodyPart;
import javax.mail.MessagingException;
import javax.mail.Part;
import javax.mail.internet.ContentType;
import javax.mail.internet.InternetHeaders;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import javax.mail.internet.MimePart;

import org.listkeeper.internal.Html;
import org.listkeeper.internal.RawBodyPart;
import org.listkeeper.list.FooterTemplate;
import org.listkeeper.pipeline.Handler;
import org.listkeeper.pipeline.HandlerResult;
import org.listkeeper.pipeline.PostContext;
import org.listkeeper.pipeline.PostProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds the list footer without breaking the message: a plain-text body gets it appended in its own
 * charset (UTF-8 when that charset cannot carry it), an HTML body before {@code </body>},
 * {@code multipart/alternative} in both its text and HTML parts, {@code multipart/mixed} a footer part
 * at the end. Signed or encrypted content, and anything the handler cannot safely edit, is left
 * byte-for-byte as it was and wrapped in a {@code multipart/mixed} with the footer as a second part. A
 * body that does not parse as MIME is delivered exactly as it came, without footer.
 */
final class Footer implements Handler {
    static final String NAME = "footer";

    private final PostLedger posts;

    Footer(PostLedger posts) {
        this.posts = java.util.Objects.requireNonNull(posts);
    }
    private static final Logger LOGGER = LoggerFactory.getLogger(Footer.class);
    private static final Pattern BODY_END = Pattern.compile("</body\\s*>", Pattern.CASE_INSENSITIVE);
    private static final String[] CONTENT_HEADERS = {"Content-Type", "Content-Transfer-Encoding", "Content-Disposition",
        "Content-Description", "Content-ID", "Content-Language", "Content-MD5", "Content-Location"};

    /** How a part was dealt with. */
    private enum Outcome { DECORATED, UNTOUCHABLE }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Adds the list footer, MIME-aware: text and HTML bodies, alternatives, mixed; signed or encrypted content wrapped, never edited";
    }

    @Override
    public HandlerResult handle(PostContext post) throws MessagingException {
        FanOut.Mode mode = FanOut.mode(posts, post);
        // fan-out keeps to this decision even if the list's delivery setting changes before it runs
        PostProgress.set(post.mail(), PostProgress.FANOUT_MODE, mode.value());
        if (mode == FanOut.Mode.PERSONALIZED) {
            // fan-out gives every member's copy its own footer
            return HandlerResult.proceed();
        }
        apply(post.mail().getMessage(), FooterTemplate.render(post.list()), post.postKey());
        return HandlerResult.proceed();
    }

    /** Adds {@code footer} (when not blank) to {@code message}, keeping its Message-ID. */
    static void apply(MimeMessage message, String footer, String postKey) throws MessagingException {
        String text = footer.strip();
        if (text.isEmpty()) {
            return;
        }
        apply(message, Decoration.of(text), postKey);
    }

    /** Adds {@code decoration} to {@code message}, keeping its Message-ID. */
    static void apply(MimeMessage message, Decoration text, String postKey) throws MessagingException {
        String messageId = message.getHeader("Message-ID", null);
        try {
            if (!MimeCheck.parses(message)) {
                // mime-check was not in this post's pipeline: editing the body would only make later copies fail
                LOGGER.info("No footer on post {}: its body does not parse as MIME", postKey);
                return;
            }
            if (decorate(message, text) == Outcome.UNTOUCHABLE) {
                wrap(message, text);
            }
        } catch (IOException e) {
            throw new MessagingException("Cannot read the post's body to add the footer", e);
        }
        message.saveChanges();
        // javax.mail invents a new Message-ID on saveChanges(); the post keeps the one it came with
        if (messageId != null && !messageId.equals(message.getHeader("Message-ID", null))) {
            message.setHeader("Message-ID", messageId);
        }
    }

    private static Outcome decorate(MimePart part, Decoration footer) throws MessagingException, IOException {
        if (isAttachment(part) || isSignedOrEncrypted(part)) {
            return Outcome.UNTOUCHABLE;
        }
        if (part.isMimeType("text/plain")) {
            return appendText(part, footer);
        }
        if (part.isMimeType("text/html")) {
            return appendHtml(part, footer);
        }
        if (part.isMimeType("multipart/mixed")) {
            Object content = part.getContent();
            if (!(content instanceof MimeMultipart)) {
                return Outcome.UNTOUCHABLE;
            }
            MimeMultipart mixed = (MimeMultipart) content;
            mixed.addBodyPart(footerPart(footer));
            part.setContent(mixed);
            return Outcome.DECORATED;
        }
        if (part.isMimeType("multipart/alternative")) {
            Object content = part.getContent();
            if (!(content instanceof MimeMultipart)) {
                return Outcome.UNTOUCHABLE;
            }
            MimeMultipart alternative = (MimeMultipart) content;
            boolean decorated = false;
            for (int i = 0; i < alternative.getCount(); i++) {
                decorated |= decorateAlternative((MimeBodyPart) alternative.getBodyPart(i), footer);
            }
            if (!decorated) {
                return Outcome.UNTOUCHABLE;
            }
            part.setContent(alternative);
            return Outcome.DECORATED;
        }
        return Outcome.UNTOUCHABLE;
    }

    /** One alternative: text and HTML directly, or the HTML root of a multipart/related. */
    private static boolean decorateAlternative(MimeBodyPart part, Decoration footer) throws MessagingException, IOException {
        if (isAttachment(part) || isSignedOrEncrypted(part)) {
            return false;
        }
        if (part.isMimeType("text/plain")) {
            return appendText(part, footer) == Outcome.DECORATED;
        }
        if (part.isMimeType("text/html")) {
            return appendHtml(part, footer) == Outcome.DECORATED;
        }
        if (part.isMimeType("multipart/related") && part.getContent() instanceof MimeMultipart) {
            MimeMultipart related = (MimeMultipart) part.getContent();
            if (related.getCount() > 0 && related.getBodyPart(0).isMimeType("text/html")
                && appendHtml((MimePart) related.getBodyPart(0), footer) == Outcome.DECORATED) {
                part.setContent(related);
                return true;
            }
        }
        return false;
    }

    private static Outcome appendText(MimePart part, Decoration footer) throws MessagingException, IOException {
        String text = textOf(part);
        if (text == null) {
            return Outcome.UNTOUCHABLE;
        }
        String separator = text.isEmpty() || text.endsWith("\n") ? "" : "\n";
        setText(part, text + separator + footer.text + "\n", footer.template);
        return Outcome.DECORATED;
    }

    private static Outcome appendHtml(MimePart part, Decoration footer) throws MessagingException, IOException {
        String html = textOf(part);
        if (html == null) {
            return Outcome.UNTOUCHABLE;
        }
        String block = footer.html;
        Matcher end = BODY_END.matcher(html);
        int at = -1;
        while (end.find()) {
            at = end.start();
        }
        String decorated = at >= 0 ? html.substring(0, at) + block + "\n" + html.substring(at) : html + "\n" + block + "\n";
        setText(part, decorated, footer.template);
        return Outcome.DECORATED;
    }

    /** The decoded text of a part, or null when its charset or encoding cannot be read. */
    private static String textOf(MimePart part) throws MessagingException, IOException {
        try {
            Object content = part.getContent();
            return content instanceof String ? (String) content : null;
        } catch (UnsupportedEncodingException | javax.mail.internet.ParseException e) {
            LOGGER.info("Leaving a {} part untouched: {}", part.getContentType(), e.getMessage());
            return null;
        }
    }

    /** Replaces a text part's content, in its charset when that can carry the new text, else in UTF-8. */
    private static void setText(MimePart part, String text, boolean template) throws MessagingException {
        ContentType type = new ContentType(part.getContentType());
        if (template) {
            type.setParameter("charset", "UTF-8");
            part.setContent(text, type.toString());
            part.setHeader("Content-Transfer-Encoding", "quoted-printable");
            return;
        }
        String charset = type.getParameter("charset");
        if (charset == null || !canEncode(charset, text)) {
            charset = canEncode("us-ascii", text) ? "us-ascii" : "UTF-8";
        }
        type.setParameter("charset", charset);
        part.setContent(text, type.toString());
        part.removeHeader("Content-Transfer-Encoding");
    }

    private static boolean canEncode(String charset, String text) {
        try {
            return Charset.forName(charset).newEncoder().canEncode(text);
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            return false;
        }
    }

    /**
     * Makes the body as it is (headers and raw bytes, untouched) the first part of a new
     * {@code multipart/mixed}, and the footer the second.
     */
    private static void wrap(MimeMessage message, Decoration footer) throws MessagingException, IOException {
        InternetHeaders headers = new InternetHeaders();
        Enumeration<String> lines = message.getMatchingHeaderLines(CONTENT_HEADERS);
        boolean hasType = false;
        boolean hasEncoding = false;
        while (lines.hasMoreElements()) {
            String line = lines.nextElement();
            String lower = line.toLowerCase(Locale.ROOT);
            hasType |= lower.startsWith("content-type:");
            hasEncoding |= lower.startsWith("content-transfer-encoding:");
            headers.addHeaderLine(line);
        }
        if (!hasType) {
            headers.addHeaderLine("Content-Type: text/plain; charset=us-ascii");
        }
        byte[] body = readAll(message.getRawInputStream());
        if (!hasEncoding) {
            // an explicit encoding makes javax.mail copy the raw bytes instead of re-serialising them
            headers.addHeaderLine("Content-Transfer-Encoding: " + (isSevenBit(body) ? "7bit" : "8bit"));
        }
        MimeBodyPart original = new RawBodyPart(headers, body);
        MimeMultipart mixed = new MimeMultipart("mixed");
        mixed.addBodyPart(original);
        mixed.addBodyPart(footerPart(footer));
        for (String header : CONTENT_HEADERS) {
            message.removeHeader(header);
        }
        message.setContent(mixed);
    }

    private static BodyPart footerPart(Decoration footer) throws MessagingException {
        MimeBodyPart part = new MimeBodyPart();
        if (footer.template) {
            part.setText(footer.text + "\n", "UTF-8");
            part.setHeader("Content-Transfer-Encoding", "quoted-printable");
        } else {
            part.setText(footer.text + "\n", canEncode("us-ascii", footer.text) ? "us-ascii" : "UTF-8");
        }
        part.setDisposition(Part.INLINE);
        part.setDescription("List footer");
        return part;
    }

    /**
     * The footer as a plain-text tail and as an HTML block. A template's are markers, each alone on its line in a
     * quoted-printable UTF-8 part, so that each member's footer can be spliced in without parsing the message again.
     */
    static final class Decoration {
        private final String text;
        private final String html;
        private final boolean template;

        private Decoration(String text, String html, boolean template) {
            this.text = text;
            this.html = html;
            this.template = template;
        }

        static Decoration of(String footer) {
            return new Decoration(footer, "<div class=\"listkeeper-footer\">" + html(footer) + "</div>", false);
        }

        static Decoration template(String textMarker, String htmlMarker) {
            return new Decoration(textMarker, "\n<div class=\"listkeeper-footer\">\n" + htmlMarker + "\n</div>", true);
        }

        /** The footer as the HTML block shows it. */
        static String html(String footer) {
            return Html.escape(footer).replace("\n", "<br>\n");
        }
    }

    private static boolean isAttachment(Part part) throws MessagingException {
        String disposition;
        try {
            disposition = part.getDisposition();
        } catch (javax.mail.internet.ParseException e) {
            return true;
        }
        return Part.ATTACHMENT.equalsIgnoreCase(disposition);
    }

    private static boolean isSignedOrEncrypted(Part part) throws MessagingException {
        return part.isMimeType("multipart/signed") || part.isMimeType("multipart/encrypted")
            || part.isMimeType("application/pkcs7-mime") || part.isMimeType("application/x-pkcs7-mime")
            || part.isMimeType("application/pgp-encrypted");
    }

    private static boolean isSevenBit(byte[] body) {
        for (byte b : body) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    private static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        }
    }
}
