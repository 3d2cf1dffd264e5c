package org.listkeeper.webadmin;

import static org.listkeeper.webadmin.RouteSupport.booleanField;
import static org.listkeeper.webadmin.RouteSupport.bodyObject;
import static org.listkeeper.webadmin.RouteSupport.error;
import static org.listkeeper.webadmin.RouteSupport.guarded;
import static org.listkeeper.webadmin.RouteSupport.intParam;
import static org.listkeeper.webadmin.RouteSupport.json;
import static org.listkeeper.webadmin.RouteSupport.noContent;
import static org.listkeeper.webadmin.RouteSupport.notFound;
import static org.listkeeper.webadmin.RouteSupport.textOrNull;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.apache.james.core.MailAddress;
import org.apache.james.task.TaskManager;
import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.tasks.TaskFromRequest;
import org.apache.james.webadmin.utils.ErrorResponder.ErrorType;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.apache.mailet.MailetContext;
import org.listkeeper.InvalidValueException;
import org.listkeeper.bounces.BounceState;
import org.listkeeper.list.Addresses;
import org.listkeeper.list.Delivery;
import org.listkeeper.list.DigestMode;
import org.listkeeper.list.DisabledBy;
import org.listkeeper.list.MailingList;
import org.listkeeper.list.Member;
import org.listkeeper.list.ModerationAction;
import org.listkeeper.list.Role;
import org.listkeeper.membership.Membership;
import org.listkeeper.membership.Outcome;
import org.listkeeper.membership.PendingRequest;
import org.listkeeper.membership.Result;
import org.listkeeper.membership.RosterImport;
import org.listkeeper.notices.Dispatch;
import org.listkeeper.notices.Templates;
import org.listkeeper.pipeline.PipelineSettings;
import org.listkeeper.store.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    private static final Logger LOGGER = LoggerFactory.getLogger(MemberRoutes.class);
    private static final String LIST = ":list";
    private static final String MEMBER = ":member";
    private static final String REQUEST = ":request";
    private static final String MEMBERS = ListRoutes.BASE_PATH + "/" + LIST + "/members";
    private static final String REQUESTS = ListRoutes.BASE_PATH + "/" + LIST + "/requests";
    private static final Set<String> MEMBER_FIELDS = Set.of("role", "displayName", "delivery", "disabledBy", "digest",
        "receiveOwnPosts", "hideAddress", "moderationAction", "bounceScore");
    /** Rows an import takes in one request. */
    static final int MAX_IMPORT_ROWS = 200_000;

    private final Stores stores;
    private final TaskManager taskManager;
    private final MailetContext mailetContext;
    private final JsonTransformer jsonTransformer;
    private final Clock clock;

    @Inject
    public MemberRoutes(Stores stores, TaskManager taskManager, MailetContext mailetContext, JsonTransformer jsonTransformer, Clock clock) {
        this.stores = stores;
        this.taskManager = taskManager;
        this.mailetContext = mailetContext;
        this.jsonTransformer = jsonTransformer;
        this.clock = clock;
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
        service.get(REQUESTS, guarded(this::listRequests), jsonTransformer);
        service.post(REQUESTS + "/" + REQUEST, guarded(this::decideRequest), jsonTransformer);
    }

    // ---- roster

    private Object listMembers(Request request, Response response) throws JsonProcessingException {
        MailAddress list = Addresses.parse("list address", request.params(LIST));
        stores.lists().getList(list);
        Optional<Role> role = Optional.ofNullable(request.queryParams("role")).filter(r -> !r.isBlank()).map(Role::parse);
        String format = Optional.ofNullable(request.queryParams("format")).orElse("json").strip().toLowerCase(Locale.ROOT);
        if (format.equals("csv")) {
            response.type("text/csv; charset=UTF-8");
            response.header("Content-Disposition", "attachment; filename=\"" + list.getLocalPart() + "-members.csv\"");
            return csv(list, role);
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
        response.header("X-Total-Count", String.valueOf(stores.roster().memberCount(listId(list), role)));
        List<Map<String, Object>> result = new ArrayList<>();
        for (Member member : stores.roster().members(listId(list), role, (int) offset, limit)) {
            result.add(memberJson(member));
        }
        return jsonTransformer.render(json(response, result));
    }

    private String csv(MailAddress list, Optional<Role> role) {
        StringWriter out = new StringWriter();
        try (CSVPrinter printer = new CSVPrinter(out, CSVFormat.DEFAULT.builder()
            .setHeader(RosterImport.FIELDS.toArray(new String[0])).build())) {
            int offset = 0;
            while (true) {
                List<Member> page = stores.roster().members(listId(list), role, offset, 1000);
                for (Member member : page) {
                    printer.printRecord(member.address().asString(), member.displayName().orElse(""), member.role().value(),
                        member.delivery().value(), member.disabledBy().map(DisabledBy::value).orElse(""), member.digest().value(),
                        member.receiveOwnPosts(), member.hideAddress(),
                        member.moderationAction().map(ModerationAction::value).orElse(""));
                }
                if (page.size() < 1000) {
                    break;
                }
                offset += page.size();
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot write CSV in memory", e);
        }
        return out.toString();
    }

    private Object getMember(Request request, Response response) {
        MailAddress list = Addresses.parse("list address", request.params(LIST));
        MailAddress address = Addresses.parse("member address", request.params(MEMBER));
        stores.lists().getList(list);
        Member member = stores.roster().findMember(listId(list), address)
            .orElseThrow(() -> notFound(address.asString() + " is not on the roster of " + list.asString()));
        Map<String, Object> entry = memberJson(member);
        BounceState bounces = stores.bounces().bounceState(stores.lists().getList(list).id(), address).orElse(BounceState.clean());
        entry.put("bounceScore", bounces.score());
        entry.put("lastBounceAt", bounces.lastBounceAt().map(Object::toString).orElse(null));
        entry.put("bounceWarnings", bounces.warnings());
        return json(response, entry);
    }

    private Object putMember(Request request, Response response) {
        MailAddress list = Addresses.parse("list address", request.params(LIST));
        MailAddress address = Addresses.parse("member address", request.params(MEMBER));
        ObjectNode body = bodyObject(request, MEMBER_FIELDS);
        Member existing = stores.roster().findMember(listId(list), address).orElseGet(() -> Member.of(address));
        Optional<Integer> bounceScore = bounceScore(body);
        stores.roster().saveMember(listId(list), apply(existing, body));
        if (bounceScore.isPresent()) {
            stores.bounces().saveBounceState(stores.lists().getList(list).id(), address, BounceState.of(0, null, 0, null));
        }
        return noContent(response);
    }

    private Object patchMember(Request request, Response response) {
        MailAddress list = Addresses.parse("list address", request.params(LIST));
        MailAddress address = Addresses.parse("member address", request.params(MEMBER));
        ObjectNode body = bodyObject(request, MEMBER_FIELDS);
        stores.lists().getList(list);
        Member existing = stores.roster().findMember(listId(list), address)
            .orElseThrow(() -> notFound(address.asString() + " is not on the roster of " + list.asString()));
        Optional<Integer> bounceScore = bounceScore(body);
        stores.roster().saveMember(listId(list), apply(existing, body));
        if (bounceScore.isPresent()) {
            // a reset: the score starts again, and so do the warnings
            stores.bounces().saveBounceState(stores.lists().getList(list).id(), address, BounceState.of(bounceScore.get(), null, 0, null));
        }
        return noContent(response);
    }

    private static Optional<Integer> bounceScore(ObjectNode body) {
        if (!body.has("bounceScore")) {
            return Optional.empty();
        }
        JsonNode value = body.get("bounceScore");
        if (!value.isIntegralNumber() || value.asInt() != 0) {
            throw new InvalidValueException("bounceScore", value.toString(), "can only be reset to 0");
        }
        return Optional.of(0);
    }

    /** The member with the options the body names changed; every value is checked before anything is saved. */
    private static Member apply(Member existing, ObjectNode body) {
        Member.Builder member = existing.toBuilder();
        if (body.has("role")) {
            member.role(Role.parse(textOrNull(body, "role")));
        }
        if (body.has("displayName")) {
            member.displayName(textOrNull(body, "displayName"));
        }
        if (body.has("delivery")) {
            Delivery delivery = Delivery.parse(textOrNull(body, "delivery"));
            member.delivery(delivery);
            if (delivery == Delivery.DISABLED && !body.has("disabledBy") && existing.delivery() == Delivery.ENABLED) {
                member.disabledBy(DisabledBy.ADMIN);
            }
        }
        if (body.has("disabledBy")) {
            member.disabledBy(DisabledBy.parse(textOrNull(body, "disabledBy")));
        }
        if (body.has("digest")) {
            member.digest(DigestMode.parse(textOrNull(body, "digest")));
        }
        booleanField(body, "receiveOwnPosts").ifPresent(member::receiveOwnPosts);
        booleanField(body, "hideAddress").ifPresent(member::hideAddress);
        if (body.has("moderationAction")) {
            String action = textOrNull(body, "moderationAction");
            member.moderationAction(action == null ? null : ModerationAction.parse(action));
        }
        return member.build();
    }

    private Object deleteMember(Request request, Response response) {
        MailAddress list = Addresses.parse("list address", request.params(LIST));
        MailAddress address = Addresses.parse("member address", request.params(MEMBER));
        stores.roster().removeMember(listId(list), address);
        return noContent(response);
    }

    /** Makes the member's one-click unsubscribe links already sent stop working; the next copy carries a new one. */
    private Object revokeUnsubscribeToken(Request request, Response response) {
        MailAddress list = Addresses.parse("list address", request.params(LIST));
        MailAddress address = Addresses.parse("member address", request.params(MEMBER));
        long listId = stores.lists().getList(list).id();
        stores.roster().findMember(listId(list), address).orElseThrow(() -> notFound(address.asString() + " is not on the roster of " + list.asString()));
        stores.unsubscribeTokens().revokeUnsubscribeToken(listId, address);
        LOGGER.info("Unsubscribe token of {} on {} revoked", address.asString(), list.asString());
        return noContent(response);
    }

    static Map<String, Object> memberJson(Member member) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("address", member.address().asString());
        entry.put("role", member.role().value());
        entry.put("displayName", member.displayName().orElse(null));
        entry.put("delivery", member.delivery().value());
        entry.put("disabledBy", member.disabledBy().map(DisabledBy::value).orElse(null));
        entry.put("digest", member.digest().value());
        entry.put("receiveOwnPosts", member.receiveOwnPosts());
        entry.put("hideAddress", member.hideAddress());
        entry.put("moderationAction", member.moderationAction().map(ModerationAction::value).orElse(null));
        return entry;
    }

    // ---- import

    /** {@code POST /lists/{list}/members?action=import[&confirm=true|false]} with a CSV or JSON body. */
    private MemberImportTask importTask(Request request) {
        String action = request.queryParams("action");
        if (!"import".equals(action)) {
            throw new InvalidValueException("action", String.valueOf(action), "expected import");
        }
        MailingList list = stores.lists().getList(Addresses.parse("list address", request.params(LIST)));
        String confirm = Optional.ofNullable(request.queryParams("confirm")).orElse("false").strip().toLowerCase(Locale.ROOT);
        if (!confirm.equals("true") && !confirm.equals("false")) {
            throw new InvalidValueException("confirm", confirm, "expected true or false");
        }
        String body = Optional.ofNullable(request.body()).orElse("");
        String contentType = Optional.ofNullable(request.contentType()).orElse("").toLowerCase(Locale.ROOT);
        boolean jsonBody = contentType.contains("json") || body.stripLeading().startsWith("[");
        List<RosterImport.Row> rows = jsonBody ? jsonRows(body) : csvRows(body);
        if (rows.isEmpty()) {
            throw new InvalidValueException("body", RouteSupport.abbreviate(body), "no member rows to import");
        }
        if (rows.size() > MAX_IMPORT_ROWS) {
            throw new InvalidValueException("body", rows.size() + " rows", "at most " + MAX_IMPORT_ROWS + " rows per import");
        }
        LOGGER.info("Import of {} rows into {} submitted (confirm={})", rows.size(), list.address().asString(), confirm);
        RosterImport roster = new RosterImport(stores.roster(), new Membership(stores.roster(), stores.requests(), stores.tokens(), stores.transactions(), clock), list, confirm.equals("true"), rows);
        return new MemberImportTask(roster, stores, mailetContext, clock);
    }

    /**
     * CSV rows: with a header line naming the columns (those of the export), or without one as
     * {@code address[,displayName[,role]]}. A file that does not parse as CSV is refused whole, naming its line.
     */
    static List<RosterImport.Row> csvRows(String body) {
        List<CSVRecord> records;
        try {
            records = CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(true).setTrim(true).build()
                .parse(new StringReader(body)).getRecords();
        } catch (IOException | RuntimeException e) {
            throw new InvalidValueException("CSV body", RouteSupport.abbreviate(String.valueOf(e.getMessage())), "not valid CSV");
        }
        List<RosterImport.Row> rows = new ArrayList<>();
        if (records.isEmpty()) {
            return rows;
        }
        List<String> header;
        int first;
        if (records.get(0).size() > 0 && records.get(0).get(0).strip().equalsIgnoreCase("address")) {
            header = new ArrayList<>();
            for (String name : records.get(0)) {
                String column = RosterImport.FIELDS.stream().filter(f -> f.equalsIgnoreCase(name.strip())).findFirst()
                    .orElseThrow(() -> new InvalidValueException("CSV column", name, "unknown; known are " + String.join(", ",
                        RosterImport.FIELDS)));
                header.add(column);
            }
            first = 1;
        } else {
            header = List.of("address", "displayName", "role");
            first = 0;
        }
        for (int i = first; i < records.size(); i++) {
            CSVRecord record = records.get(i);
            Map<String, String> fields = new HashMap<>();
            for (int column = 0; column < record.size(); column++) {
                if (column >= header.size()) {
                    if (!record.get(column).isBlank()) {
                        fields.put("column " + (column + 1), record.get(column));
                    }
                    continue;
                }
                fields.put(header.get(column), record.get(column));
            }
            rows.add(new RosterImport.Row((int) record.getRecordNumber(), fields));
        }
        return rows;
    }

    /** JSON rows: an array of objects with the export's fields; the n-th object is "line" n. */
    static List<RosterImport.Row> jsonRows(String body) {
        JsonNode node;
        try {
            node = RouteSupport.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidValueException("JSON body", RouteSupport.abbreviate(body), "not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isArray()) {
            throw new InvalidValueException("JSON body", RouteSupport.abbreviate(body), "expected an array of members");
        }
        List<RosterImport.Row> rows = new ArrayList<>();
        int line = 0;
        for (JsonNode element : node) {
            line++;
            Map<String, String> fields = new HashMap<>();
            if (element.isTextual()) {
                fields.put("address", element.asText());
            } else if (element.isObject()) {
                element.fields().forEachRemaining(field -> fields.put(field.getKey(),
                    field.getValue().isNull() ? "" : field.getValue().isValueNode() ? field.getValue().asText() : field.getValue().toString()));
            } else {
                fields.put("address", element.toString());
            }
            rows.add(new RosterImport.Row(line, fields));
        }
        return rows;
    }

    // ---- requests

    private Object listRequests(Request request, Response response) {
        MailingList list = stores.lists().getList(Addresses.parse("list address", request.params(LIST)));
        List<Map<String, Object>> result = new ArrayList<>();
        for (PendingRequest pending : stores.requests().openRequests(list.id(), clock.instant())) {
            result.add(requestJson(pending));
        }
        return json(response, result);
    }

    private Object decideRequest(Request request, Response response) throws MessagingException {
        MailingList list = stores.lists().getList(Addresses.parse("list address", request.params(LIST)));
        long id;
        try {
            id = Long.parseLong(request.params(REQUEST));
        } catch (NumberFormatException e) {
            throw new InvalidValueException("request id", request.params(REQUEST), "expected a number");
        }
        String action = request.queryParams("action");
        Membership membership = new Membership(stores.roster(), stores.requests(), stores.tokens(), stores.transactions(), clock);
        Result result;
        if ("approve".equals(action)) {
            result = membership.approve(list, id, "admin");
        } else if ("reject".equals(action)) {
            result = membership.reject(list, id, "admin", Optional.ofNullable(request.queryParams("reason")).filter(r -> !r.isBlank()));
        } else {
            throw new InvalidValueException("action", String.valueOf(action), "expected approve or reject");
        }
        if (result.outcome() == Outcome.NO_SUCH_REQUEST) {
            throw notFound(result.message());
        }
        if (result.outcome() == Outcome.ALREADY_HANDLED || result.outcome() == Outcome.TOKEN_EXPIRED) {
            throw error(409, ErrorType.WRONG_STATE, result.message(), null);
        }
        new Dispatch(stores.autoReplies(), new Templates(stores.templates())).notify(mailetContext, list, result.notices(), clock.instant(), PipelineSettings.DEFAULT_TRANSPORT);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("outcome", result.outcome().name().toLowerCase(Locale.ROOT));
        answer.put("message", result.message());
        result.request().ifPresent(decided -> answer.put("request", requestJson(stores.requests().findRequest(list.id(), decided.id())
            .orElse(decided))));
        return json(response, answer);
    }

    private static Map<String, Object> requestJson(PendingRequest pending) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("id", pending.id());
        entry.put("action", pending.action().value());
        entry.put("address", pending.address().asString());
        entry.put("displayName", pending.displayName().orElse(null));
        entry.put("state", pending.state().value());
        entry.put("requestedBy", pending.requestedBy().orElse(null));
        entry.put("createdAt", pending.createdAt().toString());
        entry.put("expiresAt", pending.expiresAt().toString());
        entry.put("decidedBy", pending.decidedBy().orElse(null));
        return entry;
    }

    private long listId(MailAddress list) {
        return stores.lists().getList(list).id();
    }
}
