package org.listkeeper.bounces;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Classifies one failed recipient by its RFC 3463 enhanced status code first and the reply text second. The text
 * matters because providers answer blocks with mailbox-like codes ({@code 550 5.1.1 … blocked}), a bare {@code 550}, or
 * a generic {@code 5.0.0}: a code that says "mailbox" only counts when the text does not speak of spam, blocks,
 * reputation or authentication. Checked against Sisimai's classification of its set of real bounces (see the test
 * resources, {@code bounces/real/}).
 */
public final class BounceClassifier {
    /** An enhanced status code inside a reply text ({@code 550-5.7.1}, {@code 552 5.2.2}, {@code #5.1.1}). */
    private static final Pattern ENHANCED = Pattern.compile("(?<![\\d.])([245])\\.(\\d{1,3})\\.(\\d{1,3})(?![\\d.]*\\d)");
    /** A basic SMTP reply code at the start of the reply, or after "smtp;". */
    private static final Pattern REPLY = Pattern.compile("(?i)(?:^|smtp;\\s*|\\s)([245]\\d\\d)[\\s-]");

    private static final Pattern POLICY = Pattern.compile("(?i)\\bspam|junk ?mail|unsolicited|\\bbulk mail|blocked|\\bblock(?:ing)?\\b"
        + "|block ?list|black ?list|blacklisted|denylist|\\brbl\\b|\\bdnsbl|spamhaus|spamcop|abuseat|barracuda|sorbs|proofpoint|cloudmark"
        + "|reputation|\\bpolic(?:y|ies)\\b|dmarc|\\bspf\\b|\\bdkim\\b|authenticat|not authori[sz]ed|reverse dns|\\bptr\\b|rdns"
        + "|rate limit|at a rate|frequency limit|too many (?:messages|connections|emails|mails|recipients)|sending rate|unexpected volume"
        + "|user complaints|virus|malware|phish|suspicious|abusive|\\babuse\\b|content filter|not accepted for policy|banned"
        + "|sender (?:address )?(?:rejected|denied|blocked|verify failed)|domain of sender|unroutable sender|sender domain"
        + "|relay(?:ing)? (?:denied|not permitted|access denied)|client host|invalid ip|host network not allowed|not accepting"
        + "|mismatch|protocol violation|\\bTSS0\\d|\\bbloqu");

    /** Refused before any recipient was named: the receiving server refused the list's mail or its sending host. */
    private static final Pattern BEFORE_RECIPIENT = Pattern.compile("(?i)after (?:initial connection|connect|MAIL FROM|HELO|EHLO|"
        + "sending (?:MAIL FROM|HELO|EHLO))|in reply to (?:MAIL FROM|HELO|EHLO) command|while talking to [^\\n]{0,80}\\n\\s*>>> MAIL");

    private static final Pattern FULL = Pattern.compile("(?i)mailbox (?:is )?full|full mailbox|over ?quota|quota (?:exceeded|full)"
        + "|exceed(?:ed|s)? (?:the |their |its )?(?:storage|quota|mailbox size)|insufficient (?:storage|space|disk)"
        + "|mailbox size limit|out of (?:storage|space)|storage (?:space )?(?:limit|full)|(?:disk|mail ?box) ?quota|not enough (?:space|storage)");

    private static final Pattern MESSAGE = Pattern.compile("(?i)message (?:is )?too (?:large|big)|(?:message|mail) size (?:exceeds|limit)"
        + "|size exceeds|exceeds? (?:the )?(?:maximum|message) (?:allowed )?(?:message )?size|message length exceeds|too large"
        + "|line (?:too long|limit)|(?:content|attachment) (?:type )?not allowed|headers? too (?:long|large)|duplicate header"
        + "|malformed|not (?:rfc|RFC) ?\\d* ?compliant");

    private static final Pattern TRANSIENT = Pattern.compile("(?i)retry timeout exceeded|giving up after|after multiple retries"
        + "|too many retries|message expired|delivery time expired|could not be delivered (?:within|for)|unable to connect"
        + "|connection (?:refused|timed out|reset)|operation timed out|timed out|no answer from|service (?:temporarily )?unavailable"
        + "|try again later|temporar(?:y|ily)|did not accept our requests to connect");

    private static final Pattern MAILBOX = Pattern.compile("(?i)user unknown|unknown (?:user|recipient|mailbox|address|local ?part|alias)"
        + "|no such (?:user|mailbox|recipient|address|account|person|local user)|(?:does not|doesn't|did not|not) exists?\\b"
        + "|(?:invalid|unknown|bad|disabled) (?:recipient|mailbox|address|destination)|recipient (?:address )?(?:rejected|not found|unknown|invalid)"
        + "|mailbox (?:not found|unavailable|disabled|inactive|does not exist|not available|closed)|user (?:not found|invalid|doesn't)"
        + "|account (?:has been |is |that you tried to reach is )?(?:disabled|suspended|deactivated|closed|inactive|expired|locked|blocked)"
        + "|no mailbox|not (?:a )?(?:valid|known) (?:user|recipient|mailbox)|unrouteable address|no longer (?:valid|available|active|in use|exists)"
        + "|address rejected|not our customer|host (?:or domain name )?not found|domain (?:not found|does not exist)|nxdomain"
        + "|no mx|does not accept mail|name service error|unknown host|RecipNotFound|RecipientNotFound|mailbox has been moved");

