package org.listkeeper.webadmin.service;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.listkeeper.list.Lists;
import org.listkeeper.list.MailingList;
import org.listkeeper.membership.Membership;
import org.listkeeper.membership.Outcome;
import org.listkeeper.membership.PendingRequest;
import org.listkeeper.membership.Requests;
import org.listkeeper.membership.Result;

/**
 * Requests to join or leave that wait for a moderator, decided by an administrator: of two decisions on one request
 * exactly one is carried out, and the notices it calls for (a welcome, a refusal) are sent.
 */
public final class RequestService {
    /** Who decides through WebAdmin, as the request records it. */
    private static final String ADMIN = "admin";

    private final Lists lists;
    private final Requests requests;
    private final Membership membership;
    private final NoticeSender notices;
    private final Clock clock;

    @Inject
    public RequestService(Lists lists, Requests requests, Membership membership, NoticeSender notices, Clock clock) {
        this.lists = Objects.requireNonNull(lists);
        this.requests = Objects.requireNonNull(requests);
        this.membership = Objects.requireNonNull(membership);
        this.notices = Objects.requireNonNull(notices);
        this.clock = Objects.requireNonNull(clock);
    }

    /** What a decision did, and the request as it stands after it. */
    public static final class Decision {
        private final Result result;
        private final Optional<PendingRequest> request;

        private Decision(Result result, Optional<PendingRequest> request) {
            this.result = result;
            this.request = request;
        }

        public Outcome outcome() {
            return result.outcome();
        }

        public String message() {
            return result.message();
        }

        public Optional<PendingRequest> request() {
            return request;
        }
    }

    /** The list's open, unexpired requests, oldest first. */
    public List<PendingRequest> open(MailAddress list) {
        return requests.openRequests(lists.getList(list).id(), clock.instant());
    }

    public Decision approve(MailAddress list, long requestId) throws MessagingException {
        MailingList target = lists.getList(list);
        return decided(target, membership.approve(target, requestId, ADMIN));
    }

    public Decision reject(MailAddress list, long requestId, Optional<String> reason) throws MessagingException {
        MailingList target = lists.getList(list);
        return decided(target, membership.reject(target, requestId, ADMIN, reason));
    }

    private Decision decided(MailingList list, Result result) throws MessagingException {
        // a refused decision (unknown, expired, already decided) calls for no notice
        notices.send(list, result.notices());
        return new Decision(result, result.request().map(decided -> requests.findRequest(list.id(), decided.id()).orElse(decided)));
    }
}
