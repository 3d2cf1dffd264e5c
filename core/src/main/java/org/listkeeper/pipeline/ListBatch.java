package org.listkeeper.pipeline;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;

/**
 * What a fan-out batch mail carries for list delivery besides the post and its recipients: how it is sent, and per
 * member (in the order of the mail's recipients) the envelope sender, the header lines of the member's own copy and
 * the member's footer. All of it in attributes of plain types, which every James queue keeps.
 */
public final class ListBatch {
    /** {@code bulk}, {@code verp} or {@code personalized}. */
    public static final AttributeName MODE = AttributeName.of("listkeeper.batch-mode");
    /** The members the per-member lists are for, in their order (the mail's recipients may lose some on the way). */
    public static final AttributeName MEMBERS = AttributeName.of("listkeeper.batch-members");
    public static final AttributeName ENVELOPES = AttributeName.of("listkeeper.batch-envelopes");
    public static final AttributeName HEADERS = AttributeName.of("listkeeper.batch-headers");
    public static final AttributeName FOOTERS = AttributeName.of("listkeeper.batch-footers");
    /** The delivery attempt, from 0; each retry of the deferred recipients is the next. */
    public static final AttributeName ATTEMPT = AttributeName.of("listkeeper.batch-attempt");

    /** How a batch leaves. */
    public enum Mode {
        /** One message, all recipients, from the list's bounce address. */
        BULK,
        /** One message, each member from its own VERP address. */
        VERP,
        /** Each member's own copy (headers, footer) from its own VERP address. */
        PERSONALIZED;

        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Mode parse(String value) {
            try {
                return valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Unknown batch mode '" + value + "'", e);
            }
        }
    }

    private ListBatch() {
    }

    /** The attributes of a batch sent in {@code mode} with these per-member values (empty lists when not used). */
    public static List<Attribute> attributes(Mode mode, List<String> members, List<String> envelopes, List<String> headers,
                                             List<String> footers) {
        List<Attribute> attributes = new ArrayList<>();
        attributes.add(new Attribute(MODE, AttributeValue.of(mode.value())));
        if (!members.isEmpty()) {
            attributes.add(new Attribute(MEMBERS, strings(members)));
        }
        if (!envelopes.isEmpty()) {
            attributes.add(new Attribute(ENVELOPES, strings(envelopes)));
        }
        if (!headers.isEmpty()) {
            attributes.add(new Attribute(HEADERS, strings(headers)));
        }
        if (!footers.isEmpty()) {
            attributes.add(new Attribute(FOOTERS, strings(footers)));
        }
        return attributes;
    }

    private static AttributeValue<?> strings(Collection<String> values) {
        List<AttributeValue<?>> list = new ArrayList<>(values.size());
        for (String value : values) {
            list.add(AttributeValue.of(value));
        }
        return AttributeValue.of(list);
    }

    /** The batch's mode; empty for mail that is not a list batch for list delivery. */
    public static Optional<Mode> mode(Mail mail) {
        if (PostProgress.string(mail, PostProgress.BATCH).isEmpty() || PostProgress.number(mail, PostProgress.LIST_ID).isEmpty()) {
            return Optional.empty();
        }
        return PostProgress.string(mail, MODE).map(Mode::parse);
    }

    /** A per-member list attribute; empty when the batch has none. */
    public static List<String> strings(Mail mail, AttributeName name) {
        Optional<Attribute> attribute = mail.getAttribute(name);
        if (attribute.isEmpty() || !(attribute.get().getValue().value() instanceof Collection)) {
            return List.of();
        }
        List<String> values = new ArrayList<>();
        for (Object value : (Collection<?>) attribute.get().getValue().value()) {
            values.add(String.valueOf(value instanceof AttributeValue ? ((AttributeValue<?>) value).value() : value));
        }
        return values;
    }

    public static int attempt(Mail mail) {
        return PostProgress.number(mail, ATTEMPT).map(Long::intValue).orElse(0);
    }

    public static void setAttempt(Mail mail, int attempt) {
        mail.setAttribute(new Attribute(ATTEMPT, AttributeValue.of(attempt)));
    }
}
