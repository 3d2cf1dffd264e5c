package org.listkeeper.pipeline;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;

/**
 * How far a post got, kept in mail attributes of plain types (String, Integer, List of String): the only
 * kinds every James queue and mail repository keeps.
 */
public final class PostProgress {
    public static final AttributeName LIST = AttributeName.of("listkeeper.list");
    public static final AttributeName POST_KEY = AttributeName.of("listkeeper.post-key");
    public static final AttributeName PIPELINE = AttributeName.of("listkeeper.pipeline");
    public static final AttributeName NEXT = AttributeName.of("listkeeper.next");
    public static final AttributeName ATTEMPTS = AttributeName.of("listkeeper.attempts");
    public static final AttributeName FAILED_HANDLER = AttributeName.of("listkeeper.failed-handler");
    public static final AttributeName ERROR = AttributeName.of("listkeeper.error");
    public static final AttributeName STACK_TRACE = AttributeName.of("listkeeper.stack-trace");
    public static final AttributeName PARKED_AT = AttributeName.of("listkeeper.parked-at");
    public static final AttributeName POST_NUMBER = AttributeName.of("listkeeper.post-number");
    /** On a fan-out batch: the list's store id (Long). */
    public static final AttributeName LIST_ID = AttributeName.of("listkeeper.list-id");
    /** Replies and notices waiting to be sent (List of String, each a recipient line and a message). */
    public static final AttributeName OUTBOX = AttributeName.of("listkeeper.outbox");
    /** On mail to a list's sub-address: that address as it was sent to (String). */
    public static final AttributeName RECIPIENT = AttributeName.of("listkeeper.recipient");
    /** On a fan-out batch: which batch of the post it is (String, stable across replays). */
    public static final AttributeName BATCH = AttributeName.of("listkeeper.batch");

    /**
     * The post's author as it came in (String), recorded before DMARC mitigation rewrites From, so the author's
     * receive-own-posts option still applies.
     */
    public static final AttributeName AUTHOR = AttributeName.of("listkeeper.author");
    /**
     * How the post will be fanned out (String: bulk, verp, personalized), recorded when {@code footer} decides
     * whether the post gets the list's footer or each copy its own, so a later change of the list's delivery
     * setting cannot give copies two footers or none.
     */
    public static final AttributeName FANOUT_MODE = AttributeName.of("listkeeper.fanout-mode");

    /**
     * On a post: true (Boolean) once the {@code digest} handler put it into a digest issue, so fan-out leaves out the
     * members who take digests (a post that was not put in an issue goes to every member).
     */
    public static final AttributeName DIGESTED = AttributeName.of("listkeeper.digested");
    /** On the mail that delivers a digest issue: the issue's store id (Long). */
    public static final AttributeName DIGEST_ISSUE = AttributeName.of("listkeeper.digest-issue");

    private PostProgress() {
    }

    /**
     * The attributes of a mail made to enter {@code list}'s pipeline as {@code pipeline} from its first handler, under
     * {@code postKey}: the host adds them to a mail it hands to the list processor (a digest issue to deliver).
     */
    public static List<Attribute> entering(MailAddress list, String postKey, List<String> pipeline) {
        List<AttributeValue<?>> names = new ArrayList<>();
        for (String name : pipeline) {
            names.add(AttributeValue.of(name));
        }
        return List.of(new Attribute(LIST, AttributeValue.of(list.asString())), new Attribute(POST_KEY, AttributeValue.of(postKey)),
            new Attribute(PIPELINE, AttributeValue.of(names)), new Attribute(NEXT, AttributeValue.of(0)));
    }

    /** A Boolean attribute; false when absent. */
    public static boolean flag(Mail mail, AttributeName name) {
        return mail.getAttribute(name).map(attribute -> Boolean.TRUE.equals(attribute.getValue().value())).orElse(false);
    }

    public static void setFlag(Mail mail, AttributeName name, boolean value) {
        mail.setAttribute(new Attribute(name, AttributeValue.of(value)));
    }

    /** The pipeline snapshot taken at first entry, if the post has entered before. */
    public static Optional<List<String>> pipeline(Mail mail) {
        return mail.getAttribute(PIPELINE).map(attribute -> {
            Object value = attribute.getValue().value();
            List<String> names = new ArrayList<>();
            if (value instanceof Collection) {
                for (Object element : (Collection<?>) value) {
                    names.add(String.valueOf(element instanceof AttributeValue ? ((AttributeValue<?>) element).value() : element));
                }
            }
            return names;
        });
    }

    static void setPipeline(Mail mail, List<String> names) {
        List<AttributeValue<?>> values = new ArrayList<>();
        for (String name : names) {
            values.add(AttributeValue.of(name));
        }
        mail.setAttribute(new Attribute(PIPELINE, AttributeValue.of(values)));
    }

    public static int next(Mail mail) {
        return integer(mail, NEXT).orElse(0);
    }

    public static int attempts(Mail mail) {
        return integer(mail, ATTEMPTS).orElse(0);
    }

    public static Optional<String> string(Mail mail, AttributeName name) {
        return mail.getAttribute(name).map(attribute -> String.valueOf(attribute.getValue().value()));
    }

    /** A numeric attribute as a long. */
    public static Optional<Long> number(Mail mail, AttributeName name) {
        return mail.getAttribute(name).flatMap(attribute -> {
            Object value = attribute.getValue().value();
            if (value instanceof Number) {
                return Optional.of(((Number) value).longValue());
            }
            try {
                return Optional.of(Long.parseLong(String.valueOf(value)));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    static Optional<Integer> integer(Mail mail, AttributeName name) {
        return number(mail, name).map(Long::intValue);
    }

    public static void set(Mail mail, AttributeName name, String value) {
        mail.setAttribute(new Attribute(name, AttributeValue.of(value)));
    }

    static void set(Mail mail, AttributeName name, int value) {
        mail.setAttribute(new Attribute(name, AttributeValue.of(value)));
    }

    public static void setPostNumber(Mail mail, long number) {
        mail.setAttribute(new Attribute(POST_NUMBER, AttributeValue.of(number)));
    }

    static void clearFailure(Mail mail) {
        mail.removeAttribute(FAILED_HANDLER);
        mail.removeAttribute(ERROR);
        mail.removeAttribute(STACK_TRACE);
        mail.removeAttribute(PARKED_AT);
    }
}
