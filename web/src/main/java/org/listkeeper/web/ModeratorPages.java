package org.listkeeper.web;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import javax.mail.MessagingException;

import org.listkeeper.list.MailingList;
import org.listkeeper.list.Role;
import org.listkeeper.membership.Membership;
import org.listkeeper.membership.PendingRequest;
import org.listkeeper.membership.RequestState;
import org.listkeeper.membership.Result;
import org.listkeeper.moderation.HeldPost;
import org.listkeeper.moderation.Moderation;
import org.listkeeper.webadmin.service.HeldPostService;
import org.listkeeper.webadmin.service.NoticeSender;
import org.listkeeper.webadmin.service.RequestService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import spark.Request;
import spark.Response;
import spark.Service;

/**
 * The moderators' page of a list: held posts (sender, subject, reasons, a text-only preview) to accept, reject with a
 * reason, discard or defer, one at a time or checked in bulk, and pending subscription requests. Every decision is the
 * same compare-and-set as over mail and REST, so of two moderators clicking at once one decides and the other is told
 * who did. For the list's owners and moderators, signed in.
 */
final class ModeratorPages {
    private static final Logger LOGGER = LoggerFactory.getLogger(ModeratorPages.class);
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);
    private static final String LIST = ":list";
    private static final String ID = ":id";

    private final ListAccess access;
    private final HeldPostService held;
    private final RequestService requests;
    private final Membership membership;
    private final NoticeSender notices;
    private final Pages pages;
    private final Csrf csrf;

    ModeratorPages(ListAccess access, HeldPostService held, RequestService requests, Membership membership, NoticeSender notices,
                   Pages pages, Csrf csrf) {
        this.access = Objects.requireNonNull(access);
        this.held = Objects.requireNonNull(held);
        this.requests = Objects.requireNonNull(requests);
        this.membership = Objects.requireNonNull(membership);
        this.notices = Objects.requireNonNull(notices);
        this.pages = Objects.requireNonNull(pages);
        this.csrf = Objects.requireNonNull(csrf);
    }

    void define(Service server) {
        server.get("/lists/" + LIST + "/held", this::heldPage);
        server.get("/lists/" + LIST + "/held/" + ID, this::postPage);
        server.post("/lists/" + LIST + "/held", this::decide);
        server.post("/lists/" + LIST + "/requests/" + ID, this::decideRequest);
    }

    private Optional<ListAccess.Granted> access(Request request, Response response) {
        return access.require(request, response, Set.of(Role.OWNER, Role.MODERATOR), "moderate.refused");
    }

    private Object heldPage(Request request, Response response) {
        Optional<ListAccess.Granted> access = access(request, response);
        if (access.isEmpty()) {
            return ListAccess.refused(response);
        }
        return heldPage(request, response, access.get(), List.of());
    }

    private String heldPage(Request request, Response response, ListAccess.Granted access, List<String> outcomes) {
        MailingList list = access.list;
        List<Map<String, Object>> posts = new ArrayList<>();
        for (HeldPost post : held.waiting(list.address())) {
            Map<String, Object> values = new HashMap<>();
            values.put("id", post.id());
            values.put("sender", post.sender().orElse(""));
            values.put("subject", post.subject().orElse(""));
            values.put("reasons", post.reasons());
            values.put("heldAt", WHEN.format(post.heldAt()));
            posts.add(values);
        }
        List<Map<String, Object>> pending = new ArrayList<>();
        for (PendingRequest open : requests.open(list.address())) {
            if (open.state() == RequestState.APPROVING) {
                pending.add(Map.of("id", open.id(), "address", open.address().asString(), "action", open.action().value()));
            }
        }
        Map<String, Object> values = new HashMap<>();
        values.put("csrf", csrf.token(request, response));
        values.put("list", Map.of("address", list.address().asString(), "name", list.displayName()));
        values.put("posts", posts);
        values.put("requests", pending);
        values.put("outcomes", outcomes);
        response.status(200);
        response.type("text/html; charset=UTF-8");
        return pages.render("held", values);
    }

    private Object postPage(Request request, Response response) {
        Optional<ListAccess.Granted> access = access(request, response);
        if (access.isEmpty()) {
            return ListAccess.refused(response);
        }
        long id;
        try {
            id = Long.parseLong(request.params(ID));
        } catch (NumberFormatException e) {
            id = -1;
        }
        long wanted = id;
        Optional<HeldPost> post = held.waiting(access.get().list.address()).stream().filter(p -> p.id() == wanted).findFirst();
        if (post.isEmpty()) {
            response.status(404);
            response.type("text/html; charset=UTF-8");
            return pages.render("message", Map.of("title", pages.text("moderate.gone.title"), "text", pages.text("moderate.gone.text")));
        }
        Map<String, Object> values = new HashMap<>();
        values.put("csrf", csrf.token(request, response));
        values.put("list", Map.of("address", access.get().list.address().asString(), "name", access.get().list.displayName()));
        values.put("id", post.get().id());
        values.put("sender", post.get().sender().orElse(""));
        values.put("subject", post.get().subject().orElse(""));
        values.put("reasons", post.get().reasons());
        values.put("heldAt", WHEN.format(post.get().heldAt()));
        values.put("preview", held.preview(access.get().list.address(), post.get().id()).orElse(""));
        response.type("text/html; charset=UTF-8");
        return pages.render("held-post", values);
    }

    private Object decide(Request request, Response response) throws MessagingException {
        Optional<ListAccess.Granted> access = access(request, response);
        if (access.isEmpty()) {
            return ListAccess.refused(response);
        }
        Moderation.Action action;
        try {
            action = Moderation.Action.parse(request.queryParams("action"));
        } catch (RuntimeException e) {
            return heldPage(request, response, access.get(), List.of(pages.text("moderate.noAction")));
        }
        String[] ids = Optional.ofNullable(request.queryParamsValues("id")).orElse(new String[0]);
        Optional<String> reason = Optional.ofNullable(request.queryParams("reason")).map(String::strip).filter(r -> !r.isEmpty());
        List<String> outcomes = new ArrayList<>();
        if (ids.length == 0) {
            outcomes.add(pages.text("moderate.noneChecked"));
        }
        for (String value : ids) {
            long id;
            try {
                id = Long.parseLong(value);
            } catch (NumberFormatException e) {
                continue;
            }
            Moderation.Result result = held.decide(access.get().list.address(), id, action, access.get().address.asString(), reason,
                Optional.empty());
            LOGGER.info("Held post {} of {}: {} by {} on the web pages", id, access.get().list.address().asString(), result.outcome(),
                access.get().address.asString());
            outcomes.add(pages.text("moderate.outcome", String.valueOf(id), result.message()));
        }
        return heldPage(request, response, access.get(), outcomes);
    }

    private Object decideRequest(Request request, Response response) throws MessagingException {
        Optional<ListAccess.Granted> access = access(request, response);
        if (access.isEmpty()) {
            return ListAccess.refused(response);
        }
        long id;
        try {
            id = Long.parseLong(request.params(ID));
        } catch (NumberFormatException e) {
            return heldPage(request, response, access.get(), List.of(pages.text("moderate.noAction")));
        }
        MailingList list = access.get().list;
        String moderator = access.get().address.asString();
        Optional<String> reason = Optional.ofNullable(request.queryParams("reason")).map(String::strip).filter(r -> !r.isEmpty());
        Result result = "approve".equals(request.queryParams("action"))
            ? membership.approve(list, id, moderator)
            : membership.reject(list, id, moderator, reason);
        notices.send(list, result.notices());
        return heldPage(request, response, access.get(), List.of(pages.text("moderate.outcome", String.valueOf(id), result.message())));
    }
}
