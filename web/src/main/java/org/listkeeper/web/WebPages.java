package org.listkeeper.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import javax.annotation.PreDestroy;
import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.listkeeper.InvalidValueException;
import org.listkeeper.ListkeeperException;
import org.listkeeper.internal.Redaction;
import org.listkeeper.list.Addresses;
import org.listkeeper.list.ArchivePolicy;
import org.listkeeper.list.ListSummary;
import org.listkeeper.list.Lists;
import org.listkeeper.list.MailingList;
import org.listkeeper.list.Member;
import org.listkeeper.list.Roster;
import org.listkeeper.signin.SignIn;
import org.listkeeper.webadmin.service.ArchiveService;
import org.listkeeper.webadmin.service.HeldPostService;
import org.listkeeper.webadmin.service.MemberImportService;
import org.apache.james.task.TaskManager;
import org.listkeeper.webadmin.service.ListService;
import org.listkeeper.webadmin.service.RequestService;
import org.listkeeper.webadmin.service.RosterService;
import org.listkeeper.membership.Membership;
import org.listkeeper.membership.Outcome;
import org.listkeeper.membership.PendingRequest;
import org.listkeeper.membership.RequestAction;
import org.listkeeper.membership.Requester;
import org.listkeeper.membership.Result;
import org.listkeeper.membership.TokenAction;
import org.listkeeper.notices.Notice;
import org.listkeeper.unsubscribe.OneClickUnsubscribe;
import org.listkeeper.webadmin.OneClickForm;
import org.listkeeper.webadmin.service.NoticeSender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import spark.Request;
import spark.Response;
import spark.Service;

/**
 * Listkeeper's public web pages, on a port of their own (WebAdmin stays the operator's API): the lists, a list's page
 * with its subscribe form, the confirm page that confirmation mails link to, and RFC 8058 one-click unsubscribe. Every
 * page works without JavaScript; every form carries a CSRF token; every answer carries a strict
 * Content-Security-Policy. Started with James ({@code guice.extension.startable=org.listkeeper.web.WebPages}) when
 * {@code web.port} is not {@code off}.
 */
public final class WebPages {
    private static final Logger LOGGER = LoggerFactory.getLogger(WebPages.class);
    private static final String LIST = ":list";
    private static final String TOKEN = ":token";
    /** No script, no frame, no plug-in, nothing from elsewhere: the pages are HTML and one stylesheet. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        + "frame-ancestors 'none'; base-uri 'none'";

    private final WebConfiguration configuration;
    private final Lists lists;
    private final Membership membership;
    private final OneClickUnsubscribe unsubscribe;
    private final NoticeSender notices;
    private final Pages pages;
    private final Csrf csrf;
    private final RateLimit perClient;
    private final RateLimit perAddress;
    private final byte[] stylesheet;
    private final MemberPages memberPages;
    private final ModeratorPages moderatorPages;
    private final OwnerPages ownerPages;
    private final ArchivePages archivePages;
    private final RosterPages rosterPages;
    private final Sessions sessions;
    private Service service;

    @Inject
    public WebPages(WebConfiguration configuration, Lists lists, Roster roster, RosterService rosterService, Membership membership,
                    OneClickUnsubscribe unsubscribe, SignIn signIn, NoticeSender notices, HeldPostService held, RequestService requests,
                    ListService listService, ArchiveService archive, MemberImportService imports, TaskManager tasks,
                    Clock clock) {
        this.configuration = Objects.requireNonNull(configuration);
        this.lists = Objects.requireNonNull(lists);
        this.membership = Objects.requireNonNull(membership);
        this.unsubscribe = Objects.requireNonNull(unsubscribe);
        this.notices = Objects.requireNonNull(notices);
        this.pages = new Pages(Locale.ENGLISH);
        this.csrf = new Csrf(configuration.secureCookies());
        this.perClient = new RateLimit(30, Duration.ofHours(1), clock);
        this.perAddress = new RateLimit(5, Duration.ofHours(1), clock);
        this.stylesheet = resource("static/style.css");
        this.sessions = new Sessions(signIn, configuration.secureCookies());
        this.memberPages = new MemberPages(lists, roster, rosterService, membership, signIn, notices, configuration.publicBaseUrl(),
            pages, csrf, sessions, clock);
        ListAccess access = new ListAccess(lists, roster, pages, sessions);
        this.moderatorPages = new ModeratorPages(access, held, requests, membership, notices, pages, csrf);
        this.ownerPages = new OwnerPages(access, listService, pages, csrf, sessions);
        this.archivePages = new ArchivePages(lists, roster, archive, pages, sessions);
        this.rosterPages = new RosterPages(ownerPages, roster, rosterService, imports, tasks, pages, csrf);
    }

    /** Starts the server (a no-op when {@code web.port} is off); returns once it listens. */
    public synchronized void start() {
        if (configuration.port().isEmpty() || service != null) {
            return;
        }
        Service server = Service.ignite().ipAddress(configuration.bind()).port(configuration.port().getAsInt());
        // Spark's default on a start-up failure is System.exit: say what failed and let James decide
        server.initExceptionHandler(e -> LOGGER.error("Listkeeper's web pages could not listen on {}:{}: {}", configuration.bind(),
            configuration.port().getAsInt(), e.getMessage()));
        define(server);
        server.awaitInitialization();
        service = server;
        LOGGER.info("Listkeeper web pages on http://{}:{}/", configuration.bind(), server.port());
    }

