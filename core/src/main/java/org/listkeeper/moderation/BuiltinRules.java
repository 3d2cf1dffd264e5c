package org.listkeeper.moderation;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.mail.Address;
import javax.mail.Message;
import javax.mail.MessagingException;
import javax.mail.Multipart;
import javax.mail.Part;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.listkeeper.list.Addresses;
import org.listkeeper.list.MailingList;
import org.listkeeper.list.Member;
import org.listkeeper.list.ModerationAction;
import org.listkeeper.pipeline.PostContext;

/** The rules Listkeeper ships, as in GNU Mailman 3's default posting chain. Names are configuration API. */
public final class BuiltinRules {
    private static final Map<String, Rule> ALL;

    static {
        Map<String, Rule> rules = new LinkedHashMap<>();
        for (Rule rule : List.of(new Approved(), new Emergency(), new Loop(), new BannedAddress(), new MemberModeration(),
            new NonmemberModeration(), new Administrivia(), new ImplicitDestination(), new MaxRecipients(), new MaxSize(),
            new NoSubject(), new SuspiciousHeader())) {
            rules.put(rule.name(), rule);
        }
        ALL = Collections.unmodifiableMap(rules);
    }

    private BuiltinRules() {
    }

    /** Every rule, by name, in the order of the default chain. */
    public static Map<String, Rule> all() {
        return ALL;
    }

    public static Optional<Rule> named(String name) {
        return Optional.ofNullable(ALL.get(name));
    }

    // ---- approved

    /**
     * The post carried the list's moderator password. The {@code moderation} handler takes the password out of the
     * post before the chain runs ({@link Approval}) and leaves the verdict in a mail attribute; run on its own, the
     * rule takes it out itself.
     */
    static final class Approved implements Rule {
        @Override
        public String name() {
            return "approved";
        }

        @Override
        public String description() {
            return "The post carries the list's moderator password in an Approved: header or first line";
        }

        @Override
        public RuleResult check(PostContext post) throws MessagingException {
            Optional<Boolean> verdict = post.mail().getAttribute(APPROVED).map(a -> Boolean.TRUE.equals(a.getValue().value()));
            boolean approved = verdict.isPresent() ? verdict.get()
                : post.list().moderatorPasswordHash().map(hash -> {
                    try {
                        Approval.Extraction extraction = Approval.extract(post.mail().getMessage());
                        return extraction.unremovable().isEmpty() && Approval.matches(hash, extraction.passwords());
                    } catch (MessagingException e) {
                        return false;
                    }
                }).orElse(false);
            return approved ? RuleResult.hit("approved with the moderator password") : RuleResult.miss();
        }
    }

    /** Set by the moderation handler: whether the post carried the right moderator password (Boolean). */
    public static final org.apache.mailet.AttributeName APPROVED = org.apache.mailet.AttributeName.of("listkeeper.approved");

    // ---- emergency

    static final class Emergency implements Rule {
        @Override
        public String name() {
            return "emergency";
        }

        @Override
        public String description() {
            return "The list is in emergency moderation: every post waits for a moderator";
        }

        @Override
        public RuleResult check(PostContext post) {
            return post.list().emergency() ? RuleResult.hit("the list is in emergency moderation") : RuleResult.miss();
        }
    }

    // ---- loop

    static final class Loop implements Rule {
        @Override
        public String name() {
            return "loop";
        }

        @Override
        public String description() {
            return "The post already went through this list (its X-BeenThere marker or List-Id)";
        }

        @Override
        public RuleResult check(PostContext post) throws MessagingException {
            MimeMessage message = post.mail().getMessage();
            String list = post.list().address().asString();
            String[] beenThere = message.getHeader("X-BeenThere");
            if (beenThere != null) {
                for (String value : beenThere) {
                    if (value.strip().equalsIgnoreCase(list)) {
                        return RuleResult.hit("X-BeenThere: " + list + " (a loop)");
                    }
                }
            }
            String[] listIds = message.getHeader("List-Id");
            if (listIds != null) {
                for (String value : listIds) {
                    if (value.toLowerCase(Locale.ROOT).contains("<" + post.list().listId().toLowerCase(Locale.ROOT) + ">")) {
                        return RuleResult.hit("List-Id of this list already present (a loop)");
                    }
                }
            }
            return RuleResult.miss();
        }
    }

    // ---- banned-address

    static final class BannedAddress implements Rule {
        @Override
        public String name() {
            return "banned-address";
        }

        @Override
        public String description() {
            return "The sender is banned from this list or from every list";
        }

