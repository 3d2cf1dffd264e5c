package org.listkeeper.archive;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The mboxrd format (what Mailman 2's pipermail and Mailman 3's HyperKitty export, and what mail clients import): each
 * message after a {@code From sender date} line, every line of it that begins with {@code >*From } quoted with one more
 * {@code >}, a blank line after it. Reading also accepts mboxo files (a separator is a {@code From } line at the start
 * or after a blank line).
 */
public final class Mbox {
    private static final DateTimeFormatter ASCTIME = DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy", Locale.ROOT)
        .withZone(ZoneOffset.UTC);
    private static final Pattern QUOTED_FROM = Pattern.compile("^>*From ");
    private static final int MAX_MESSAGE = 64 * 1024 * 1024;

    private Mbox() {
    }

    /** Writes one message, its line ends as LF, after its separator line. */
    public static void write(OutputStream out, String envelopeSender, Instant date, byte[] message) throws IOException {
        String sender = envelopeSender == null || envelopeSender.isBlank() || envelopeSender.contains(" ") ? "MAILER-DAEMON" : envelopeSender;
        out.write(("From " + sender + " " + ASCTIME.format(date) + "\n").getBytes(StandardCharsets.US_ASCII));
        int start = 0;
        boolean endsWithNewline = false;
        for (int i = 0; i <= message.length; i++) {
            if (i == message.length || message[i] == '\n') {
                int end = i;
                if (end > start && message[end - 1] == '\r') {
                    end--;
                }
                if (i == message.length && start == message.length) {
                    break;
                }
                if (QUOTED_FROM.matcher(new String(message, start, Math.min(end - start, 64), StandardCharsets.ISO_8859_1)).find()) {
                    out.write('>');
                }
                out.write(message, start, end - start);
                out.write('\n');
                endsWithNewline = true;
                start = i + 1;
            }
        }
        if (!endsWithNewline) {
            out.write('\n');
        }
        out.write('\n');
    }

    /** What a reader hands over for each message of an mbox. */
    public interface Visitor {
        /** One message (line ends CRLF), and the line of the mbox its separator is on. */
        void message(long line, byte[] message) throws IOException;

        /** A message that is too big to keep, at {@code line}. */
        default void tooLarge(long line) throws IOException {
        }
    }

    /** How many messages {@code in} holds. */
    public static int count(InputStream in) throws IOException {
        int[] count = {0};
        read(in, new Visitor() {
            @Override
            public void message(long line, byte[] message) {
                count[0]++;
            }

            @Override
            public void tooLarge(long line) {
                count[0]++;
            }
        });
        return count[0];
    }

    /** Reads every message of {@code in}, in order. */
    public static void read(InputStream in, Visitor visitor) throws IOException {
        BufferedInputStream input = new BufferedInputStream(in, 64 * 1024);
        ByteArrayOutputStream current = null;
        long currentLine = 0;
        long lineNumber = 0;
        boolean previousBlank = true;
        boolean tooLarge = false;
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        int b;
        boolean eof = false;
        while (!eof) {
            line.reset();
            while ((b = input.read()) != -1 && b != '\n') {
                line.write(b);
            }
            eof = b == -1;
            if (eof && line.size() == 0) {
                break;
            }
            lineNumber++;
            byte[] bytes = line.toByteArray();
            int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
            boolean separator = previousBlank && startsWith(bytes, length, "From ");
            if (separator) {
                finish(current, currentLine, tooLarge, visitor);
                current = new ByteArrayOutputStream();
                currentLine = lineNumber;
                tooLarge = false;
                previousBlank = false;
                continue;
            }
            previousBlank = length == 0;
            if (current == null) {
                continue; // text before the first separator belongs to no message
            }
            if (tooLarge) {
                continue;
            }
            int offset = 0;
            if (length > 0 && bytes[0] == '>' && QUOTED_FROM.matcher(new String(bytes, 0, Math.min(length, 64), StandardCharsets.ISO_8859_1))
                .find()) {
                offset = 1;
            }
            current.write(bytes, offset, length - offset);
            current.write('\r');
            current.write('\n');
            if (current.size() > MAX_MESSAGE) {
                tooLarge = true;
            }
        }
        finish(current, currentLine, tooLarge, visitor);
    }

    private static void finish(ByteArrayOutputStream current, long line, boolean tooLarge, Visitor visitor) throws IOException {
        if (current == null) {
            return;
        }
        if (tooLarge) {
            visitor.tooLarge(line);
            return;
        }
        byte[] bytes = current.toByteArray();
        int end = bytes.length;
        // the blank line before the next separator belongs to the mbox, not to the message
        if (end >= 2 && bytes[end - 2] == '\r' && bytes[end - 1] == '\n') {
            end -= 2;
        }
        byte[] message = new byte[end];
        System.arraycopy(bytes, 0, message, 0, end);
        visitor.message(line, message);
    }

    private static boolean startsWith(byte[] bytes, int length, String prefix) {
        if (length < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (bytes[i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
