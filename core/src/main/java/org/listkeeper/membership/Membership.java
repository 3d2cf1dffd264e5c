package org.listkeeper.membership;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.apache.james.core.MailAddress;
import org.listkeeper.list.Addresses;
import org.listkeeper.list.MailingList;
import org.listkeeper.list.Member;
import org.listkeeper.list.Role;
import org.listkeeper.list.SubscriptionPolicy;
import org.listkeeper.list.UnsubscriptionPolicy;
import org.listkeeper.notices.Notice;
import org.listkeeper.notices.NoticeKind;
import org.listkeeper.Transactions;
import org.listkeeper.list.Roster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joining and leaving under the list's policies, with confirmations and approvals. Nobody subscribes or
 * unsubscribes another address without that address's own confirmation; a confirmation token is single use,
 * bound to its list, address and purpose, and expires. Every decision is a compare-and-set in the store, so
 * two moderators (or a double click) cannot both decide one request.
 */
public final class Membership {
    private static final Logger LOGGER = LoggerFactory.getLogger(Membership.class);
    private static final DateTimeFormatter EXPIRY = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private final Roster roster;
    private final Requests requests;
    private final ConfirmationTokens tokens;
    private final Transactions transactions;
    private final Clock clock;
    private final Optional<URI> webPages;

    public Membership(Roster roster, Requests requests, ConfirmationTokens tokens, Transactions transactions, Clock clock) {
        this(roster, requests, tokens, transactions, clock, Optional.empty());
    }

    /**
     * With {@code webPages}, the public address of Listkeeper's web pages: confirmation mails then also carry a link to
     * a confirm page there, beside the reply-to-confirm address.
     */
    public Membership(Roster roster, Requests requests, ConfirmationTokens tokens, Transactions transactions, Clock clock,
                      Optional<URI> webPages) {
        this.webPages = Objects.requireNonNull(webPages);
        this.roster = Objects.requireNonNull(roster);
        this.requests = Objects.requireNonNull(requests);
        this.tokens = Objects.requireNonNull(tokens);
        this.transactions = Objects.requireNonNull(transactions);
        this.clock = Objects.requireNonNull(clock);
    }

    // ---- join

    /** Asks for {@code wanted} (address and options) to join {@code list}. */
    public Result join(MailingList list, Member wanted, Requester requester) {
        MailAddress address = wanted.address();
        Instant now = clock.instant();
        Optional<Member> existing = roster.findMember(list.id(), address);
        if (existing.isPresent() && existing.get().role().receivesPosts()) {
            // said only to the address itself or an administrator: others learn nothing about the roster
            return requester.isAdmin() || requester.is(address)
                ? Result.of(Outcome.ALREADY_MEMBER, address.asString() + " is already a member of " + list.address().asString())
                : confirmationPromised(address);
        }
        Member member = wanted.toBuilder().role(Role.MEMBER).build();
        if (requester.isAdmin() && !requester.asksConsent()) {
            subscribeNow(list, member, existing.isPresent());
            return Result.of(Outcome.SUBSCRIBED, address.asString() + " is now a member of " + list.address().asString(),
                List.of(welcome(address)));
        }
        Optional<PendingRequest> open = requests.openRequest(list.id(), RequestAction.SUBSCRIBE, address, now);
        if (open.isPresent() && open.get().state() == RequestState.APPROVING) {
            return requester.is(address)
                ? Result.of(Outcome.AWAITING_APPROVAL, "Your request to join " + list.address().asString() + " waits for a moderator")
                : confirmationPromised(address);
        }
        SubscriptionPolicy policy = list.subscriptionPolicy();
        boolean onBehalf = !requester.is(address);
        if (onBehalf || policy.needsConfirmation()) {
            PendingRequest request = open.orElseGet(() -> requests.createRequest(list.id(), RequestAction.SUBSCRIBE, member,
                RequestState.CONFIRMING, requester.label(), now, now.plus(list.confirmationLifetime())));
            Notice notice = confirmation(list, request, NoticeKind.CONFIRM_SUBSCRIBE, requester);
            return Result.of(Outcome.CONFIRMATION_SENT, "A confirmation was sent to " + address.asString(), List.of(notice), request);
        }
        if (policy.needsApproval()) {
            PendingRequest request = requests.createRequest(list.id(), RequestAction.SUBSCRIBE, member, RequestState.APPROVING,
                requester.label(), now, now.plus(list.confirmationLifetime()));
            return Result.of(Outcome.AWAITING_APPROVAL, "Your request to join " + list.address().asString()
                + " was passed to the moderators", approvalNotices(list, request), request);
        }
        subscribeNow(list, member, existing.isPresent());
        return Result.of(Outcome.SUBSCRIBED, address.asString() + " is now a member of " + list.address().asString(),
            List.of(welcome(address)));
    }

