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

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.apache.james.core.MailAddress;
import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.listkeeper.InvalidValueException;
import org.listkeeper.list.ListChanges.Setting;
import org.listkeeper.list.ListSummary;
import org.listkeeper.list.Lists;
import org.listkeeper.list.MailingList;
import org.listkeeper.moderation.ModerationChain;
import org.listkeeper.notices.NoticeKind;
import org.listkeeper.notices.Templates;
import org.listkeeper.parking.ParkedPost;
import org.listkeeper.parking.ParkedPosts;
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
        List<Map<String, Object>> result = new ArrayList<>();
        for (ListSummary summary : listService.lists()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("address", summary.list().address().asString());
            entry.put("displayName", summary.list().displayName());
            entry.put("members", summary.members());
            result.add(entry);
        }
        return json(response, result);
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
        ListSummary summary = listService.list(listAddress(request));
        MailingList list = summary.list();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("address", list.address().asString());
        result.put("listId", list.listId());
        result.put("displayName", list.displayName());
        result.put("description", list.description().orElse(null));
        result.put("subjectPrefix", list.subjectPrefix());
        result.put("footer", list.footerTemplate());
        result.put("archiveUrl", list.archiveUrl().orElse(null));
        result.put("subscriptionPolicy", list.subscriptionPolicy().value());
        result.put("unsubscriptionPolicy", list.unsubscriptionPolicy().value());
        result.put("privateRoster", list.privateRoster());
        result.put("autoRepliesPerDay", list.autoRepliesPerDay());
        result.put("confirmationLifetime", list.setting(Setting.CONFIRMATION_LIFETIME).orElse("3d"));
        result.put("moderatorPassword", list.moderatorPasswordHash().isPresent());
        result.put("emergency", list.emergency());
        result.put("defaultMemberAction", list.defaultMemberAction().value());
        result.put("defaultNonmemberAction", list.defaultNonmemberAction().value());
        result.put("bannedAddresses", lines(list.setting(Setting.BANNED_ADDRESSES)));
        result.put("acceptableAliases", lines(list.setting(Setting.ACCEPTABLE_ALIASES)));
        result.put("requireExplicitDestination", list.requireExplicitDestination());
        result.put("maxRecipients", list.maxRecipients());
        result.put("maxMessageSize", list.maxMessageSizeKb());
        result.put("administrivia", list.administrivia());
        result.put("suspiciousHeaders", lines(list.setting(Setting.SUSPICIOUS_HEADERS)));
        result.put("moderationChain", list.moderationChain().orElse(ModerationChain.DEFAULT));
        result.put("moderatorNotification", list.moderatorNotification().value());
        result.put("heldPostLifetime", list.setting(Setting.HELD_POST_LIFETIME).orElse("14d"));
        result.put("notifyHeldPoster", list.notifyHeldPoster());
        result.put("bounceScoreThreshold", list.bounceScoreThreshold());
        result.put("bounceWarnings", list.bounceWarnings());
        result.put("bounceWarningInterval", list.setting(Setting.BOUNCE_WARNING_INTERVAL).orElse("7d"));
        result.put("bounceProbeGrace", list.setting(Setting.BOUNCE_PROBE_GRACE).orElse("2d"));
        result.put("bounceScoreDecay", list.setting(Setting.BOUNCE_SCORE_DECAY).orElse("7d"));
        result.put("delivery", list.delivery().value());
        result.put("verp", list.verp().value());
        result.put("dmarcMitigation", list.dmarcMitigation().value());
        result.put("dmarcMitigateUnconditionally", list.dmarcMitigateUnconditionally());
        result.put("keepAuthorDkimSignature", list.keepAuthorDkimSignature());
        result.put("members", summary.members());
        return json(response, result);
    }

    private static List<String> lines(Optional<String> text) {
        List<String> lines = new ArrayList<>();
        text.ifPresent(value -> {
            for (String line : value.split("\n")) {
                if (!line.isBlank()) {
                    lines.add(line.strip());
                }
            }
        });
        return lines;
    }

    private Object deleteList(Request request, Response response) {
        listService.delete(listAddress(request));
        return noContent(response);
    }

    // ---- templates

    private Object listTemplates(Request request, Response response) {
        MailingList list = lists.getList(listAddress(request));
        List<Map<String, Object>> result = new ArrayList<>();
        for (NoticeKind kind : NoticeKind.values()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", kind.templateName());
            entry.put("custom", templates.ownText(list, kind).isPresent());
            entry.put("variables", new TreeSet<>(kind.variables()));
            result.add(entry);
        }
        return json(response, result);
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
        List<Map<String, Object>> result = new ArrayList<>();
        for (ParkedPost post : parkedPosts.list(listAddress(request))) {
            result.add(parkedJson(post));
        }
        return json(response, result);
    }

    private Object getParked(Request request, Response response) {
        MailAddress list = listAddress(request);
        String id = request.params(PARKED);
        return json(response, parkedJson(parkedPosts.get(list, id).orElseThrow(() -> notFoundParked(list, id))));
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
}
