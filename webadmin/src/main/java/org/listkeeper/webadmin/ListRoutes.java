package org.listkeeper.webadmin;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import javax.inject.Inject;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.api.DomainListException;
import org.apache.james.webadmin.Constants;
import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.ErrorResponder;
import org.apache.james.webadmin.utils.ErrorResponder.ErrorType;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.listkeeper.InvalidValueException;
import org.listkeeper.NoSuchListException;
import org.listkeeper.TransientFailureException;
import org.listkeeper.list.Addresses;
import org.listkeeper.list.Delivery;
import org.listkeeper.list.ListChanges;
import org.listkeeper.list.ListChanges.Setting;
import org.listkeeper.list.ListDirectory;
import org.listkeeper.list.MailingList;
import org.listkeeper.list.Member;
import org.listkeeper.list.Role;
import org.listkeeper.parking.ParkedPost;
import org.listkeeper.parking.ParkedPosts;
import org.listkeeper.store.ListStore;
import org.listkeeper.store.ListSummary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import spark.HaltException;
import spark.Request;
import spark.Response;
import spark.Route;
import spark.Service;

/**
 * Lists and rosters over James WebAdmin, under {@code /lists}: JSON in and out, James's error body,
 * 204 without a body on success. Listed in {@code webadmin.properties} as
 * {@code extensions.routes=org.listkeeper.webadmin.ListRoutes}.
 */
public final class ListRoutes implements Routes {
    public static final String BASE_PATH = "/lists";
    private static final Logger LOGGER = LoggerFactory.getLogger(ListRoutes.class);
    private static final String LIST = ":list";
    private static final String MEMBER = ":member";
    private static final String PARKED = ":parked";
    private static final Set<String> MEMBER_FIELDS = Set.of("role", "displayName", "delivery");

    private final ListStore store;
    private final ListDirectory directory;
    private final DomainList domainList;
    private final JsonTransformer jsonTransformer;
    private final ParkedPosts parkedPosts;
    private final ObjectMapper mapper = new ObjectMapper();

    @Inject
    public ListRoutes(ListStore store, ListDirectory directory, DomainList domainList, JsonTransformer jsonTransformer,
                      ParkedPosts parkedPosts) {
        this.store = store;
        this.directory = directory;
        this.domainList = domainList;
        this.jsonTransformer = jsonTransformer;
        this.parkedPosts = parkedPosts;
    }

    @Override
    public String getBasePath() {
        return BASE_PATH;
    }

    @Override
    public void define(Service service) {
        service.get(BASE_PATH, guarded(this::listLists), jsonTransformer);
        service.put(BASE_PATH + "/" + LIST, guarded(this::putList));
        service.get(BASE_PATH + "/" + LIST, guarded(this::getList), jsonTransformer);
        service.delete(BASE_PATH + "/" + LIST, guarded(this::deleteList));
        service.get(BASE_PATH + "/" + LIST + "/members", guarded(this::listMembers), jsonTransformer);
        service.put(BASE_PATH + "/" + LIST + "/members/" + MEMBER, guarded(this::putMember));
        service.delete(BASE_PATH + "/" + LIST + "/members/" + MEMBER, guarded(this::deleteMember));
        service.get(BASE_PATH + "/" + LIST + "/parked", guarded(this::listParked), jsonTransformer);
        service.get(BASE_PATH + "/" + LIST + "/parked/" + PARKED, guarded(this::getParked), jsonTransformer);
        service.post(BASE_PATH + "/" + LIST + "/parked/" + PARKED, guarded(this::actOnParked));
    }

    // ---- lists

    private Object listLists(Request request, Response response) {
        List<Map<String, Object>> result = new ArrayList<>();
        for (ListSummary summary : store.lists()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("address", summary.list().address().asString());
            entry.put("displayName", summary.list().displayName());
            entry.put("members", summary.members());
            result.add(entry);
        }
        return json(response, result);
    }

    private Object putList(Request request, Response response) {
        MailAddress address = Addresses.parse("list address", request.params(LIST));
        ObjectNode body = bodyObject(request, Set.of(Setting.values()).stream().map(Setting::jsonName)
            .collect(java.util.stream.Collectors.toSet()));
        ListChanges.Builder changes = ListChanges.builder();
        for (Setting setting : Setting.values()) {
            if (body.has(setting.jsonName())) {
                changes.set(setting, textOrNull(body, setting.jsonName()));
            }
        }
        ListChanges validated = changes.build();
        ensureDomain(address.getDomain());
        store.saveList(address, validated);
        directory.invalidate();
        LOGGER.info("List {} saved through WebAdmin", address.asString());
        return noContent(response);
    }

    private Object getList(Request request, Response response) {
        MailingList list = store.getList(Addresses.parse("list address", request.params(LIST)));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("address", list.address().asString());
        result.put("listId", list.listId());
        result.put("displayName", list.displayName());
        result.put("description", list.description().orElse(null));
        result.put("subjectPrefix", list.subjectPrefix());
        result.put("footer", list.footerTemplate());
        result.put("archiveUrl", list.archiveUrl().orElse(null));
        result.put("members", store.memberCount(list.address()));
        return json(response, result);
    }

    private Object deleteList(Request request, Response response) {
        MailAddress address = Addresses.parse("list address", request.params(LIST));
        if (store.deleteList(address)) {
            directory.invalidate();
            LOGGER.info("List {} deleted through WebAdmin", address.asString());
        }
        return noContent(response);
    }

    // ---- members