    private Result confirmationPromised(MailAddress address) {
        return Result.of(Outcome.CONFIRMATION_SENT, "If " + address.asString()
            + " can be asked, a confirmation was sent to it");
    }

    /** A known nonmember becomes a member; anyone else is added. */
    private void subscribeNow(MailingList list, Member member, boolean replaceNonmember) {
        if (replaceNonmember) {
            roster.saveMember(list.id(), member);
        } else if (!roster.addMember(list.id(), member)) {
            LOGGER.debug("{} joined {} concurrently", member.address().asString(), list.address().asString());
        }
        LOGGER.info("{} joined {}", member.address().asString(), list.address().asString());
    }

    // ---- leave

    public Result leave(MailingList list, MailAddress address, Requester requester) {
        Instant now = clock.instant();
        Optional<Member> existing = roster.findMember(list.id(), address);
        boolean member = existing.isPresent() && existing.get().role().receivesPosts();
        boolean onBehalf = !requester.isAdmin() && !requester.is(address);
        if (!member) {
            return onBehalf
                ? confirmationPromised(address)
                : Result.of(Outcome.NOT_A_MEMBER, address.asString() + " is not a member of " + list.address().asString());
        }
        if (requester.isAdmin() || !onBehalf && list.unsubscriptionPolicy() == UnsubscriptionPolicy.OPEN) {
            roster.removeMember(list.id(), address);
            LOGGER.info("{} left {}", address.asString(), list.address().asString());
            return Result.of(Outcome.UNSUBSCRIBED, address.asString() + " has left " + list.address().asString(),
                List.of(goodbye(address)));
        }
        PendingRequest request = requests.openRequest(list.id(), RequestAction.UNSUBSCRIBE, address, now)
            .orElseGet(() -> requests.createRequest(list.id(), RequestAction.UNSUBSCRIBE, existing.get(), RequestState.CONFIRMING,
                requester.label(), now, now.plus(list.confirmationLifetime())));
        Notice notice = confirmation(list, request, NoticeKind.CONFIRM_UNSUBSCRIBE, requester);
        return onBehalf
            ? Result.of(Outcome.CONFIRMATION_SENT, confirmationPromised(address).message(), List.of(notice), request)
            : Result.of(Outcome.CONFIRMATION_SENT, "A confirmation was sent to " + address.asString(), List.of(notice), request);
    }

    // ---- confirm

