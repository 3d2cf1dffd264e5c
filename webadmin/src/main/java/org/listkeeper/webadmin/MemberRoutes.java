package org.listkeeper.webadmin;

import static org.listkeeper.webadmin.RouteSupport.LIST;
import static org.listkeeper.webadmin.RouteSupport.booleanField;
import static org.listkeeper.webadmin.RouteSupport.bodyObject;
import static org.listkeeper.webadmin.RouteSupport.error;
import static org.listkeeper.webadmin.RouteSupport.guarded;
import static org.listkeeper.webadmin.RouteSupport.intParam;
import static org.listkeeper.webadmin.RouteSupport.json;
import static org.listkeeper.webadmin.RouteSupport.listAddress;
import static org.listkeeper.webadmin.RouteSupport.noContent;
import static org.listkeeper.webadmin.RouteSupport.notFound;
import static org.listkeeper.webadmin.RouteSupport.textOrNull;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.james.task.TaskManager;
import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.tasks.TaskFromRequest;
import org.apache.james.webadmin.utils.ErrorResponder.ErrorType;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.listkeeper.InvalidValueException;
import org.listkeeper.list.Addresses;
import org.listkeeper.list.Delivery;
import org.listkeeper.list.DigestMode;
import org.listkeeper.list.DisabledBy;
import org.listkeeper.list.ModerationAction;
import org.listkeeper.list.Role;
import org.listkeeper.membership.Outcome;
import org.listkeeper.webadmin.dto.DecisionDTO;
import org.listkeeper.webadmin.dto.MemberDTO;
import org.listkeeper.webadmin.dto.MemberDetailsDTO;
import org.listkeeper.bounces.BlockEvent;
import org.listkeeper.bounces.BounceSummary;
import org.listkeeper.internal.Durations;
import org.listkeeper.webadmin.dto.RequestDTO;
import org.listkeeper.webadmin.service.MemberChanges;
import org.listkeeper.webadmin.service.MemberImportService;
import org.listkeeper.webadmin.service.MemberImportTask;
import org.listkeeper.webadmin.service.RequestService;
import org.listkeeper.webadmin.service.RosterService;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import spark.Request;
import spark.Response;
import spark.Service;

/**
 * Rosters and membership requests over James WebAdmin, under {@code /lists/{list}}: members page by page or as
 * CSV, one member's options, bulk imports as WebAdmin tasks, and the requests waiting for a moderator. Listed in
 * {@code webadmin.properties} beside {@link ListRoutes}.
 */
public final class MemberRoutes implements Routes {
    private static final String MEMBER = ":member";
    private static final String REQUEST = ":request";
    private static final String MEMBERS = ListRoutes.BASE_PATH + "/" + LIST + "/members";
    private static final String REQUESTS = ListRoutes.BASE_PATH + "/" + LIST + "/requests";
    private static final String BOUNCES = ListRoutes.BASE_PATH + "/" + LIST + "/bounces";
    private static final java.time.Duration DEFAULT_SINCE = java.time.Duration.ofDays(7);
    private static final Set<String> MEMBER_FIELDS = Set.of("role", "displayName", "delivery", "disabledBy", "digest",
        "receiveOwnPosts", "hideAddress", "moderationAction", "bounceScore");

    private final RosterService roster;
    private final MemberImportService imports;
    private final RequestService requests;
    private final TaskManager taskManager;
    private final JsonTransformer jsonTransformer;

    @Inject
    public MemberRoutes(RosterService roster, MemberImportService imports, RequestService requests, TaskManager taskManager,
                        JsonTransformer jsonTransformer) {
        this.roster = roster;
        this.imports = imports;
        this.requests = requests;
        this.taskManager = taskManager;
        this.jsonTransformer = jsonTransformer;
    }

    @Override
    public String getBasePath() {
        return ListRoutes.BASE_PATH;
    }

    @Override
    public void define(Service service) {
        // no transformer here: the CSV export is written as it is, the JSON answer is rendered in the route
        service.get(MEMBERS, guarded(this::listMembers));
        TaskFromRequest importTask = this::importTask;
        service.post(MEMBERS, guarded(importTask.asRoute(taskManager)), jsonTransformer);
        service.get(MEMBERS + "/" + MEMBER, guarded(this::getMember), jsonTransformer);
        service.put(MEMBERS + "/" + MEMBER, guarded(this::putMember));
        service.patch(MEMBERS + "/" + MEMBER, guarded(this::patchMember));
        service.delete(MEMBERS + "/" + MEMBER, guarded(this::deleteMember));
        service.delete(MEMBERS + "/" + MEMBER + "/unsubscribe-token", guarded(this::revokeUnsubscribeToken));
        service.get(BOUNCES, guarded(this::bounces), jsonTransformer);
        service.delete(BOUNCES + "/blocks/:id", guarded(this::closeBlock));
        service.get(REQUESTS, guarded(this::listRequests), jsonTransformer);
        service.post(REQUESTS + "/" + REQUEST, guarded(this::decideRequest), jsonTransformer);
    }