    private BounceClassifier() {
    }

    /** The class of one recipient's failure; {@code status} and {@code diagnostic} may be null. */
    public static BounceClass classify(BounceReport.Action action, String status, String diagnostic) {
        if (!action.counts()) {
            return BounceClass.TRANSIENT;
        }
        String text = diagnostic == null ? "" : diagnostic;
        // what the receiving server said is finer than the reporting MTA's summary (Status 5.0.0 beside "550 5.7.1 …")
        Optional<int[]> code = enhanced(text).filter(c -> c[1] != 0 || c[2] != 0)
            .or(() -> enhanced(status).filter(c -> c[1] != 0 || c[2] != 0));
        int klass = code.map(c -> c[0]).orElseGet(() -> replyClass(text, status));
        boolean policyText = POLICY.matcher(text).find();
        boolean mailboxText = MAILBOX.matcher(text).find();
        if (klass == 4) {
            // a failure reported with a 4.x.x code (given up after retries, a 452 over quota) is never about the mailbox;
            // a provider deferring the list's mail for its reputation is still a policy refusal (block detection counts it)
            if (code.filter(c -> c[1] == 7).isPresent() || policyText) {
                return BounceClass.POLICY;
            }
            return FULL.matcher(text).find() || code.filter(c -> c[1] == 2 && c[2] == 2).isPresent() ? BounceClass.FULL : BounceClass.TRANSIENT;
        }
        if (code.isPresent()) {
            int subject = code.get()[1];
            int detail = code.get()[2];
            if (subject == 7) {
                // 5.7.x is policy, also Microsoft's 5.7.606-5.7.708; a few servers answer 5.7.1 for an unknown recipient
                boolean microsoft = detail >= 606 && detail <= 708;
                return mailboxText && !policyText && !microsoft ? BounceClass.MAILBOX : BounceClass.POLICY;
            }
            if (subject == 2 && detail == 2) {
                return BounceClass.FULL;
            }
            if (subject == 2 && detail == 3 || subject == 3 && detail == 4 || subject == 6) {
                return policyText ? BounceClass.POLICY : BounceClass.MESSAGE;
            }
            if (subject == 1 && (detail == 7 || detail == 8)) {
                return BounceClass.POLICY; // the list's own sender address refused
            }
            boolean mailboxCode = subject == 1 && (detail == 1 || detail == 2 || detail == 3 || detail == 6 || detail == 10)
                || subject == 2 && detail == 1 || subject == 4 && (detail == 4 || detail == 1);
            if (mailboxCode && !FULL.matcher(text).find()) {
                // a mailbox code means a mailbox failure, unless the text says the provider refused the list's mail
                return mailboxText || !policyText ? BounceClass.MAILBOX : BounceClass.POLICY;
            }
        }
        if (BEFORE_RECIPIENT.matcher(text).find()) {
            return MESSAGE.matcher(text).find() ? BounceClass.MESSAGE : BounceClass.POLICY;
        }
        if (FULL.matcher(text).find()) {
            return BounceClass.FULL;
        }
        if (MESSAGE.matcher(text).find()) {
            return BounceClass.MESSAGE;
        }
        if (policyText && !mailboxFirst(text)) {
            return BounceClass.POLICY;
        }
        if (mailboxText) {
            return BounceClass.MAILBOX;
        }
        if (TRANSIENT.matcher(text).find()) {
            return BounceClass.TRANSIENT;
        }
        // an unexplained permanent failure counts as it always has (GNU Mailman's rule): the mailbox
        return BounceClass.MAILBOX;
    }

    /** A reply that names the mailbox before any policy words ("user unknown … see our policy"). */
    private static boolean mailboxFirst(String text) {
        Matcher mailbox = MAILBOX.matcher(text);
        Matcher policy = POLICY.matcher(text);
        return mailbox.find() && policy.find() && mailbox.start() < policy.start();
    }

    private static Optional<int[]> enhanced(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher matcher = ENHANCED.matcher(text);
        if (!matcher.find()) {
            return Optional.empty();
        }
        return Optional.of(new int[] {Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)),
            Integer.parseInt(matcher.group(3))});
    }

    private static int replyClass(String text, String status) {
        Matcher matcher = REPLY.matcher(text);
        if (matcher.find()) {
            return matcher.group(1).charAt(0) - '0';
        }
        return enhanced(status).map(c -> c[0]).orElse(5);
    }
}
