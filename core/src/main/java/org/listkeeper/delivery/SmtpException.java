package org.listkeeper.delivery;

import java.io.IOException;

/**
 * A connection to an SMTP server that cannot be used (refused, dropped, timed out, a greeting or {@code EHLO} refused,
 * {@code STARTTLS} required but not offered): every recipient it was to carry is tried again later. Carries the reply
 * to record against them.
 */
public final class SmtpException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient SmtpReply reply;

    SmtpException(SmtpReply reply, String message) {
        super(message);
        this.reply = reply;
    }

    SmtpException(SmtpReply reply, String message, Throwable cause) {
        super(message, cause);
        this.reply = reply;
    }

    /** A destination that cannot be reached now (DNS failing, no address): its recipients wait for the next attempt. */
    public static SmtpException unreachable(String destination, Throwable cause) {
        String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new SmtpException(SmtpReply.local(451, "4.4.3 " + destination + " cannot be reached now: " + why),
            destination + " cannot be reached now: " + why, cause);
    }

    /** What to record for the recipients that did not get through: the server's reply, or one Listkeeper made up. */
    public SmtpReply reply() {
        return reply;
    }
}