    private static MailAddress memberAddress(Request request) {
        return Addresses.parse("member address", request.params(MEMBER));
    }

    // ---- roster

    private Object listMembers(Request request, Response response) throws JsonProcessingException {
        MailAddress list = listAddress(request);
        Optional<Role> role = Optional.ofNullable(request.queryParams("role")).filter(r -> !r.isBlank()).map(Role::parse);
        String format = Optional.ofNullable(request.queryParams("format")).orElse("json").strip().toLowerCase(Locale.ROOT);
        if (format.equals("csv")) {
            String csv = roster.csv(list, role);
            response.type("text/csv; charset=UTF-8");
            response.header("Content-Disposition", "attachment; filename=\"" + list.getLocalPart() + "-members.csv\"");
            return csv;
        }
        if (!format.equals("json")) {
            throw new InvalidValueException("format", format, "expected json or csv");
        }
        boolean paged = request.queryParams("page") != null || request.queryParams("limit") != null;
        int limit = paged ? intParam(request, "limit", 100, 1, 10_000) : Integer.MAX_VALUE;
        int page = intParam(request, "page", 1, 1, Integer.MAX_VALUE);
        long offset = (long) (page - 1) * (paged ? limit : 0);
        if (offset > Integer.MAX_VALUE) {
            throw new InvalidValueException("page", String.valueOf(page), "beyond the roster");
        }
        RosterService.Page members = roster.page(list, role, (int) offset, limit);
        response.header("X-Total-Count", String.valueOf(members.total()));
        return jsonTransformer.render(json(response, members.members().stream().map(MemberDTO::from).collect(Collectors.toList())));
    }

    // ---- bounces