    /** The port the pages listen on (the chosen one when {@code web.port} is 0). */
    public synchronized int port() {
        if (service == null) {
            throw new IllegalStateException("the web pages are not started");
        }
        return service.port();
    }

    @PreDestroy
    public synchronized void stop() {
        if (service != null) {
            service.stop();
            service.awaitStop();
            service = null;
        }
    }

    private void define(Service server) {
        server.before((request, response) -> {
            response.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
            response.header("X-Content-Type-Options", "nosniff");
            response.header("X-Frame-Options", "DENY");
            // confirm and unsubscribe addresses carry tokens: never hand them to another site
            response.header("Referrer-Policy", "no-referrer");
            response.header("Cache-Control", "no-store");
            if ("POST".equals(request.requestMethod()) && !request.pathInfo().startsWith("/unsubscribe/") && !csrf.accepts(request)) {
                LOGGER.info("Refused a form without its CSRF token from {} to {}", request.ip(), request.pathInfo());
                server.halt(403, page(response, 403, "message", Map.of("title", pages.text("csrf.title"),
                    "text", pages.text("csrf.text"))));
            }
        });
        server.get("/static/style.css", (request, response) -> {
            response.type("text/css; charset=UTF-8");
            response.header("Cache-Control", "public, max-age=3600");
            return stylesheet;
        });
        server.get("/", this::index);
        server.get("/lists/" + LIST, (request, response) -> {
            response.redirect("/lists/" + request.params(LIST) + "/", 301);
            return "";
        });
        server.get("/lists/" + LIST + "/", this::listPage);
        server.post("/lists/" + LIST + "/subscribe", this::subscribe);
        server.get("/lists/" + LIST + "/confirm/" + TOKEN, (request, response) -> withTokenRedacted(() -> confirmPage(request, response)));
        server.post("/lists/" + LIST + "/confirm/" + TOKEN, (request, response) -> withTokenRedacted(() -> confirm(request, response)));
        server.get("/unsubscribe/" + TOKEN, (request, response) -> withTokenRedacted(() -> unsubscribePage(request, response)));
        server.post("/unsubscribe/" + TOKEN, (request, response) -> withTokenRedacted(() -> oneClick(request, response)));
        memberPages.define(server);
        moderatorPages.define(server);
        ownerPages.define(server);
        archivePages.define(server);
        rosterPages.define(server);
        server.notFound((request, response) -> page(response, 404, "message", Map.of("title", pages.text("notfound.title"),
            "text", pages.text("notfound.text"))));
        server.exception(Exception.class, (e, request, response) -> {
            LOGGER.warn("Web page {} failed: {}", request.pathInfo(), e.toString(), e);
            response.header("Retry-After", "60");
            response.body(page(response, 503, "message", Map.of("title", pages.text("unavailable.title"),
                "text", pages.text("unavailable.text"))));
        });
    }

