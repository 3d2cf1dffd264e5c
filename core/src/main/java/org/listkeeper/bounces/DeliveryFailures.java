package org.listkeeper.bounces;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.james.core.MailAddress;
import org.listkeeper.list.MailingList;
import org.listkeeper.notices.Notice;

/**
 * Counts a member's failure as a bounce: from a bounce mail the list received, or straight from the reply list
 * delivery got ({@code 550 5.1.1 …}), with no bounce mail in between. Classified (a full mailbox, a policy block and a
 * dead mailbox count differently), logged against the member, a policy block opening the domain's block event.
 */
public final class DeliveryFailures {
    private static final Pattern STATUS = Pattern.compile("^\\d{3}[ -]([245]\\.\\d{1,3}\\.\\d{1,3})\\b");

    private final Bounces bounces;
    private final BounceRecords records;
    private final BounceMetrics metrics;

    public DeliveryFailures(Bounces bounces, BounceRecords records, BounceMetrics metrics) {
        this.bounces = Objects.requireNonNull(bounces);
        this.records = Objects.requireNonNull(records);
        this.metrics = Objects.requireNonNull(metrics);
    }

    /** Counts a failure of {@code address} of class {@code bounceClass} with the receiving server's {@code reply}. */
    public Bounces.Outcome count(MailingList list, String postKey, MailAddress address, BounceClass bounceClass, String reply, Instant now) {
        Bounces.Outcome outcome = bounces.record(list, address, bounceClass, reply);
        if (!outcome.member()) {
            return outcome;
        }
        List<Notice> notices = new ArrayList<>(outcome.notices());
        metrics.received(bounceClass, outcome.scored());
        records.logBounce(list.id(), postKey, new BounceLogEntry(now, address, bounceClass, outcome.scored(), reply));
        if (bounceClass == BounceClass.POLICY) {
            Optional<Notice> block = bounces.detectBlock(list, address.getDomain().asString().toLowerCase(Locale.ROOT),
                reply == null ? null : cut(reply, 300));
            block.ifPresent(notice -> metrics.blockOpened());
            block.ifPresent(notices::add);
        }
        // the notices of a block event opened by this failure go with the member's own
        return new Bounces.Outcome(true, outcome.scored(), notices);
    }

    /** Counts a permanent SMTP refusal list delivery got for {@code address}, classified by its reply. */
    public Bounces.Outcome countRefusal(MailingList list, String postKey, MailAddress address, String reply, Instant now) {
        Matcher status = STATUS.matcher(reply);
        BounceClass bounceClass = BounceClassifier.classify(BounceReport.Action.FAILED, status.find() ? status.group(1) : null, reply);
        return count(list, postKey, address, bounceClass, cut(reply, 500), now);
    }

    private static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }
}
