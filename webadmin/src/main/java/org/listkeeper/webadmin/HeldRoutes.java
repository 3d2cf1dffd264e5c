package org.listkeeper.webadmin;

import static org.listkeeper.webadmin.RouteSupport.LIST;
import static org.listkeeper.webadmin.RouteSupport.error;
import static org.listkeeper.webadmin.RouteSupport.guarded;
import static org.listkeeper.webadmin.RouteSupport.json;
import static org.listkeeper.webadmin.RouteSupport.listAddress;
import static org.listkeeper.webadmin.RouteSupport.notFound;

import java.io.IOException;
import java.util.Optional;
import java.util.stream.Collectors;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.ErrorResponder.ErrorType;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.listkeeper.InvalidValueException;
import org.listkeeper.list.Role;
import org.listkeeper.moderation.Moderation;
import org.listkeeper.webadmin.dto.DecisionDTO;
import org.listkeeper.webadmin.dto.HeldPostDTO;
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
        return json(response, heldPosts.waiting(listAddress(request)).stream().map(HeldPostDTO::summary).collect(Collectors.toList()));
    }

    private Object get(Request request, Response response) throws MessagingException, IOException {
        MailAddress list = listAddress(request);
        HeldPostService.HeldMessage held = heldPosts.get(list, id(request))
            .orElseThrow(() -> notFound("No held post " + request.params(HELD) + " of list " + list.asString()));
        return json(response, HeldPostDTO.withMessage(held.post(), held.headers(), held.text()));
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
        return json(response, DecisionDTO.of(result.outcome(), result.message()));
    }

    private static long id(Request request) {
        try {
            return Long.parseLong(request.params(HELD));
        } catch (NumberFormatException e) {
            throw new InvalidValueException("held post id", request.params(HELD), "expected a number");
        }
    }
}