    private Object listMembers(Request request, Response response) {
        List<Map<String, Object>> result = new ArrayList<>();
        for (Member member : store.members(Addresses.parse("list address", request.params(LIST)))) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("address", member.address().asString());
            entry.put("role", member.role().value());
            entry.put("displayName", member.displayName().orElse(null));
            entry.put("delivery", member.delivery().value());
            result.add(entry);
        }
        return json(response, result);
    }

    private Object putMember(Request request, Response response) {
        MailAddress list = Addresses.parse("list address", request.params(LIST));
        MailAddress address = Addresses.parse("member address", request.params(MEMBER));
        ObjectNode body = bodyObject(request, MEMBER_FIELDS);
        Optional<Member> existing = store.findMember(list, address);
        Role role = body.has("role") ? Role.parse(textOrNull(body, "role"))
            : existing.map(Member::role).orElse(Role.MEMBER);
        Delivery delivery = body.has("delivery") ? Delivery.parse(textOrNull(body, "delivery"))
            : existing.map(Member::delivery).orElse(Delivery.ENABLED);
        String displayName = body.has("displayName") ? textOrNull(body, "displayName")
            : existing.flatMap(Member::displayName).orElse(null);
        if (displayName != null && (displayName.length() > 255 || displayName.chars().anyMatch(c -> c < 0x20))) {
            throw new InvalidValueException("displayName", displayName, "must be one line of at most 255 characters");
        }
        store.saveMember(list, Member.of(address, displayName, role, delivery));
        return noContent(response);
    }

    private Object deleteMember(Request request, Response response) {
        MailAddress list = Addresses.parse("list address", request.params(LIST));
        MailAddress address = Addresses.parse("member address", request.params(MEMBER));
        store.removeMember(list, address);
        return noContent(response);
    }

    // ---- parked posts

    private Object listParked(Request request, Response response) {
        MailAddress list = Addresses.parse("list address", request.params(LIST));
        List<Map<String, Object>> result = new ArrayList<>();
        for (ParkedPost post : parkedPosts.list(list)) {
            result.add(parkedJson(post));
        }
        return json(response, result);
    }

    private Object getParked(Request request, Response response) {
        MailAddress list = Addresses.parse("list address", request.params(LIST));
        String id = request.params(PARKED);
        return json(response, parkedJson(parkedPosts.get(list, id).orElseThrow(() -> notFoundParked(list, id))));
    }

    private Object actOnParked(Request request, Response response) {
        MailAddress list = Addresses.parse("list address", request.params(LIST));
        String id = request.params(PARKED);
        String action = request.queryParams("action");
        boolean done;
        if ("replay".equals(action)) {
            done = parkedPosts.replay(list, id);
        } else if ("discard".equals(action)) {
            done = parkedPosts.discard(list, id);
        } else {
            throw new InvalidValueException("action", String.valueOf(action), "expected replay or discard");
        }
        if (!done) {
            throw notFoundParked(list, id);
        }
        return noContent(response);
    }

    private static HaltException notFoundParked(MailAddress list, String id) {
        return error(404, ErrorType.NOT_FOUND, "No parked post '" + id + "' of list " + list.asString(), null);
    }

    private static Map<String, Object> parkedJson(ParkedPost post) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("id", post.id());
        entry.put("handler", post.handler().orElse(null));
        entry.put("error", post.error().orElse(null));
        entry.put("parkedAt", post.parkedAt().orElse(null));
        entry.put("messageId", post.messageId().orElse(null));
        entry.put("subject", post.subject().orElse(null));
        entry.put("sender", post.sender().orElse(null));
        return entry;
    }

    // ---- plumbing

    private void ensureDomain(Domain domain) {
        try {
            if (!domainList.containsDomain(domain)) {
                domainList.addDomain(domain);
                LOGGER.info("Added domain {} to James for a list", domain.asString());
            }
        } catch (DomainListException e) {
            throw new TransientFailureException("Cannot add domain " + domain.asString() + " to James: " + e.getMessage(), e);
        }
    }

    private ObjectNode bodyObject(Request request, Set<String> allowed) {
        String body = request.body();
        if (body == null || body.isBlank()) {
            return mapper.createObjectNode();
        }
        JsonNode node;
        try {
            node = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidValueException("JSON body", abbreviate(body), "not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new InvalidValueException("JSON body", abbreviate(body), "expected a JSON object");
        }
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new InvalidValueException("field", name, "unknown; known fields are " + String.join(", ", new TreeSet<>(allowed)));
            }
        }
        return (ObjectNode) node;
    }

    private static String textOrNull(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidValueException(field, value.toString(), "expected a string or null");
        }
        return value.asText();
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "…";
    }

    private static Object json(Response response, Object value) {
        response.type(Constants.JSON_CONTENT_TYPE);
        return value;
    }

    private static Object noContent(Response response) {
        response.status(204);
        return Constants.EMPTY_BODY;
    }

    /** Turns Listkeeper's errors into James's error body with the right status. */
    private static Route guarded(Route route) {
        return (request, response) -> {
            try {
                return route.handle(request, response);
            } catch (HaltException e) {
                throw e;
            } catch (InvalidValueException e) {
                throw error(400, ErrorType.INVALID_ARGUMENT, e.getMessage(), e);
            } catch (NoSuchListException e) {
                throw error(404, ErrorType.NOT_FOUND, e.getMessage(), e);
            } catch (TransientFailureException e) {
                throw error(503, ErrorType.SERVER_ERROR, e.getMessage(), e);
            }
        };
    }

    private static HaltException error(int status, ErrorType type, String message, Exception cause) {
        ErrorResponder responder = ErrorResponder.builder().statusCode(status).type(type).message(message);
        return (cause == null ? responder : responder.cause(cause)).haltError();
    }
}
