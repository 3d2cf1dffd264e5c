package org.listkeeper.handlers;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeUtility;

import org.listkeeper.internal.MailSessions;

/**
 * Each member's copy of a personalized post, made from the post parsed once per batch: the footer goes into a
 * template as markers (each alone on its line, in a quoted-printable UTF-8 part), and a copy is the template's bytes
 * with the member's footer spliced in at the markers and the member's own header lines (one-click unsubscribe) in
 * front. A copy reads exactly as the post with the member's footer added by {@code footer}; no copy is parsed again.
 */
public final class PersonalCopies {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String[] MEMBER_HEADERS = {"List-Unsubscribe", "List-Unsubscribe-Post"};

    /** The template's bytes between the markers. */
    private final List<byte[]> pieces;
    /** Per marker: whether it stands in an HTML part. */
    private final List<Boolean> html;
    private final boolean eightBit;

    private PersonalCopies(List<byte[]> pieces, List<Boolean> html, boolean eightBit) {
        this.pieces = pieces;
        this.html = html;
        this.eightBit = eightBit;
    }

    /**
     * The template of {@code post}'s copies: with a place for each member's footer when {@code footer}, and without the
     * post's own one-click headers when {@code memberHeaders} (each copy brings its own).
     */
    public static PersonalCopies of(MimeMessage post, boolean footer, boolean memberHeaders, String postKey) throws MessagingException {
        MimeMessage template = new MimeMessage(MailSessions.shared(), new ByteArrayInputStream(bytes(post)));
        if (memberHeaders) {
            for (String header : MEMBER_HEADERS) {
                template.removeHeader(header);
            }
        }
        String id = Long.toHexString(RANDOM.nextLong() | Long.MIN_VALUE) + Long.toHexString(RANDOM.nextLong() | Long.MIN_VALUE);
        String textMarker = "LKFOOTERTEXT" + id;
        String htmlMarker = "LKFOOTERHTML" + id;
        if (footer) {
            Footer.apply(template, Footer.Decoration.template(textMarker, htmlMarker), postKey);
        }
        byte[] bytes = bytes(template);
        List<byte[]> pieces = new ArrayList<>();
        List<Boolean> html = new ArrayList<>();
        byte[] text = textMarker.getBytes(StandardCharsets.US_ASCII);
        byte[] markup = htmlMarker.getBytes(StandardCharsets.US_ASCII);
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            boolean isText = startsWith(bytes, i, text);
            if (isText || startsWith(bytes, i, markup)) {
                pieces.add(java.util.Arrays.copyOfRange(bytes, start, i));
                html.add(!isText);
                i += text.length - 1;
                start = i + 1;
            }
        }
        pieces.add(java.util.Arrays.copyOfRange(bytes, start, bytes.length));
        return new PersonalCopies(pieces, html, hasEightBit(bytes));
    }

    /** Whether the copies carry 8-bit bytes (an 8-bit body the post came with): {@code BODY=8BITMIME} where offered. */
    public boolean eightBit() {
        return eightBit;
    }

    /** How many footer places the template has (0 when the post could not take a footer). */
    public int footerPlaces() {
        return html.size();
    }

    /**
     * One member's copy: {@code headerLines} (each {@code Name: value}, already folded and encoded) in front, the
     * member's {@code footer} at each marker.
     */
    public byte[] render(List<String> headerLines, String footer) {
        ByteArrayOutputStream copy = new ByteArrayOutputStream(pieces.stream().mapToInt(piece -> piece.length).sum() + 1024);
        for (String line : headerLines) {
            copy.writeBytes(line.getBytes(StandardCharsets.UTF_8));
            copy.writeBytes(new byte[] {'\r', '\n'});
        }
        String text = footer.strip();
        byte[] plain = null;
        byte[] markup = null;
        for (int i = 0; i < pieces.size(); i++) {
            copy.writeBytes(pieces.get(i));
            if (i < html.size()) {
                if (html.get(i)) {
                    markup = markup != null ? markup : quotedPrintable(Footer.Decoration.html(text));
                    copy.writeBytes(markup);
                } else {
                    plain = plain != null ? plain : quotedPrintable(text);
                    copy.writeBytes(plain);
                }
            }
        }
        return copy.toByteArray();
    }

    private static byte[] quotedPrintable(String text) {
        ByteArrayOutputStream encoded = new ByteArrayOutputStream(text.length() + 64);
        try (OutputStream qp = MimeUtility.encode(encoded, "quoted-printable")) {
            qp.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException | MessagingException e) {
            throw new IllegalStateException("Quoted-printable encoding failed in memory", e);
        }
        return encoded.toByteArray();
    }

    private static byte[] bytes(MimeMessage message) throws MessagingException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            message.writeTo(bytes);
        } catch (IOException e) {
            throw new MessagingException("Cannot read the post to make its copies", e);
        }
        return bytes.toByteArray();
    }

    private static boolean startsWith(byte[] bytes, int at, byte[] prefix) {
        if (at + prefix.length > bytes.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code bytes} hold 8-bit data (a message to send with {@code BODY=8BITMIME} where offered). */
    public static boolean hasEightBit(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return true;
            }
        }
        return false;
    }
}
