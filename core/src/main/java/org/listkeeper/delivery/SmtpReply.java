package org.listkeeper.delivery;

import java.util.List;
import java.util.Objects;

/** One reply of an SMTP server: its three-digit code and its text lines. */
public final class SmtpReply {
    private final int code;
    private final List<String> lines;

    private SmtpReply(int code, List<String> lines) {
        this.code = code;
        this.lines = List.copyOf(lines);
    }

    public static SmtpReply of(int code, List<String> lines) {
        if (code < 100 || code > 599) {
            throw new IllegalArgumentException("Not an SMTP reply code: " + code);
        }
        return new SmtpReply(code, lines);
    }

    /** A reply Listkeeper makes up for what the server never answered (a dropped connection, a timeout). */
    static SmtpReply local(int code, String text) {
        return new SmtpReply(code, List.of(text));
    }

    public int code() {
        return code;
    }

    public boolean positive() {
        return code >= 200 && code < 400;
    }

    public boolean transientFailure() {
        return code >= 400 && code < 500;
    }

    public boolean permanentFailure() {
        return code >= 500;
    }

    /** The reply as one line, as a bounce log or a log line shows it: {@code 550 5.1.1 no such user}. */
    public String text() {
        return code + " " + String.join(" ", lines);
    }

    List<String> lines() {
        return lines;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SmtpReply && ((SmtpReply) o).code == code && ((SmtpReply) o).lines.equals(lines);
    }

    @Override
    public int hashCode() {
        return Objects.hash(code, lines);
    }

    @Override
    public String toString() {
        return text();
    }
}