    // ---- pages

    private Object index(Request request, Response response) {
        List<Map<String, Object>> shown = new ArrayList<>();
        for (ListSummary summary : lists.lists()) {
            // the summary carries the list's columns only; whether it is advertised is one of its other settings
            Optional<MailingList> found = lists.findList(summary.list().address());
            if (found.isEmpty()) {
                continue;
            }
            MailingList list = found.get();
            if (list.advertised()) {
                shown.add(Map.of("address", list.address().asString(), "name", list.displayName(),
                    "description", list.description().orElse("")));
            }
        }
        return page(response, 200, "index", Map.of("lists", shown));
    }

    private Object listPage(Request request, Response response) {
        Optional<MailingList> list = list(request);
        if (list.isEmpty()) {
            return noSuchList(response);
        }
        return listPage(request, response, list.get(), 200, "", "", "");
    }

    private String listPage(Request request, Response response, MailingList list, int status, String error, String address,
                            String name) {
        Map<String, Object> values = new HashMap<>();
        values.put("list", listValues(list));
        values.put("csrf", csrf.token(request, response));
        values.put("error", error);
        values.put("address", address);
        values.put("displayName", name);
        return page(response, status, "list", values);
    }

    private static Map<String, Object> listValues(MailingList list) {
        Map<String, Object> values = new HashMap<>();
        values.put("address", list.address().asString());
        values.put("name", list.displayName());
        values.put("description", list.description().orElse(""));
        values.put("policy", list.subscriptionPolicy().value());
        values.put("archive", list.archiveUrl().orElse(list.archivePolicy() == ArchivePolicy.NEVER ? ""
            : "/lists/" + list.address().asString() + "/archive/"));
        return values;
    }

    private Object subscribe(Request request, Response response) throws MessagingException {
        Optional<MailingList> found = list(request);
        if (found.isEmpty()) {
            return noSuchList(response);
        }
        MailingList list = found.get();
        String typed = Optional.ofNullable(request.queryParams("address")).orElse("").strip();
        String name = Optional.ofNullable(request.queryParams("displayName")).orElse("").strip();
        MailAddress address;
        try {
            address = Addresses.parse("address", typed);
        } catch (InvalidValueException e) {
            return listPage(request, response, list, 400, pages.text("subscribe.invalid", typed), typed, name);
        }
        if (name.length() > 200) {
            return listPage(request, response, list, 400, pages.text("subscribe.nameTooLong"), typed, name);
        }
        if (!perClient.tryAcquire("ip:" + request.ip()) || !perAddress.tryAcquire("to:" + Addresses.key(address))) {
            LOGGER.info("Subscribe form over its limit: {} asking for {}", request.ip(), address.asString());
            return page(response, 429, "message", Map.of("title", pages.text("limit.title"), "text", pages.text("limit.text")));
        }
        Member wanted = Member.builder(address).displayName(name.isEmpty() ? null : name).build();
        Result result = membership.join(list, wanted, Requester.visitor(request.ip()));
        send(list, result.notices());
        LOGGER.info("Subscribe form on {} for {}: {}", list.address().asString(), address.asString(), result.outcome());
        // the same page whatever the roster holds: a visitor learns nothing about who is on it
        return page(response, 200, "message", Map.of("title", pages.text("subscribe.sent.title"),
            "text", pages.text("subscribe.sent.text", address.asString(), list.displayName())));
    }

    private String confirmPage(Request request, Response response) {
        Optional<MailingList> found = list(request);
        if (found.isEmpty()) {
            return noSuchList(response);
        }
        MailingList list = found.get();
        Optional<PendingRequest> pending = membership.pendingConfirmation(list, request.params(TOKEN));
        if (pending.isEmpty()) {
            return page(response, 404, "message", Map.of("title", pages.text("confirm.unusable.title"),
                "text", pages.text("confirm.unusable.text", list.displayName())));
        }
        boolean joining = pending.get().action() == RequestAction.SUBSCRIBE;
        Map<String, Object> values = new HashMap<>();
        values.put("list", listValues(list));
        values.put("csrf", csrf.token(request, response));
        values.put("joining", joining);
        values.put("address", pending.get().address().asString());
        return page(response, 200, "confirm", values);
    }