        @Override
        public RuleResult check(PostContext post) throws MessagingException {
            AddressPatterns list = post.list().bannedAddresses();
            AddressPatterns global = post.settings().bannedAddresses();
            for (MailAddress sender : Senders.of(post.mail())) {
                if (list.matches(sender)) {
                    return RuleResult.hit(sender.asString() + " is banned from " + post.list().address().asString());
                }
                if (global.matches(sender)) {
                    return RuleResult.hit(sender.asString() + " is banned from every list of this site");
                }
            }
            return RuleResult.miss();
        }
    }

    // ---- member-moderation / nonmember-moderation

    static final class MemberModeration implements Rule {
        @Override
        public String name() {
            return "member-moderation";
        }

        @Override
        public String description() {
            return "The sender is a member whose posts get the member's (or the list's default member) action";
        }

        @Override
        public RuleResult check(PostContext post) throws MessagingException {
            for (MailAddress sender : Senders.of(post.mail())) {
                Optional<Member> member = post.store().findMember(post.list().address(), sender);
                if (member.isPresent() && member.get().role().receivesPosts()) {
                    ModerationAction action = member.get().moderationAction().orElse(post.list().defaultMemberAction());
                    return action == ModerationAction.DEFER ? RuleResult.miss()
                        : RuleResult.hit(sender.asString() + " is a " + member.get().role().value() + " with moderation action "
                            + action.value(), action);
                }
            }
            return RuleResult.miss();
        }
    }

    static final class NonmemberModeration implements Rule {
        @Override
        public String name() {
            return "nonmember-moderation";
        }

        @Override
        public String description() {
            return "The sender is not a member: the known nonmember's action, else the list's default nonmember action";
        }

        @Override
        public RuleResult check(PostContext post) throws MessagingException {
            List<MailAddress> senders = Senders.of(post.mail());
            Optional<Member> known = Optional.empty();
            for (MailAddress sender : senders) {
                Optional<Member> entry = post.store().findMember(post.list().address(), sender);
                if (entry.isPresent() && entry.get().role().receivesPosts()) {
                    return RuleResult.miss();
                }
                if (entry.isPresent() && known.isEmpty()) {
                    known = entry;
                }
            }
            ModerationAction action = known.flatMap(Member::moderationAction).orElse(post.list().defaultNonmemberAction());
            String who = senders.isEmpty() ? "the sender" : senders.get(0).asString();
            return action == ModerationAction.DEFER ? RuleResult.miss()
                : RuleResult.hit(who + " is not a member of " + post.list().address().asString() + " (nonmember action "
                    + action.value() + ")", action);
        }
    }

    // ---- administrivia

    static final class Administrivia implements Rule {
        private static final Set<String> COMMANDS = Set.of("subscribe", "unsubscribe", "join", "leave", "remove", "signoff",
            "help", "who", "confirm", "set", "info");
        private static final int MAX_LINES = 5;

        @Override
        public String name() {
            return "administrivia";
        }

        @Override
        public String description() {
            return "A short post that is really a command (subscribe, unsubscribe…) meant for the request address";
        }

        @Override
        public RuleResult check(PostContext post) throws MessagingException {
            if (!post.list().administrivia()) {
                return RuleResult.miss();
            }
            MimeMessage message = post.mail().getMessage();
            List<String> lines = new ArrayList<>();
            Optional.ofNullable(message.getSubject()).ifPresent(lines::add);
            String text = text(message);
            if (text != null) {
                for (String line : text.split("\r?\n")) {
                    if (!line.isBlank() && !line.startsWith(">")) {
                        lines.add(line);
                    }
                }
            }
            if (lines.size() > MAX_LINES + 1) {
                return RuleResult.miss();
            }
            for (String line : lines) {
                String[] words = line.strip().toLowerCase(Locale.ROOT).split("\\s+");
                if (words.length > 0 && COMMANDS.contains(words[0])) {
                    return RuleResult.hit("looks like a command (\"" + words[0] + "\") meant for "
                        + post.list().requestAddress().asString());
                }
            }
            return RuleResult.miss();
        }

        private static String text(Part part) {
            try {
                if (part.isMimeType("text/plain")) {
                    Object content = part.getContent();
                    return content instanceof String ? (String) content : null;
                }
                if (part.isMimeType("multipart/*") && part.getContent() instanceof Multipart) {
                    Multipart multipart = (Multipart) part.getContent();
                    return multipart.getCount() > 0 ? text(multipart.getBodyPart(0)) : null;
                }
            } catch (IOException | MessagingException | RuntimeException e) {
                return null;
            }
            return null;
        }
    }

    // ---- implicit-destination

    static final class ImplicitDestination implements Rule {
        @Override
        public String name() {
            return "implicit-destination";
        }

