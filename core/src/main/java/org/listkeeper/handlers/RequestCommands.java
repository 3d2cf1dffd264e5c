package org.listkeeper.handlers;

import org.listkeeper.membership.ConfirmationTokens;
import org.listkeeper.list.Roster;
import java.util.Objects;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.mail.MessagingException;
import javax.mail.Multipart;
import javax.mail.Part;
import javax.mail.internet.AddressException;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.listkeeper.InvalidValueException;
import org.listkeeper.list.Addresses;
import org.listkeeper.list.DigestMode;
import org.listkeeper.list.ListRecipient;
import org.listkeeper.list.MailingList;
import org.listkeeper.list.Member;
import org.listkeeper.membership.AutoReplyGuard;
import org.listkeeper.membership.CommandLine;
import org.listkeeper.membership.CommandParser;
import org.listkeeper.membership.Membership;
import org.listkeeper.membership.Requester;
import org.listkeeper.membership.Result;
import org.listkeeper.membership.TokenAction;
import org.listkeeper.membership.TokenRecord;
import org.listkeeper.membership.Tokens;
import org.listkeeper.moderation.Moderation;
import org.listkeeper.notices.Dispatch;
import org.listkeeper.notices.Letters;
import org.listkeeper.notices.Notice;
import org.listkeeper.notices.NoticeKind;
import org.listkeeper.notices.Templates;
import org.listkeeper.pipeline.Handler;
import org.listkeeper.pipeline.HandlerResult;
import org.listkeeper.pipeline.PostContext;
import org.listkeeper.pipeline.PostProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the commands of a mail to a list's request addresses: {@code -request} (commands in the Subject
 * and body), {@code -join}/{@code -subscribe}, {@code -leave}/{@code -unsubscribe} and {@code -confirm+TOKEN}.
 * Mail from robots (RFC 3834) is dropped unanswered. The replies and notices it decides on are written into
 * the mail's {@code listkeeper.outbox} attribute for {@code send-replies}, after the daily limit of automatic
 * replies per address has been applied.
 */
final class RequestCommands implements Handler {
    static final String NAME = "request-commands";
    private static final Logger LOGGER = LoggerFactory.getLogger(RequestCommands.class);

    private final Membership membership;
    private final Moderation moderation;
    private final ConfirmationTokens tokens;
    private final Roster roster;
    private final Templates templates;
    private final Dispatch dispatch;