    /**
     * Uses a token sent by Listkeeper for {@code list}, for one of {@code purposes}. {@code usedBy} identifies this
     * use (the request mail's key), so that a replay of the same use completes instead of being refused.
     */
    public Result confirm(MailingList list, String token, Set<TokenAction> purposes, String usedBy) {
        Instant now = clock.instant();
        if (!Tokens.looksLikeToken(token)) {
            return Result.of(Outcome.TOKEN_UNKNOWN, "That is not a confirmation token of " + list.address().asString());
        }
        String hash = Tokens.hash(token);
        Optional<TokenRecord> found = tokens.findToken(hash);
        if (found.isEmpty()) {
            return Result.of(Outcome.TOKEN_UNKNOWN, "That confirmation token is not known (it may have expired long ago)");
        }
        TokenRecord record = found.get();
        if (record.listId() != list.id()) {
            return Result.of(Outcome.TOKEN_WRONG_LIST, "That confirmation token belongs to another list, not to "
                + list.address().asString());
        }
        if (!purposes.contains(record.action())) {
            return Result.of(Outcome.TOKEN_WRONG_ACTION, "That token cannot be used for this (it is for "
                + record.action().value() + ")");
        }
        boolean replay = record.usedBy().map(usedBy::equals).orElse(false);
        if (record.usedAt().isPresent() && !replay) {
            return Result.of(Outcome.ALREADY_HANDLED, "That confirmation was already used; nothing more to do");
        }
        if (!record.expiresAt().isAfter(now) && !replay) {
            return Result.of(Outcome.TOKEN_EXPIRED, "That confirmation expired on " + EXPIRY.format(record.expiresAt())
                + "; please ask again");
        }
        Optional<PendingRequest> request = record.requestId().flatMap(id -> requests.findRequest(list.id(), id));
        if (request.isEmpty()) {
            return Result.of(Outcome.NO_SUCH_REQUEST, "The request of that confirmation no longer exists");
        }
        return transactions.atomically(() -> {
            if (!tokens.useToken(hash, usedBy, now)) {
                return Result.of(Outcome.ALREADY_HANDLED, "That confirmation was already used; nothing more to do");
            }
            PendingRequest current = requests.findRequest(list.id(), request.get().id()).orElse(request.get());
            return record.action() == TokenAction.APPROVE
                ? decide(list, current, true, record.addressKey(), Optional.empty(), replay)
                : confirmed(list, current, replay);
        });
    }

    /**
     * The request a confirmation token of {@code list} would confirm, when it can still be used: what a confirm page
     * shows before its button is pressed (looking uses nothing).
     */
    public Optional<PendingRequest> pendingConfirmation(MailingList list, String token) {
        if (!Tokens.looksLikeToken(token)) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return tokens.findToken(Tokens.hash(token))
            .filter(record -> record.listId() == list.id() && record.action() == TokenAction.CONFIRM)
            .filter(record -> record.usedAt().isEmpty() && record.expiresAt().isAfter(now))
            .flatMap(record -> record.requestId().flatMap(id -> requests.findRequest(list.id(), id)))
            .filter(request -> request.state() == RequestState.CONFIRMING);
    }

    private Result confirmed(MailingList list, PendingRequest request, boolean replay) {
        Instant now = clock.instant();
        MailAddress address = request.address();
        if (request.state() != RequestState.CONFIRMING) {
            return replayOrHandled(list, request, replay);
        }
        if (request.action() == RequestAction.UNSUBSCRIBE) {
            if (!requests.moveRequest(request.id(), RequestState.CONFIRMING, RequestState.DONE, address.asString(), now)) {
                return alreadyHandled(list, request);
            }
            boolean removed = roster.removeMember(list.id(), address);
            LOGGER.info("{} left {} (confirmed)", address.asString(), list.address().asString());
            return removed
                ? Result.of(Outcome.UNSUBSCRIBED, address.asString() + " has left " + list.address().asString(), List.of(goodbye(address)), request)
                : Result.of(Outcome.NOT_A_MEMBER, address.asString() + " is not a member of " + list.address().asString());
        }
        boolean approval = list.subscriptionPolicy().needsApproval() && !isAdminRequest(request);
        if (approval) {
            if (!requests.moveRequest(request.id(), RequestState.CONFIRMING, RequestState.APPROVING, address.asString(), now)) {
                return alreadyHandled(list, request);
            }
            PendingRequest approving = requests.findRequest(list.id(), request.id()).orElse(request);
            return Result.of(Outcome.AWAITING_APPROVAL, "Thank you: your request to join " + list.address().asString()
                + " was passed to the moderators", approvalNotices(list, approving), approving);
        }
        if (!requests.moveRequest(request.id(), RequestState.CONFIRMING, RequestState.DONE, address.asString(), now)) {
            return alreadyHandled(list, request);
        }
        return subscribeFromRequest(list, request);
    }