    private String confirm(Request request, Response response) {
        Optional<MailingList> found = list(request);
        if (found.isEmpty()) {
            return noSuchList(response);
        }
        MailingList list = found.get();
        Result result = membership.confirm(list, request.params(TOKEN), Set.of(TokenAction.CONFIRM), "web page");
        try {
            send(list, result.notices());
        } catch (MessagingException | ListkeeperException e) {
            // the change is made; only its notice is missing, and the page must say what happened
            LOGGER.warn("The notices after a web confirmation on {} could not be sent: {}", list.address().asString(), e.getMessage());
        }
        LOGGER.info("Confirm page on {}: {}", list.address().asString(), result.outcome());
        String key = outcomeKey(result.outcome());
        int status = key.equals("confirm.unusable") ? 404 : 200;
        return page(response, status, "message", Map.of("title", pages.text(key + ".title"),
            "text", pages.text(key + ".text", list.displayName())));
    }

    private static String outcomeKey(Outcome outcome) {
        switch (outcome) {
            case SUBSCRIBED:
            case ALREADY_MEMBER:
                return "confirm.subscribed";
            case AWAITING_APPROVAL:
                return "confirm.approval";
            case UNSUBSCRIBED:
            case NOT_A_MEMBER:
                return "confirm.unsubscribed";
            case ALREADY_HANDLED:
                return "confirm.used";
            case TOKEN_EXPIRED:
                return "confirm.expired";
            default:
                return "confirm.unusable";
        }
    }

    private String unsubscribePage(Request request, Response response) {
        Optional<MailingList> list = unsubscribe.listOf(request.params(TOKEN));
        if (list.isEmpty()) {
            return page(response, 200, "message", Map.of("title", pages.text("unsubscribe.unusable.title"),
                "text", pages.text("unsubscribe.unusable.text")));
        }
        return page(response, 200, "unsubscribe", Map.of("list", listValues(list.get())));
    }

    /** RFC 8058: mail clients POST {@code List-Unsubscribe=One-Click} here without any page; the token is the capability. */
    private String oneClick(Request request, Response response) {
        boolean oneClick = OneClickForm.isOneClick(request.contentType(), request.raw().getQueryString(), request.body(),
            request.raw().getParameterValues(OneClickForm.FIELD));
        if (!oneClick) {
            return page(response, 400, "message", Map.of("title", pages.text("unsubscribe.title"),
                "text", pages.text("unsubscribe.notOneClick")));
        }
        Optional<OneClickUnsubscribe.Unsubscribed> done = unsubscribe.unsubscribe(request.params(TOKEN));
        if (done.isPresent()) {
            try {
                send(done.get().list(), done.get().notices());
            } catch (MessagingException | ListkeeperException e) {
                LOGGER.warn("The goodbye after a one-click unsubscribe from {} could not be sent: {}",
                    done.get().list().address().asString(), e.getMessage());
            }
        }
        // the same answer for a used, unknown or fresh token: the page names no address
        return page(response, 200, "message", Map.of("title", pages.text("unsubscribe.done.title"),
            "text", pages.text("unsubscribe.done.text")));
    }

    // ---- helpers

    private Optional<MailingList> list(Request request) {
        String value = request.params(LIST);
        try {
            return lists.findList(Addresses.parse("list", value));
        } catch (InvalidValueException e) {
            return Optional.empty();
        }
    }

    private String noSuchList(Response response) {
        return page(response, 404, "message", Map.of("title", pages.text("nolist.title"), "text", pages.text("nolist.text")));
    }

    private void send(MailingList list, List<Notice> toSend) throws MessagingException {
        notices.send(list, toSend);
    }

    private String page(Response response, int status, String template, Map<String, Object> values) {
        response.status(status);
        response.type("text/html; charset=UTF-8");
        return pages.render(template, values);
    }

    static <T> T withTokenRedacted(java.util.concurrent.Callable<T> route) throws Exception {
        // the path carries a live token: whatever is logged meanwhile gets it redacted from James's MDC
        try (Redaction.Scope ignored = Redaction.scrubMdc()) {
            return route.call();
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = WebPages.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
