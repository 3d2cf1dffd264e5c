package org.listkeeper.handlers;

import java.io.UnsupportedEncodingException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeUtility;

import org.listkeeper.pipeline.Handler;
import org.listkeeper.pipeline.HandlerResult;
import org.listkeeper.pipeline.PostContext;

/**
 * Puts the list's prefix in front of the subject exactly once: earlier copies of the prefix and stacked
 * reply markers are folded, so {@code Re: [team] Re: [team] hi} becomes {@code Re: [team] hi}. Encoded
 * (RFC 2047) subjects are decoded first and re-encoded in UTF-8 only when needed.
 */
final class SubjectPrefix implements Handler {
    static final String NAME = "subject-prefix";
    static final String NO_SUBJECT = "(no subject)";
    private static final Pattern REPLY_MARKER = Pattern.compile("^(re|aw|sv|antw|vs|odp)(\\[\\d+\\]|\\^\\d+)?\\s*:\\s*",
        Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Prefixes the subject with the list's subject prefix, once, folding stacked Re: markers";
    }

    @Override
    public HandlerResult handle(PostContext post) throws MessagingException {
        String prefix = post.list().subjectPrefix().strip();
        if (prefix.isEmpty()) {
            return HandlerResult.proceed();
        }
        MimeMessage message = post.mail().getMessage();
        String raw = message.getHeader("Subject", null);
        String subject = raw == null ? "" : decode(raw);
        String prefixed = prefix(subject, prefix);
        if (!prefixed.equals(subject)) {
            message.setSubject(prefixed, "UTF-8");
        }
        return HandlerResult.proceed();
    }

    static String decode(String raw) {
        String unfolded = MimeUtility.unfold(raw);
        try {
            return MimeUtility.decodeText(unfolded);
        } catch (UnsupportedEncodingException e) {
            // an unknown charset in an encoded word: keep the text as it came rather than lose the post
            return unfolded;
        }
    }

    /** The subject with {@code prefix} exactly once, after at most one reply marker. */
    static String prefix(String subject, String prefix) {
        String rest = removeAll(subject.replaceAll("\\s+", " ").strip(), prefix);
        boolean reply = false;
        boolean changed = true;
        while (changed) {
            changed = false;
            Matcher marker = REPLY_MARKER.matcher(rest);
            if (marker.find()) {
                reply = true;
                rest = rest.substring(marker.end()).strip();
                changed = true;
            }
        }
        if (rest.isEmpty()) {
            rest = NO_SUBJECT;
        }
        return (reply ? "Re: " : "") + prefix + " " + rest;
    }

    private static String removeAll(String subject, String prefix) {
        StringBuilder result = new StringBuilder(subject.length());
        int at = 0;
        while (at < subject.length()) {
            if (subject.regionMatches(true, at, prefix, 0, prefix.length())) {
                at += prefix.length();
                while (at < subject.length() && subject.charAt(at) == ' ') {
                    at++;
                }
            } else {
                result.append(subject.charAt(at++));
            }
        }
        return result.toString().replaceAll("\\s+", " ").strip();
    }
}