    RequestCommands(Membership membership, Moderation moderation, ConfirmationTokens tokens, Roster roster, Templates templates, Dispatch dispatch) {
        this.membership = Objects.requireNonNull(membership);
        this.moderation = Objects.requireNonNull(moderation);
        this.tokens = Objects.requireNonNull(tokens);
        this.roster = Objects.requireNonNull(roster);
        this.templates = Objects.requireNonNull(templates);
        this.dispatch = Objects.requireNonNull(dispatch);
    }
    private static final int WHO_LIMIT = 1_000;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Carries out join, leave, confirm, set, help, who and info from mail to a list's request addresses";
    }

    @Override
    public HandlerResult handle(PostContext post) throws MessagingException {
        MailingList list = post.list();
        MimeMessage message = post.mail().getMessage();
        Optional<String> robot = AutoReplyGuard.reasonNotToReply(post.mail().getMaybeSender(), message, list.address());
        if (robot.isPresent()) {
            return HandlerResult.discard("automatic mail, neither carried out nor answered (" + robot.get() + ")");
        }
        MailAddress sender = sender(post);
        Requester requester = Requester.address(sender);
        ListRecipient recipient = post.recipient();

        List<CommandLine> commands = commands(recipient, message);
        StringBuilder results = new StringBuilder();
        List<Notice> notices = new ArrayList<>();
        for (CommandLine command : commands) {
            results.append("> ").append(command.text()).append('\n');
            results.append(run(command, post, membership, templates, requester, notices)).append("\n\n");
        }
        if (commands.isEmpty()) {
            results.append("No commands were found in this message. Send \"help\" for the list of commands.\n");
        }
        boolean senderTold = notices.stream().anyMatch(n -> Addresses.key(n.recipient()).equals(Addresses.key(sender)));
        if (recipient.kind() == ListRecipient.Kind.REQUEST || !senderTold) {
            notices.add(0, Notice.to(sender, NoticeKind.COMMAND_RESULTS,
                Map.of("sender", sender.asString(), "results", results.toString().strip())));
        }
        List<Letters.Letter> letters = dispatch.write(list, notices, Optional.of(sender), Optional.of(message), post.now());
        List<AttributeValue<?>> outbox = new ArrayList<>();
        for (String letter : Letters.encode(letters)) {
            outbox.add(AttributeValue.of(letter));
        }
        post.mail().setAttribute(new Attribute(PostProgress.OUTBOX, AttributeValue.of(outbox)));
        LOGGER.info("{} command(s) from {} to {} carried out; {} notice(s) to send", commands.size(), sender.asString(),
            recipient.redacted(), letters.size());
        return HandlerResult.proceed();
    }

    /** Whom the mail is from: the address in From (what the person sees as theirs), else the envelope sender. */
    private static MailAddress sender(PostContext post) throws MessagingException {
        try {
            javax.mail.Address[] from = post.mail().getMessage().getFrom();
            if (from != null && from.length > 0 && from[0] instanceof InternetAddress) {
                return Addresses.parse("From", ((InternetAddress) from[0]).getAddress());
            }
        } catch (AddressException | InvalidValueException e) {
            LOGGER.debug("Unreadable From in request mail {}: {}", post.mail().getName(), e.getMessage());
        }
        return post.mail().getMaybeSender().get();
    }

    private static List<CommandLine> commands(ListRecipient recipient, MimeMessage message) throws MessagingException {
        switch (recipient.kind()) {
            case JOIN:
            case SUBSCRIBE:
                return CommandParser.parse("join", null);
            case LEAVE:
            case UNSUBSCRIBE:
                return CommandParser.parse("leave", null);
            case CONFIRM:
                return CommandParser.parse("confirm " + recipient.detail().orElse(""), null);
            default:
                return CommandParser.parse(message.getSubject(), textBody(message));
        }
    }

    private String run(CommandLine command, PostContext post, Membership membership, Templates templates,
                              Requester requester, List<Notice> notices) {
        MailingList list = post.list();
        try {
            switch (command.name()) {
                case "join":
                case "subscribe": {
                    MailAddress address = command.option("address").map(a -> Addresses.parse("address", a))
                        .orElse(requester.address().orElseThrow());
                    Member.Builder wanted = Member.builder(address);
                    command.option("digest").map(DigestMode::parse).ifPresent(wanted::digest);
                    return collect(membership.join(list, wanted.build(), requester), notices);
                }
                case "leave":
                case "unsubscribe": {
                    MailAddress address = command.option("address").map(a -> Addresses.parse("address", a))
                        .orElse(requester.address().orElseThrow());
                    return collect(membership.leave(list, address, requester), notices);
                }
                case "confirm":
                    if (command.arguments().isEmpty()) {
                        return "confirm needs the token from the confirmation message";
                    }
                    Optional<String> moderated = moderate(post, command.arguments().get(0), requester, notices);
                    if (moderated.isPresent()) {
                        return moderated.get();
                    }
                    return collect(membership.confirm(list, command.arguments().get(0), Set.of(TokenAction.CONFIRM, TokenAction.APPROVE),
                        post.postKey()), notices);
                case "help":
                    return templates.render(list, NoticeKind.HELP, Map.of()).body().strip();
                case "info":
                    return templates.render(list, NoticeKind.INFO, Map.of()).body().strip();
                case "who":
                    return who(post);
                case "set":
                    return set(command, list, requester);
                default:
                    return "Unknown command. Send \"help\" for the list of commands.";
            }
        } catch (InvalidValueException e) {
            return e.getMessage();
        }
    }

    /**
     * A moderator's reply to a held-post notice: accept, unless the first line of the reply says {@code reject
     * [reason]}, {@code discard} or {@code defer}. Empty when the token is not a moderator's held-post token.
     */
    private Optional<String> moderate(PostContext post, String token, Requester requester, List<Notice> notices) {
        if (!Tokens.looksLikeToken(token)) {
            return Optional.empty();
        }
        Optional<TokenRecord> record = tokens.findToken(Tokens.hash(token));
        if (record.isEmpty() || record.get().action() != TokenAction.MODERATE || record.get().listId() != post.list().id()
            || record.get().heldId().isEmpty()) {
            return Optional.empty();
        }
        boolean replay = record.get().usedBy().map(post.postKey()::equals).orElse(false);
        if (record.get().usedAt().isPresent() && !replay) {
            return Optional.of("That moderation token was already used; nothing more to do");
        }
        if (!record.get().expiresAt().isAfter(post.now()) && !replay) {
            return Optional.of("That moderation token has expired");
        }
        if (!tokens.useToken(Tokens.hash(token), post.postKey(), post.now())) {
            return Optional.of("That moderation token was already used; nothing more to do");
        }
        String first = firstLine(post);
        String word = first.isEmpty() ? "" : first.split("\\s+")[0].toLowerCase(Locale.ROOT);
        Moderation.Action action = word.equals("reject") ? Moderation.Action.REJECT : word.equals("discard")
            ? Moderation.Action.DISCARD : word.equals("defer") ? Moderation.Action.DEFER : Moderation.Action.ACCEPT;
        Optional<String> reason = action == Moderation.Action.REJECT && first.length() > "reject".length()
            ? Optional.of(first.substring("reject".length()).strip()).filter(r -> !r.isEmpty()) : Optional.empty();
        try {
            Moderation.Result result = moderation.decide(post.list(),
                record.get().heldId().get(), action, requester.label(), reason, Optional.empty());
            notices.addAll(result.notices());
            return Optional.of(result.message());
        } catch (MessagingException e) {
            throw new org.listkeeper.TransientFailureException("Cannot reach the hold queue: " + e.getMessage(), e);
        }
    }

    /** The first line of the text that is not blank and not quoted. */
    private static String firstLine(PostContext post) {
        try {
            String text = textBody(post.mail().getMessage());
            if (text != null) {
                for (String line : text.split("\r?\n")) {
                    if (!line.isBlank() && !line.startsWith(">")) {
                        return line.strip();
                    }
                }
            }
        } catch (MessagingException e) {
            LOGGER.debug("Cannot read the reply of a moderator: {}", e.getMessage());
        }
        return "";
    }

    /**
     * {@code set digest mime|plain|off}: how the sender, a member, takes the list's posts. The answer goes to the
     * member's own address, so a forged request does not pass unnoticed.
     */
    private String set(CommandLine command, MailingList list, Requester requester) {
        List<String> arguments = command.arguments();
        if (arguments.size() != 2 || !arguments.get(0).equalsIgnoreCase("digest")) {
            return "Usage: set digest mime|plain|off";
        }
        String value = arguments.get(1).toLowerCase(Locale.ROOT);
        DigestMode mode = value.equals("off") || value.equals("no") ? DigestMode.NONE : DigestMode.parse(value);
        MailAddress address = requester.address().orElseThrow();
        Optional<Member> member = roster.findMember(list.id(), address);
        if (member.isEmpty() || !member.get().role().receivesPosts()) {
            return address.asString() + " is not a member of " + list.address().asString() + "; nothing changed.";
        }
        if (mode != DigestMode.NONE && !list.digestsEnabled()) {
            return list.address().asString() + " does not send digests; you receive every post as it comes.";
        }
        DigestMode before = member.get().digest();
        if (before == mode) {
            return "You already receive " + describe(mode) + "; nothing changed.";
        }
        roster.saveMember(list.id(), member.get().toBuilder().digest(mode).build());
        return "Done: you now receive " + describe(mode) + "."
            + (before != DigestMode.NONE ? " The digest now being gathered still comes to you as a " + before.value() + " digest." : "");
    }

    private static String describe(DigestMode mode) {
        switch (mode) {
            case MIME:
                return "MIME digests (each post attached as a message)";
            case PLAIN:
                return "plain-text digests";
            default:
                return "every post as it comes";
        }
    }

    private static String collect(Result result, List<Notice> notices) {
        notices.addAll(result.notices());
        return result.message();
    }

    private String who(PostContext post) {
        MailingList list = post.list();
        if (list.privateRoster()) {
            return "The roster of " + list.address().asString() + " is private.";
        }
        StringBuilder members = new StringBuilder("Members of " + list.address().asString() + ":");
        int shown = 0;
        int offset = 0;
        while (shown < WHO_LIMIT) {
            List<Member> page = roster.members(list.id(), Optional.empty(), offset, 500);
            for (Member member : page) {
                if (member.role().receivesPosts() && !member.hideAddress() && shown < WHO_LIMIT) {
                    members.append("\n    ").append(member.address().asString());
                    shown++;
                }
            }
            if (page.size() < 500) {
                break;
            }
            offset += page.size();
        }
        if (shown == WHO_LIMIT) {
            members.append("\n    … (the first ").append(WHO_LIMIT).append(" shown)");
        }
        return shown == 0 ? "No member of " + list.address().asString() + " shows their address." : members.toString();
    }

    /** The first text/plain part, for commands; none when the mail has no readable text. */
    static String textBody(Part part) throws MessagingException {
        try {
            if (part.isMimeType("text/plain")) {
                Object content = part.getContent();
                return content instanceof String ? (String) content : null;
            }
            if (part.isMimeType("multipart/*")) {
                Object content = part.getContent();
                if (content instanceof Multipart) {
                    Multipart multipart = (Multipart) content;
                    for (int i = 0; i < multipart.getCount(); i++) {
                        String text = textBody(multipart.getBodyPart(i));
                        if (text != null) {
                            return text;
                        }
                    }
                }
            }
            return null;
        } catch (IOException | MessagingException | RuntimeException e) {
            // an undecodable body has no commands; the Subject may still have one
            LOGGER.debug("Cannot read the text of a request mail: {}", e.getMessage());
            return null;
        }
    }
}