        @Override
        public String description() {
            return "The list (or an acceptable alias) is not in To or Cc: the post was Bcc'd or forwarded";
        }

        @Override
        public RuleResult check(PostContext post) throws MessagingException {
            MailingList list = post.list();
            if (!list.requireExplicitDestination()) {
                return RuleResult.miss();
            }
            for (MailAddress destination : destinations(post.mail().getMessage())) {
                if (Addresses.key(destination).equals(Addresses.key(list.address())) || list.acceptableAliases().matches(destination)) {
                    return RuleResult.miss();
                }
            }
            return RuleResult.hit(list.address().asString() + " is not among the To and Cc addresses");
        }
    }

    static List<MailAddress> destinations(MimeMessage message) {
        List<MailAddress> result = new ArrayList<>();
        for (Message.RecipientType type : List.of(Message.RecipientType.TO, Message.RecipientType.CC)) {
            Address[] addresses;
            try {
                addresses = message.getRecipients(type);
            } catch (MessagingException | RuntimeException e) {
                continue;
            }
            if (addresses == null) {
                continue;
            }
            for (Address address : addresses) {
                if (address instanceof InternetAddress) {
                    try {
                        result.add(new MailAddress(((InternetAddress) address).getAddress()));
                    } catch (MessagingException | RuntimeException e) {
                        // a group or an unreadable address counts for nothing here
                    }
                }
            }
        }
        return result;
    }

    // ---- max-recipients

    static final class MaxRecipients implements Rule {
        @Override
        public String name() {
            return "max-recipients";
        }

        @Override
        public String description() {
            return "The post names too many To and Cc recipients (the list's maxRecipients)";
        }

        @Override
        public RuleResult check(PostContext post) throws MessagingException {
            int limit = post.list().maxRecipients();
            if (limit <= 0) {
                return RuleResult.miss();
            }
            int count = destinations(post.mail().getMessage()).size();
            return count >= limit ? RuleResult.hit(count + " To and Cc recipients, the limit is fewer than " + limit) : RuleResult.miss();
        }
    }

    // ---- max-size

    static final class MaxSize implements Rule {
        @Override
        public String name() {
            return "max-size";
        }

        @Override
        public String description() {
            return "The post is larger than the list's maxMessageSize (KB)";
        }

        @Override
        public RuleResult check(PostContext post) throws MessagingException {
            int limitKb = post.list().maxMessageSizeKb();
            if (limitKb <= 0) {
                return RuleResult.miss();
            }
            long size = post.mail().getMessageSize();
            if (size <= 0) {
                size = measured(post.mail().getMessage()); // a host that does not know the size (James always does)
            }
            return size > limitKb * 1024L
                ? RuleResult.hit("max-size: the post has " + (size + 1023) / 1024 + " KB, the limit is " + limitKb + " KB")
                : RuleResult.miss();
        }
    }

    private static long measured(MimeMessage message) throws MessagingException {
        long[] count = {0};
        java.io.OutputStream counter = new java.io.OutputStream() {
            @Override
            public void write(int b) {
                count[0]++;
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                count[0] += length;
            }
        };
        try {
            message.writeTo(counter);
        } catch (IOException e) {
            throw new MessagingException("Cannot measure the post", e);
        }
        return count[0];
    }

    // ---- no-subject

    static final class NoSubject implements Rule {
        @Override
        public String name() {
            return "no-subject";
        }

        @Override
        public String description() {
            return "The post has no Subject, or an empty one";
        }

        @Override
        public RuleResult check(PostContext post) throws MessagingException {
            // as GNU Mailman 3: only a missing or blank Subject; one that is only the prefix or "Re:" is not empty,
            // and subject-prefix turns it into "[prefix] (no subject)"
            String subject = post.mail().getMessage().getSubject();
            return subject == null || subject.isBlank() ? RuleResult.hit("the post has no subject") : RuleResult.miss();
        }
    }

    // ---- suspicious-header

    static final class SuspiciousHeader implements Rule {
        @Override
        public String name() {
            return "suspicious-header";
        }

        @Override
        public String description() {
            return "A header matches one of the list's suspiciousHeaders patterns (Header: regex)";
        }

        @Override
        public RuleResult check(PostContext post) throws MessagingException {
            MimeMessage message = post.mail().getMessage();
            for (HeaderPatterns.Entry entry : post.list().suspiciousHeaders().entries()) {
                String[] values = message.getHeader(entry.header());
                if (values == null) {
                    continue;
                }
                for (String value : values) {
                    if (entry.pattern().matcher(value).find()) {
                        return RuleResult.hit("the header " + entry.header() + " matches " + entry.pattern().pattern());
                    }
                }
            }
            return RuleResult.miss();
        }
    }
}
