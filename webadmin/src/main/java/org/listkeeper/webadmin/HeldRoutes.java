package org.listkeeper.webadmin;

import static org.listkeeper.webadmin.RouteSupport.LIST;
import static org.listkeeper.webadmin.RouteSupport.error;
import static org.listkeeper.webadmin.RouteSupport.guarded;
import static org.listkeeper.webadmin.RouteSupport.json;
import static org.listkeeper.webadmin.RouteSupport.listAddress;
import static org.listkeeper.webadmin.RouteSupport.notFound;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.ErrorResponder.ErrorType;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.listkeeper.InvalidValueException;
import org.listkeeper.list.Role;
import org.listkeeper.moderation.HeldPost;
import org.listkeeper.moderation.Moderation;
import org.listkeeper.webadmin.service.HeldPostService;

import spark.Request;
import spark.Response;
import spark.Service;

/**
 * Held posts over James WebAdmin, under {@code /lists/{list}/held}: the queue, one post with its headers and
 * text, and the moderator's decision. Of two decisions on one post exactly one is carried out; the other is
 * answered {@code 409} naming the decision and who made it. Listed in {@code webadmin.properties} beside
 * {@link ListRoutes}.
 */
public final class HeldRoutes implements Routes {
    private static final String HELD = ":held";
    private static final String BASE = ListRoutes.BASE_PATH + "/" + LIST + "/held";

    private final HeldPostService heldPosts;
    private final JsonTransformer jsonTransformer;

    @Inject
    public HeldRoutes(HeldPostService heldPosts, JsonTransformer jsonTransformer) {
        this.heldPosts = heldPosts;
        this.jsonTransformer = jsonTransformer;
    }

    @Override
    public String getBasePath() {
        return ListRoutes.BASE_PATH;
    }

    @Override
    public void define(Service service) {
        service.get(BASE, guarded(this::list), jsonTransformer);
        service.get(BASE + "/" + HELD, guarded(this::get), jsonTransformer);
        service.post(BASE + "/" + HELD, guarded(this::decide), jsonTransformer);
    }

    private Object list(Request request, Response response) {
        List<Map<String, Object>> result = new ArrayList<>();
        for (HeldPost post : heldPosts.waiting(listAddress(request))) {
            result.add(summary(post));
        }
        return json(response, result);
    }

    private Object get(Request request, Response response) throws MessagingException, IOException {
        MailAddress list = listAddress(request);
        HeldPostService.HeldMessage held = heldPosts.get(list, id(request))
            .orElseThrow(() -> notFound("No held post " + request.params(HELD) + " of list " + list.asString()));
        Map<String, Object> result = summary(held.post());
        held.headers().ifPresent(headers -> result.put("headers", headers));
        held.text().ifPresent(text -> result.put("text", text));
        return json(response, result);
    }

    private Object decide(Request request, Response response) throws MessagingException {
        MailAddress list = listAddress(request);
        long id = id(request);
        Moderation.Action action = Moderation.Action.parse(request.queryParams("action"));
        Optional<String> reason = Optional.ofNullable(request.queryParams("reason")).filter(r -> !r.isBlank());
        Optional<Role> addSender = Optional.ofNullable(request.queryParams("addSender")).filter(r -> !r.isBlank()).map(Role::parse);
        if (addSender.isPresent() && addSender.get() != Role.MEMBER && addSender.get() != Role.NONMEMBER) {
            throw new InvalidValueException("addSender", addSender.get().value(), "expected member or nonmember");
        }
        String moderator = Optional.ofNullable(request.queryParams("moderator")).filter(m -> !m.isBlank()).orElse("admin");
        Moderation.Result result = heldPosts.decide(list, id, action, moderator, reason, addSender);
        if (result.outcome() == Moderation.Outcome.NO_SUCH_POST) {
            throw notFound(result.message());
        }
        if (result.outcome() == Moderation.Outcome.ALREADY_HANDLED) {
            throw error(409, ErrorType.WRONG_STATE, result.message(), null);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("outcome", result.outcome().name().toLowerCase(Locale.ROOT));
        answer.put("message", result.message());
        return json(response, answer);
    }

    private static long id(Request request) {
        try {
            return Long.parseLong(request.params(HELD));
        } catch (NumberFormatException e) {
            throw new InvalidValueException("held post id", request.params(HELD), "expected a number");
        }
    }

    private static Map<String, Object> summary(HeldPost post) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("id", post.id());
        entry.put("sender", post.sender().orElse(null));
        entry.put("subject", post.subject().orElse(null));
        entry.put("reasons", post.reasons());
        entry.put("heldAt", post.heldAt().toString());
        entry.put("expiresAt", post.expiresAt().toString());
        entry.put("state", post.state().value());
        post.decidedBy().ifPresent(by -> entry.put("decidedBy", by));
        return entry;
    }
}
