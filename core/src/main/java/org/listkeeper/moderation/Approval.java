package org.listkeeper.moderation;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.mail.BodyPart;
import javax.mail.MessagingException;
import javax.mail.Multipart;
import javax.mail.Part;
import javax.mail.internet.ContentType;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimePart;

/**
 * The moderator password a post may carry: an {@code Approved:} (or {@code Approve:}) header, or the same as the
 * first line of its first text part. {@link #extract} removes every such header and line, right or wrong, so that
 * a password never reaches the members.
 */
public final class Approval {
    private static final Pattern LINE = Pattern.compile("^\\s*approved?\\s*:\\s*(\\S.*?)\\s*$", Pattern.CASE_INSENSITIVE);

    private Approval() {
    }

    /** Removes the password headers and first line from {@code message}; answers the passwords found. */
    public static List<String> extract(MimeMessage message) throws MessagingException {
        List<String> candidates = new ArrayList<>();
        for (String header : List.of("Approved", "Approve")) {
            String[] values = message.getHeader(header);
            if (values != null) {
                candidates.addAll(Arrays.asList(values));
                message.removeHeader(header);
            }
        }
        candidates.addAll(removeFirstLine(message));
        if (!candidates.isEmpty()) {
            message.saveChanges();
        }
        return candidates;
    }

    /** Whether one of {@code candidates} is the password {@code stored} was made from. */
    public static boolean matches(String stored, List<String> candidates) {
        for (String candidate : candidates) {
            if (PasswordHash.matches(stored, candidate.strip())) {
                return true;
            }
        }
        return false;
    }

    private static List<String> removeFirstLine(MimeMessage message) throws MessagingException {
        Part text = firstText(message);
        if (!(text instanceof MimePart)) {
            return List.of();
        }
        String body;
        try {
            Object content = text.getContent();
            if (!(content instanceof String)) {
                return List.of();
            }
            body = (String) content;
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
        String[] lines = body.split("\r?\n", -1);
        int first = 0;
        while (first < lines.length && lines[first].isBlank()) {
            first++;
        }
        if (first == lines.length) {
            return List.of();
        }
        Matcher matcher = LINE.matcher(lines[first]);
        if (!matcher.matches()) {
            return List.of();
        }
        int next = first + 1;
        if (next < lines.length && lines[next].isBlank()) {
            next++; // the blank line after the password line goes with it
        }
        String rest = String.join("\n", Arrays.asList(lines).subList(next, lines.length));
        ContentType type = new ContentType(text.getContentType());
        String charset = type.getParameter("charset") == null ? "us-ascii" : type.getParameter("charset");
        ((MimePart) text).setText(rest, charset, type.getSubType());
        return List.of(matcher.group(1));
    }

    private static Part firstText(Part part) throws MessagingException {
        try {
            if (part.isMimeType("text/plain")) {
                return part;
            }
            if (part.isMimeType("multipart/mixed") || part.isMimeType("multipart/alternative")) {
                Object content = part.getContent();
                if (content instanceof Multipart && ((Multipart) content).getCount() > 0) {
                    BodyPart first = ((Multipart) content).getBodyPart(0);
                    return firstText(first);
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }
}