    /**
     * {@code GET /lists/{list}/bounces?since=}: bounces since an instant ({@code 2026-12-01T00:00:00Z}) or for a
     * duration back from now ({@code 24h}, {@code 7d}; 7 days unless given), by class and receiving domain, with the
     * counts that counted against members and those that did not; then the block events, open ones first.
     */
    private Object bounces(Request request, Response response) {
        Instant now = Instant.now();
        String since = request.queryParams("since");
        Instant from;
        if (since == null || since.isBlank()) {
            from = now.minus(DEFAULT_SINCE);
        } else if (Character.isDigit(since.strip().charAt(0)) && since.contains("T")) {
            try {
                from = Instant.parse(since.strip());
            } catch (java.time.format.DateTimeParseException e) {
                throw new InvalidValueException("since", since, "expected an instant such as 2026-12-01T00:00:00Z or a duration such as 7d");
            }
        } else {
            from = now.minus(Durations.parse("since", since.strip()));
        }
        RosterService.BounceOverview overview = roster.bounces(listAddress(request), from);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("since", overview.since().toString());
        Map<String, Map<String, Integer>> byClass = new LinkedHashMap<>();
        for (String label : List.of("mailbox", "full", "policy", "message", "transient", "unrecognised")) {
            byClass.put(label, new LinkedHashMap<>(Map.of("received", 0, "scored", 0, "notScored", 0)));
        }
        List<Map<String, Object>> byDomain = new java.util.ArrayList<>();
        for (BounceSummary row : overview.summary()) {
            Map<String, Integer> counts = byClass.get(row.bounceClass());
            counts.merge("received", row.received(), Integer::sum);
            counts.merge("scored", row.scored(), Integer::sum);
            counts.merge("notScored", row.notScored(), Integer::sum);
            if (!row.domain().isEmpty()) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("domain", row.domain());
                line.put("class", row.bounceClass());
                line.put("received", row.received());
                line.put("scored", row.scored());
                byDomain.add(line);
            }
        }
        body.put("classes", byClass);
        body.put("domains", byDomain);
        body.put("blocks", overview.blocks().stream().map(MemberRoutes::block).collect(Collectors.toList()));
        return json(response, body);
    }

    private static Map<String, Object> block(BlockEvent event) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", event.id());
        json.put("domain", event.domain());
        json.put("open", event.open());
        json.put("members", event.members());
        json.put("since", event.since().toString());
        json.put("openedAt", event.openedAt().toString());
        json.put("reply", event.reply().orElse(null));
        json.put("closedAt", event.closedAt().map(Object::toString).orElse(null));
        json.put("closedBy", event.closedBy().orElse(null));
        return json;
    }

    /** {@code DELETE /lists/{list}/bounces/blocks/{id}}: an owner closes a block event ({@code 404} when none is open). */
    private Object closeBlock(Request request, Response response) {
        long id;
        try {
            id = Long.parseLong(request.params("id"));
        } catch (NumberFormatException e) {
            throw new InvalidValueException("id", request.params("id"), "expected the number of a block event");
        }
        if (!roster.closeBlock(listAddress(request), id, Instant.now())) {
            throw RouteSupport.notFound("No open block event " + id + " on " + listAddress(request).asString());
        }
        return noContent(response);
    }

    private Object getMember(Request request, Response response) {
        RosterService.Entry entry = roster.member(listAddress(request), memberAddress(request));
        return json(response, MemberDetailsDTO.from(entry.member(), entry.bounces(), entry.detail()));
    }

    private Object putMember(Request request, Response response) {
        MailAddress list = listAddress(request);
        MailAddress address = memberAddress(request);
        roster.put(list, address, memberChanges(bodyObject(request, MEMBER_FIELDS)));
        return noContent(response);
    }

    private Object patchMember(Request request, Response response) {
        MailAddress list = listAddress(request);
        MailAddress address = memberAddress(request);
        roster.patch(list, address, memberChanges(bodyObject(request, MEMBER_FIELDS)));
        return noContent(response);
    }

    /** The options the body names, every value checked; {@code "bounceScore":0} resets the bounce record. */
    private static MemberChanges memberChanges(ObjectNode body) {
        MemberChanges.Builder changes = MemberChanges.builder();
        if (body.has("bounceScore")) {
            JsonNode value = body.get("bounceScore");
            if (!value.isIntegralNumber() || value.asInt() != 0) {
                throw new InvalidValueException("bounceScore", value.toString(), "can only be reset to 0");
            }
            changes.resetBounceRecord();
        }
        if (body.has("role")) {
            changes.role(Role.parse(textOrNull(body, "role")));
        }
        if (body.has("displayName")) {
            changes.displayName(textOrNull(body, "displayName"));
        }
        if (body.has("delivery")) {
            changes.delivery(Delivery.parse(textOrNull(body, "delivery")));
        }
        if (body.has("disabledBy")) {
            changes.disabledBy(DisabledBy.parse(textOrNull(body, "disabledBy")));
        }
        if (body.has("digest")) {
            changes.digest(DigestMode.parse(textOrNull(body, "digest")));
        }
        booleanField(body, "receiveOwnPosts").ifPresent(changes::receiveOwnPosts);
        booleanField(body, "hideAddress").ifPresent(changes::hideAddress);
        if (body.has("moderationAction")) {
            String action = textOrNull(body, "moderationAction");
            changes.moderationAction(action == null ? null : ModerationAction.parse(action));
        }
        return changes.build();
    }

    private Object deleteMember(Request request, Response response) {
        roster.remove(listAddress(request), memberAddress(request));
        return noContent(response);
    }

    /** Makes the member's one-click unsubscribe links already sent stop working; the next copy carries a new one. */
    private Object revokeUnsubscribeToken(Request request, Response response) {
        roster.revokeUnsubscribeToken(listAddress(request), memberAddress(request));
        return noContent(response);
    }

    // ---- import

    /** {@code POST /lists/{list}/members?action=import[&confirm=true|false]} with a CSV or JSON body. */
    private MemberImportTask importTask(Request request) {
        String action = request.queryParams("action");
        if (!"import".equals(action)) {
            throw new InvalidValueException("action", String.valueOf(action), "expected import");
        }
        MailAddress list = listAddress(request);
        String confirm = Optional.ofNullable(request.queryParams("confirm")).orElse("false").strip().toLowerCase(Locale.ROOT);
        if (!confirm.equals("true") && !confirm.equals("false")) {
            throw new InvalidValueException("confirm", confirm, "expected true or false");
        }
        String body = Optional.ofNullable(request.body()).orElse("");
        String contentType = Optional.ofNullable(request.contentType()).orElse("").toLowerCase(Locale.ROOT);
        boolean json = contentType.contains("json") || body.stripLeading().startsWith("[");
        return imports.importTask(list, confirm.equals("true"), json, body);
    }

    // ---- requests

    private Object listRequests(Request request, Response response) {
        return json(response, requests.open(listAddress(request)).stream().map(RequestDTO::from).collect(Collectors.toList()));
    }

    private Object decideRequest(Request request, Response response) throws MessagingException {
        MailAddress list = listAddress(request);
        long id;
        try {
            id = Long.parseLong(request.params(REQUEST));
        } catch (NumberFormatException e) {
            throw new InvalidValueException("request id", request.params(REQUEST), "expected a number");
        }
        String action = request.queryParams("action");
        RequestService.Decision decision;
        if ("approve".equals(action)) {
            decision = requests.approve(list, id);
        } else if ("reject".equals(action)) {
            decision = requests.reject(list, id, Optional.ofNullable(request.queryParams("reason")).filter(r -> !r.isBlank()));
        } else {
            throw new InvalidValueException("action", String.valueOf(action), "expected approve or reject");
        }
        if (decision.outcome() == Outcome.NO_SUCH_REQUEST) {
            throw notFound(decision.message());
        }
        if (decision.outcome() == Outcome.ALREADY_HANDLED || decision.outcome() == Outcome.TOKEN_EXPIRED) {
            throw error(409, ErrorType.WRONG_STATE, decision.message(), null);
        }
        return json(response, DecisionDTO.of(decision.outcome(), decision.message(), decision.request()));
    }
}
