package org.listkeeper.webadmin;

import static org.listkeeper.webadmin.RouteSupport.error;
import static org.listkeeper.webadmin.RouteSupport.guarded;
import static org.listkeeper.webadmin.RouteSupport.json;
import static org.listkeeper.webadmin.RouteSupport.notFound;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import javax.inject.Inject;
import javax.mail.Header;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.ErrorResponder.ErrorType;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.apache.mailet.Mail;
import org.apache.mailet.MailetContext;
import org.listkeeper.InvalidValueException;
import org.listkeeper.list.Addresses;
import org.listkeeper.list.MailingList;
import org.listkeeper.list.Role;
import org.listkeeper.moderation.HeldPost;
import org.listkeeper.moderation.HeldState;
import org.listkeeper.moderation.HoldQueue;
import org.listkeeper.moderation.Moderation;
import org.listkeeper.notices.Dispatch;
import org.listkeeper.notices.Templates;
import org.listkeeper.pipeline.PipelineSettings;
import org.listkeeper.store.Stores;

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
    private static final String LIST = ":list";
    private static final String HELD = ":held";
    private static final String BASE = ListRoutes.BASE_PATH + "/" + LIST + "/held";
    private static final int MAX_TEXT = 100_000;

    private final Stores stores;
    private final HoldQueue queue;
    private final MailetContext mailetContext;
    private final JsonTransformer jsonTransformer;
    private final Clock clock;

    @Inject
    public HeldRoutes(Stores stores, HoldQueue queue, MailetContext mailetContext, JsonTransformer jsonTransformer, Clock clock) {
        this.stores = stores;
        this.queue = queue;
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
        service.get(BASE, guarded(this::list), jsonTransformer);
        service.get(BASE + "/" + HELD, guarded(this::get), jsonTransformer);
        service.post(BASE + "/" + HELD, guarded(this::decide), jsonTransformer);
    }

    private Object list(Request request, Response response) {
        MailingList list = stores.lists().getList(Addresses.parse("list address", request.params(LIST)));
        List<Map<String, Object>> result = new ArrayList<>();
        for (HeldPost post : stores.heldPosts().heldPosts(list.id(), clock.instant().minus(list.heldPostLifetime()).minusSeconds(86_400))) {
            if (post.state() == HeldState.HELD) {
                result.add(summary(post));
            }
        }
        return json(response, result);
    }

    private Object get(Request request, Response response) throws MessagingException, IOException {
        MailingList list = stores.lists().getList(Addresses.parse("list address", request.params(LIST)));
        HeldPost post = stores.heldPosts().findHeld(list.id(), id(request)).orElseThrow(() -> notFound("No held post " + request.params(HELD)
            + " of list " + list.address().asString()));
        Map<String, Object> result = summary(post);
        Optional<Mail> mail = queue.get(post.mailKey());
        if (mail.isPresent()) {
            try {
                MimeMessage message = mail.get().getMessage();
                Map<String, List<String>> headers = new LinkedHashMap<>();
                Enumeration<Header> all = message.getAllHeaders();
                while (all.hasMoreElements()) {
                    Header header = all.nextElement();
                    headers.computeIfAbsent(header.getName(), name -> new ArrayList<>()).add(header.getValue());
                }
                result.put("headers", headers);
                result.put("text", text(message));
            } finally {
                LifecycleUtil.dispose(mail.get());
            }
        }
        return json(response, result);
    }

    /** The message as a moderator reads it: the raw text, cut at {@value #MAX_TEXT} characters. */
    private static String text(MimeMessage message) throws MessagingException, IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        String raw = out.toString(StandardCharsets.UTF_8);
        int body = raw.indexOf("\r\n\r\n");
        String text = body < 0 ? "" : raw.substring(body + 4);
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "…";
    }

    private Object decide(Request request, Response response) throws MessagingException {
        MailingList list = stores.lists().getList(Addresses.parse("list address", request.params(LIST)));
        long id = id(request);
        Moderation.Action action = Moderation.Action.parse(request.queryParams("action"));
        Optional<String> reason = Optional.ofNullable(request.queryParams("reason")).filter(r -> !r.isBlank());
        Optional<Role> addSender = Optional.ofNullable(request.queryParams("addSender")).filter(r -> !r.isBlank()).map(Role::parse);
        if (addSender.isPresent() && addSender.get() != Role.MEMBER && addSender.get() != Role.NONMEMBER) {
            throw new InvalidValueException("addSender", addSender.get().value(), "expected member or nonmember");
        }
        String moderator = Optional.ofNullable(request.queryParams("moderator")).filter(m -> !m.isBlank()).orElse("admin");
        Moderation.Result result = new Moderation(stores.heldPosts(), stores.roster(), stores.tokens(), queue, clock).decide(list, id, action, moderator, reason, addSender);
        if (result.outcome() == Moderation.Outcome.NO_SUCH_POST) {
            throw notFound(result.message());
        }
        if (result.outcome() == Moderation.Outcome.ALREADY_HANDLED) {
            throw error(409, ErrorType.WRONG_STATE, result.message(), null);
        }
        new Dispatch(stores.autoReplies(), new Templates(stores.templates())).notify(mailetContext, list, result.notices(), clock.instant(), PipelineSettings.DEFAULT_TRANSPORT);
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