    private Result subscribeFromRequest(MailingList list, PendingRequest request) {
        MailAddress address = request.address();
        Optional<Member> existing = roster.findMember(list.id(), address);
        if (existing.isPresent() && existing.get().role().receivesPosts()) {
            return Result.of(Outcome.ALREADY_MEMBER, address.asString() + " is already a member of " + list.address().asString());
        }
        Member.Builder member = Member.builder(address).displayName(request.displayName().orElse(null));
        request.digest().ifPresent(member::digest);
        subscribeNow(list, member.build(), existing.isPresent());
        return Result.of(Outcome.SUBSCRIBED, address.asString() + " is now a member of " + list.address().asString(),
            List.of(welcome(address)), request);
    }

    private static boolean isAdminRequest(PendingRequest request) {
        return request.requestedBy().map(Requester::isAdminLabel).orElse(false);
    }

    // ---- moderators' decisions

    /** A moderator approves an open request (one waiting for approval, or, overriding, for confirmation). */
    public Result approve(MailingList list, long requestId, String moderator) {
        return transactions.atomically(() -> {
            Optional<PendingRequest> request = requests.findRequest(list.id(), requestId);
            if (request.isEmpty()) {
                return Result.of(Outcome.NO_SUCH_REQUEST, "No request " + requestId + " on " + list.address().asString());
            }
            return decide(list, request.get(), true, moderator, Optional.empty(), false);
        });
    }

    /** A moderator turns an open request down; the address is told only if it had confirmed its request. */
    public Result reject(MailingList list, long requestId, String moderator, Optional<String> reason) {
        return transactions.atomically(() -> {
            Optional<PendingRequest> request = requests.findRequest(list.id(), requestId);
            if (request.isEmpty()) {
                return Result.of(Outcome.NO_SUCH_REQUEST, "No request " + requestId + " on " + list.address().asString());
            }
            return decide(list, request.get(), false, moderator, reason, false);
        });
    }

    private Result decide(MailingList list, PendingRequest request, boolean approve, String moderator, Optional<String> reason,
                          boolean replay) {
        Instant now = clock.instant();
        if (!request.isOpenAt(now)) {
            return request.state().open()
                ? Result.of(Outcome.TOKEN_EXPIRED, "Request " + request.id() + " expired on " + EXPIRY.format(request.expiresAt()))
                : replayOrHandled(list, request, replay);
        }
        RequestState target = approve ? RequestState.DONE : RequestState.REJECTED;
        if (!requests.moveRequest(request.id(), request.state(), target, moderator, now)) {
            return alreadyHandled(list, request);
        }
        if (!approve) {
            LOGGER.info("Request {} ({} {}) on {} rejected by {}", request.id(), request.action().value(), request.address().asString(),
                list.address().asString(), moderator);
            List<Notice> notices = request.state() == RequestState.APPROVING
                ? List.of(Notice.to(request.address(), NoticeKind.REQUEST_REJECTED, Map.of("address", request.address().asString(),
                    "action", actionWord(request.action()), "reason", reason.map(r -> "Reason: " + r).orElse(""))))
                : List.of();
            return Result.of(Outcome.REJECTED, "Request " + request.id() + " was rejected", notices, request);
        }
        LOGGER.info("Request {} ({} {}) on {} approved by {}", request.id(), request.action().value(), request.address().asString(),
            list.address().asString(), moderator);
        if (request.action() == RequestAction.UNSUBSCRIBE) {
            roster.removeMember(list.id(), request.address());
            return Result.of(Outcome.APPROVED, "Request " + request.id() + " was approved: " + request.address().asString()
                + " has left", List.of(goodbye(request.address())), request);
        }
        Result subscribed = subscribeFromRequest(list, request);
        return Result.of(Outcome.APPROVED, "Request " + request.id() + " was approved: " + subscribed.message(),
            subscribed.notices(), request);
    }

