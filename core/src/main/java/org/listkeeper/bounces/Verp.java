package org.listkeeper.bounces;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

import javax.mail.internet.AddressException;

import org.apache.james.core.MailAddress;
import org.listkeeper.list.Addresses;
import org.listkeeper.list.MailingList;

/**
 * Variable envelope return paths, as GNU Mailman writes them: a member's copy is sent from
 * {@code list-bounces+alice=example.com@lists.example.org}, so a bounce names the member whatever the remote
 * server puts in it. A local part longer than RFC 5321's 64 characters is replaced by an opaque token kept in the
 * list store ({@code list-bounces+t-TOKEN@}). The two cannot be confused: a readable detail always holds the
 * {@code =} between local part and domain, and a token (lower-case letters and digits) never does, so a member
 * such as {@code t-rex@example.com} ({@code list-bounces+t-rex=example.com@}) is read as the address it is.
 */
public final class Verp {
    /** RFC 5321: the longest local part every server must accept. */
    public static final int MAX_LOCAL_PART = 64;
    private static final String TOKEN_PREFIX = "t-";

    private Verp() {
    }

    /** The envelope sender of {@code member}'s copy of a post to {@code list}. */
    public static MailAddress envelope(BounceRecords bounceRecords, MailingList list, MailAddress member, Instant now) {
        String bounces = list.bouncesAddress().getLocalPart();
        String readable = bounces + "+" + member.getLocalPart() + "=" + member.getDomain().asString();
        if (readable.length() <= MAX_LOCAL_PART && !member.getLocalPart().contains("\"")) {
            try {
                return new MailAddress(readable, list.address().getDomain());
            } catch (AddressException e) {
                // a local part that is not valid inside ours: use a token
            }
        }
        String token = bounces + "+" + TOKEN_PREFIX + bounceRecords.verpToken(list.id(), member, now);
        try {
            return new MailAddress(token, list.address().getDomain());
        } catch (AddressException e) {
            throw new IllegalStateException("Cannot build the VERP address " + token, e);
        }
    }

    /** The member a VERP detail ({@code alice=example.com} or {@code t-TOKEN}) stands for on {@code list}. */
    public static Optional<MailAddress> member(BounceRecords bounceRecords, MailingList list, String detail) {
        int equals = detail.lastIndexOf('=');
        if (equals < 0) {
            return detail.toLowerCase(Locale.ROOT).startsWith(TOKEN_PREFIX) && detail.length() > TOKEN_PREFIX.length()
                ? bounceRecords.verpAddress(list.id(), detail.substring(TOKEN_PREFIX.length())).flatMap(Verp::address)
                : Optional.empty();
        }
        if (equals == 0 || equals == detail.length() - 1) {
            return Optional.empty();
        }
        return address(detail.substring(0, equals) + "@" + detail.substring(equals + 1));
    }

    private static Optional<MailAddress> address(String text) {
        try {
            return Optional.of(Addresses.parse("VERP address", text));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
