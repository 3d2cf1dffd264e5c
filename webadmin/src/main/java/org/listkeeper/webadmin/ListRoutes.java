package org.listkeeper.webadmin;

import static org.listkeeper.webadmin.RouteSupport.LIST;
import static org.listkeeper.webadmin.RouteSupport.bodyObject;
import static org.listkeeper.webadmin.RouteSupport.guarded;
import static org.listkeeper.webadmin.RouteSupport.json;
import static org.listkeeper.webadmin.RouteSupport.listAddress;
import static org.listkeeper.webadmin.RouteSupport.listChanges;
import static org.listkeeper.webadmin.RouteSupport.noContent;
import static org.listkeeper.webadmin.RouteSupport.notFound;
import static org.listkeeper.webadmin.RouteSupport.settingNames;

import java.util.Arrays;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.apache.james.core.MailAddress;
import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.listkeeper.InvalidValueException;
import org.listkeeper.list.Lists;
import org.listkeeper.list.MailingList;
import org.listkeeper.notices.NoticeKind;
import org.listkeeper.notices.Templates;
import org.listkeeper.parking.ParkedPosts;
import org.listkeeper.webadmin.dto.ListDTO;
import org.listkeeper.webadmin.dto.ListSummaryDTO;
import org.listkeeper.webadmin.dto.ParkedPostDTO;
import org.listkeeper.webadmin.dto.TemplateDTO;
import org.listkeeper.webadmin.service.ListService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import spark.HaltException;
import spark.Request;
import spark.Response;
import spark.Service;

/**
 * Lists, their settings, templates and parked posts over James WebAdmin, under {@code /lists}: JSON in and
 * out, James's error body, 204 without a body on success. Rosters and requests are {@link MemberRoutes}. Listed in {@code webadmin.properties} as
 * {@code extensions.routes=org.listkeeper.webadmin.ListRoutes}.
 */
public final class ListRoutes implements Routes {
    public static final String BASE_PATH = "/lists";
    private static final Logger LOGGER = LoggerFactory.getLogger(ListRoutes.class);
    private static final String PARKED = ":parked";
    private static final String TEMPLATE = ":template";

    private final ListService listService;
    private final Lists lists;
    private final Templates templates;
    private final ParkedPosts parkedPosts;
    private final JsonTransformer jsonTransformer;

    @Inject
    public ListRoutes(ListService listService, Lists lists, Templates templates, ParkedPosts parkedPosts, JsonTransformer jsonTransformer) {
        this.listService = listService;
        this.lists = lists;
        this.templates = templates;
        this.parkedPosts = parkedPosts;
        this.jsonTransformer = jsonTransformer;
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
        service.patch(BASE_PATH + "/" + LIST, guarded(this::patchList));
        service.get(BASE_PATH + "/" + LIST + "/templates", guarded(this::listTemplates), jsonTransformer);
        service.get(BASE_PATH + "/" + LIST + "/templates/" + TEMPLATE, guarded(this::getTemplate));
        service.put(BASE_PATH + "/" + LIST + "/templates/" + TEMPLATE, guarded(this::putTemplate));
        service.delete(BASE_PATH + "/" + LIST + "/templates/" + TEMPLATE, guarded(this::deleteTemplate));
        service.get(BASE_PATH + "/" + LIST + "/parked", guarded(this::listParked), jsonTransformer);
        service.get(BASE_PATH + "/" + LIST + "/parked/" + PARKED, guarded(this::getParked), jsonTransformer);
        service.post(BASE_PATH + "/" + LIST + "/parked/" + PARKED, guarded(this::actOnParked));
    }

    // ---- lists

    private Object listLists(Request request, Response response) {
        return json(response, listService.lists().stream().map(ListSummaryDTO::from).collect(Collectors.toList()));
    }

    private Object putList(Request request, Response response) {
        MailAddress address = listAddress(request);
        listService.put(address, listChanges(bodyObject(request, settingNames())));
        return noContent(response);
    }

    /** Changes the settings named in the body of an existing list; 404 when there is no such list. */
    private Object patchList(Request request, Response response) {
        MailAddress address = listAddress(request);
        listService.patch(address, listChanges(bodyObject(request, settingNames())));
        return noContent(response);
    }

    private Object getList(Request request, Response response) {
        return json(response, ListDTO.from(listService.list(listAddress(request))));
    }

    private Object deleteList(Request request, Response response) {
        listService.delete(listAddress(request));
        return noContent(response);
    }

    // ---- templates

    private Object listTemplates(Request request, Response response) {
        MailingList list = lists.getList(listAddress(request));
        return json(response, Arrays.stream(NoticeKind.values())
            .map(kind -> TemplateDTO.of(kind, templates.ownText(list, kind).isPresent()))
            .collect(Collectors.toList()));
    }

    private Object getTemplate(Request request, Response response) {
        MailingList list = lists.getList(listAddress(request));
        NoticeKind kind = templateKind(request);
        response.type("text/plain; charset=UTF-8");
        return templates.text(list, kind);
    }

    private Object putTemplate(Request request, Response response) {
        MailingList list = lists.getList(listAddress(request));
        NoticeKind kind = templateKind(request);
        templates.save(list, kind, request.body());
        LOGGER.info("Template {} of list {} replaced through WebAdmin", kind.templateName(), list.address().asString());
        return noContent(response);
    }

    private Object deleteTemplate(Request request, Response response) {
        MailingList list = lists.getList(listAddress(request));
        NoticeKind kind = templateKind(request);
        if (templates.reset(list, kind)) {
            LOGGER.info("Template {} of list {} back to the default", kind.templateName(), list.address().asString());
        }
        return noContent(response);
    }

    private static NoticeKind templateKind(Request request) {
        String name = request.params(TEMPLATE);
        return NoticeKind.byTemplateName(name).orElseThrow(() -> notFound("No template '" + name + "'; known are "
            + Arrays.stream(NoticeKind.values()).map(NoticeKind::templateName).collect(Collectors.joining(", "))));
    }

    // ---- parked posts

    private Object listParked(Request request, Response response) {
        return json(response, parkedPosts.list(listAddress(request)).stream().map(ParkedPostDTO::from).collect(Collectors.toList()));
    }

    private Object getParked(Request request, Response response) {
        MailAddress list = listAddress(request);
        String id = request.params(PARKED);
        return json(response, ParkedPostDTO.from(parkedPosts.get(list, id).orElseThrow(() -> notFoundParked(list, id))));
    }

    private Object actOnParked(Request request, Response response) {
        MailAddress list = listAddress(request);
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
        return notFound("No parked post '" + id + "' of list " + list.asString());
    }
}