    private Result replayOrHandled(MailingList list, PendingRequest request, boolean replay) {
        if (replay && request.state() == RequestState.DONE) {
            // the same confirmation mail, run again after a crash: answer as the first run did
            return request.action() == RequestAction.SUBSCRIBE
                ? Result.of(Outcome.SUBSCRIBED, request.address().asString() + " is now a member of " + list.address().asString())
                : Result.of(Outcome.UNSUBSCRIBED, request.address().asString() + " has left " + list.address().asString());
        }
        return alreadyHandled(list, request);
    }

    private Result alreadyHandled(MailingList list, PendingRequest request) {
        PendingRequest now = requests.findRequest(list.id(), request.id()).orElse(request);
        String by = now.decidedBy().map(who -> " by " + who).orElse("");
        return Result.of(Outcome.ALREADY_HANDLED, "Request " + request.id() + " was already handled" + by + " ("
            + now.state().value() + "); nothing more to do", List.of(), now);
    }

    // ---- notices

    private Notice confirmation(MailingList list, PendingRequest request, NoticeKind kind, Requester requester) {
        String token = issue(list, TokenAction.CONFIRM, request, request.address());
        Map<String, String> values = new HashMap<>();
        values.put("address", request.address().asString());
        values.put("requestedBy", requester.label());
        values.put("token", token);
        values.put("confirmAddress", list.confirmAddress(token).asString());
        values.put("confirmPage", webPages.map(base -> "\nor open this page and press Confirm:\n" + confirmPage(base, list, token) + "\n")
            .orElse(""));
        values.put("expires", EXPIRY.format(request.expiresAt()));
        return Notice.to(request.address(), kind, values);
    }

    /** The web page that confirms {@code token} of {@code list}: {@code {base}/lists/{list}/confirm/{token}}. */
    public static String confirmPage(URI base, MailingList list, String token) {
        return base.toString().replaceAll("/+$", "") + "/lists/" + list.address().asString() + "/confirm/" + token;
    }

    private List<Notice> approvalNotices(MailingList list, PendingRequest request) {
        List<Notice> notices = new ArrayList<>();
        for (MailAddress moderator : moderators(list)) {
            String token = issue(list, TokenAction.APPROVE, request, moderator);
            Map<String, String> values = new HashMap<>();
            values.put("address", request.address().asString());
            values.put("action", actionWord(request.action()));
            values.put("requestId", String.valueOf(request.id()));
            values.put("requestedBy", request.requestedBy().orElse("?"));
            values.put("token", token);
            values.put("confirmAddress", list.confirmAddress(token).asString());
            values.put("expires", EXPIRY.format(request.expiresAt()));
            notices.add(Notice.toModerator(moderator, NoticeKind.APPROVAL_NEEDED, values));
        }
        return notices;
    }

    /** The list's owners and moderators; the owner address (which reaches the postmaster) when it has none. */
    private List<MailAddress> moderators(MailingList list) {
        Set<MailAddress> result = new LinkedHashSet<>();
        for (Role role : List.of(Role.OWNER, Role.MODERATOR)) {
            roster.members(list.id(), Optional.of(role), 0, 100).forEach(m -> result.add(m.address()));
        }
        return result.isEmpty() ? List.of(list.ownerAddress()) : List.copyOf(result);
    }

    /** A new token for {@code request}, sent to {@code recipient} (the address itself, or a moderator). */
    private String issue(MailingList list, TokenAction action, PendingRequest request, MailAddress recipient) {
        String token = Tokens.generate();
        tokens.saveToken(Tokens.hash(token), list.id(), action, Addresses.key(recipient), Optional.of(request.id()), Optional.empty(),
            clock.instant(), request.expiresAt());
        return token;
    }

    private static Notice welcome(MailAddress address) {
        return Notice.to(address, NoticeKind.WELCOME, Map.of("address", address.asString()));
    }

    private static Notice goodbye(MailAddress address) {
        return Notice.to(address, NoticeKind.GOODBYE, Map.of("address", address.asString()));
    }

    private static String actionWord(RequestAction action) {
        return action == RequestAction.SUBSCRIBE ? "subscribe" : "unsubscribe";
    }
}
