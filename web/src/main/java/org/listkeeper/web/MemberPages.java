package org.listkeeper.web;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.listkeeper.InvalidValueException;
import org.listkeeper.ListkeeperException;
import org.listkeeper.list.Addresses;
import org.listkeeper.list.Delivery;
import org.listkeeper.list.DigestMode;
import org.listkeeper.list.DisabledBy;
import org.listkeeper.list.ListSummary;
import org.listkeeper.list.Lists;
import org.listkeeper.list.MailingList;
import org.listkeeper.list.Member;
import org.listkeeper.list.Roster;
import org.listkeeper.membership.Membership;
import org.listkeeper.membership.Outcome;
import org.listkeeper.membership.Requester;
import org.listkeeper.membership.Result;
import org.listkeeper.notices.Notice;
import org.listkeeper.notices.NoticeKind;
import org.listkeeper.signin.LinkUse;
import org.listkeeper.signin.SignIn;
import org.listkeeper.signin.WebSession;
import org.listkeeper.webadmin.service.MemberChanges;
import org.listkeeper.webadmin.service.NoticeSender;
import org.listkeeper.webadmin.service.RosterService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import spark.Request;
import spark.Response;
import spark.Service;

/**
 * The pages of a signed-in member: sign-in by a one-time link mailed to a roster address (the same answer whether or
 * not the address is known), then {@code /options} with every list the address is on and its options there.
 */
final class MemberPages {
    private static final Logger LOGGER = LoggerFactory.getLogger(MemberPages.class);
    private static final DateTimeFormatter EXPIRY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);
    private static final String TOKEN = ":token";
    private static final String LIST = ":list";

    private final Lists lists;
    private final Roster roster;
    private final RosterService rosterService;
    private final Membership membership;
    private final SignIn signIn;
    private final NoticeSender notices;
    private final Optional<URI> publicBaseUrl;
    private final Pages pages;
    private final Csrf csrf;
    private final Sessions sessions;
    private final Clock clock;
    private final RateLimit perClient;
    private final RateLimit perAddress;

    MemberPages(Lists lists, Roster roster, RosterService rosterService, Membership membership, SignIn signIn, NoticeSender notices,
                Optional<URI> publicBaseUrl, Pages pages, Csrf csrf, Sessions sessions, Clock clock) {
        this.lists = Objects.requireNonNull(lists);
        this.roster = Objects.requireNonNull(roster);
        this.rosterService = Objects.requireNonNull(rosterService);
        this.membership = Objects.requireNonNull(membership);
        this.signIn = Objects.requireNonNull(signIn);
        this.notices = Objects.requireNonNull(notices);
        this.publicBaseUrl = Objects.requireNonNull(publicBaseUrl);
        this.pages = Objects.requireNonNull(pages);
        this.csrf = Objects.requireNonNull(csrf);
        this.sessions = Objects.requireNonNull(sessions);
        this.clock = Objects.requireNonNull(clock);
        this.perClient = new RateLimit(30, Duration.ofHours(1), clock);
        this.perAddress = new RateLimit(10, Duration.ofHours(1), clock);
    }

    void define(Service server) {
        server.get("/login", this::loginForm);
        server.post("/login", this::requestLink);
        server.get("/login/" + TOKEN, (request, response) -> WebPages.withTokenRedacted(() -> linkPage(request, response)));
        server.post("/login/" + TOKEN, (request, response) -> WebPages.withTokenRedacted(() -> useLink(request, response)));
        server.post("/logout", (request, response) -> {
            sessions.close(request, response);
            response.redirect("/", 303);
            return "";
        });
        server.get("/options", this::options);
        server.post("/options/password", this::setPassword);
        server.post("/options/" + LIST, this::saveOptions);
        server.post("/options/" + LIST + "/leave", this::leave);
    }

    // ---- sign-in

    private Object loginForm(Request request, Response response) {
        return loginForm(request, response, 200, "", "");
    }

    private String loginForm(Request request, Response response, int status, String error, String address) {
        Map<String, Object> values = new HashMap<>();
        values.put("csrf", csrf.token(request, response));
        values.put("error", error);
        values.put("address", address);
        return page(response, status, "login", values);
    }

    private Object requestLink(Request request, Response response) throws MessagingException {
        String typed = Optional.ofNullable(request.queryParams("address")).orElse("").strip();
        MailAddress address;
        try {
            address = Addresses.parse("address", typed);
        } catch (InvalidValueException e) {
            return loginForm(request, response, 400, pages.text("subscribe.invalid", typed), typed);
        }
        if (!perAddress.tryAcquire("to:" + Addresses.key(address)) || !perClient.tryAcquire("ip:" + request.ip())) {
            LOGGER.info("Sign-in form over its limit: {} asking for {}", request.ip(), address.asString());
            return page(response, 429, "message", Map.of("title", pages.text("limit.title"), "text", pages.text("limit.text")));
        }
        String password = Optional.ofNullable(request.queryParams("password")).orElse("");
        if (!password.isEmpty()) {
            if (signIn.checkPassword(address, password) && !listsOf(address).isEmpty()) {
                sessions.open(response, signIn.openSession(address));
                LOGGER.info("{} signed in to the web pages with a password", address.asString());
                response.redirect("/options", 303);
                return "";
            }
            LOGGER.info("Wrong web password for {} from {}", address.asString(), request.ip());
            return loginForm(request, response, 400, pages.text("login.wrongPassword"), typed);
        }
        Optional<MailingList> firstList = listsOf(address).stream().findFirst().map(entry -> entry.list);
        if (firstList.isPresent() && publicBaseUrl.isPresent()) {
            String token = signIn.issueLink(address);
            String link = publicBaseUrl.get().toString().replaceAll("/+$", "") + "/login/" + token;
            notices.send(firstList.get(), List.of(Notice.to(address, NoticeKind.SIGN_IN, Map.of("address", address.asString(),
                "link", link, "expires", EXPIRY.format(clock.instant().plus(SignIn.LINK_LIFETIME))))));
            LOGGER.info("Sign-in link sent to {}", address.asString());
        } else if (firstList.isPresent()) {
            LOGGER.warn("Sign-in asked for {}, but public.base.url is not set: no link can be mailed", address.asString());
        } else {
            LOGGER.info("Sign-in asked for {}, which is on no roster: nothing sent", address.asString());
        }
        // the same answer either way: the form tells nobody who is on a roster
        return page(response, 200, "message", Map.of("title", pages.text("login.sent.title"),
            "text", pages.text("login.sent.text", address.asString())));
    }

    private String linkPage(Request request, Response response) {
        return page(response, 200, "signin", Map.of("csrf", csrf.token(request, response)));
    }

    private String useLink(Request request, Response response) {
        LinkUse use = signIn.useLink(request.params(TOKEN));
        switch (use.state()) {
            case SIGNED_IN:
                MailAddress address = use.address().orElseThrow();
                sessions.open(response, signIn.openSession(address));
                LOGGER.info("{} signed in to the web pages", address.asString());
                response.redirect("/options", 303);
                return "";
            case USED:
                return page(response, 410, "message", Map.of("title", pages.text("login.used.title"), "text", pages.text("login.used.text")));
            case EXPIRED:
                return page(response, 410, "message", Map.of("title", pages.text("login.expired.title"),
                    "text", pages.text("login.expired.text")));
            default:
                return page(response, 404, "message", Map.of("title", pages.text("login.unknown.title"),
                    "text", pages.text("login.unknown.text")));
        }
    }

    // ---- options

    private static final class Entry {
        final MailingList list;
        final Member member;

        Entry(MailingList list, Member member) {
            this.list = list;
            this.member = member;
        }
    }

    private List<Entry> listsOf(MailAddress address) {
        List<Entry> entries = new ArrayList<>();
        for (ListSummary summary : lists.lists()) {
            Optional<MailingList> list = lists.findList(summary.list().address());
            if (list.isPresent()) {
                roster.findMember(list.get().id(), address).filter(member -> member.role().receivesPosts())
                    .ifPresent(member -> entries.add(new Entry(list.get(), member)));
            }
        }
        return entries;
    }

    private Object options(Request request, Response response) {
        Optional<WebSession> session = sessions.current(request);
        if (session.isEmpty()) {
            response.redirect("/login", 303);
            return "";
        }
        List<Map<String, Object>> shown = new ArrayList<>();
        for (Entry entry : listsOf(session.get().address())) {
            Map<String, Object> values = new HashMap<>();
            values.put("address", entry.list.address().asString());
            values.put("name", entry.list.displayName());
            values.put("role", entry.member.role().name().toLowerCase(java.util.Locale.ROOT));
            values.put("delivery", entry.member.delivery() == Delivery.ENABLED);
            values.put("disabledByBounces", entry.member.disabledBy().map(by -> by == DisabledBy.BOUNCE).orElse(false));
            values.put("digests", entry.list.digestsEnabled());
            values.put("digest", entry.member.digest().value());
            values.put("receiveOwnPosts", entry.member.receiveOwnPosts());
            values.put("hideAddress", entry.member.hideAddress());
            values.put("displayName", entry.member.displayName().orElse(""));
            shown.add(values);
        }
        Map<String, Object> values = new HashMap<>();
        values.put("csrf", csrf.token(request, response));
        values.put("address", session.get().address().asString());
        values.put("lists", shown);
        values.put("saved", Optional.ofNullable(request.queryParams("saved")).orElse(""));
        values.put("hasPassword", signIn.hasPassword(session.get().address()));
        values.put("passwordNotice", Optional.ofNullable(request.queryParams("password"))
            .filter(value -> List.of("saved", "removed", "mismatch", "short").contains(value)).orElse(""));
        return page(response, 200, "options", values);
    }

    private Object setPassword(Request request, Response response) {
        Optional<WebSession> session = sessions.current(request);
        if (session.isEmpty()) {
            response.redirect("/login", 303);
            return "";
        }
        MailAddress address = session.get().address();
        if (request.queryParams("remove") != null) {
            signIn.clearPassword(address);
            LOGGER.info("{} removed their web password", address.asString());
            response.redirect("/options?password=removed", 303);
            return "";
        }
        String password = Optional.ofNullable(request.queryParams("password")).orElse("");
        if (!password.equals(Optional.ofNullable(request.queryParams("again")).orElse(""))) {
            response.redirect("/options?password=mismatch", 303);
            return "";
        }
        try {
            signIn.setPassword(address, password);
        } catch (InvalidValueException e) {
            response.redirect("/options?password=short", 303);
            return "";
        }
        LOGGER.info("{} set a web password", address.asString());
        response.redirect("/options?password=saved", 303);
        return "";
    }

    private Object saveOptions(Request request, Response response) {
        Optional<WebSession> session = sessions.current(request);
        if (session.isEmpty()) {
            response.redirect("/login", 303);
            return "";
        }
        Optional<Entry> entry = entryOf(request, session.get());
        if (entry.isEmpty()) {
            return notOnList(response);
        }
        Member member = entry.get().member;
        MemberChanges.Builder changes = MemberChanges.builder();
        boolean wantsDelivery = request.queryParams("delivery") != null;
        if (wantsDelivery && member.delivery() == Delivery.DISABLED) {
            changes.delivery(Delivery.ENABLED).resetBounceRecord();
        } else if (!wantsDelivery && member.delivery() == Delivery.ENABLED) {
            changes.delivery(Delivery.DISABLED).disabledBy(DisabledBy.USER);
        }
        String digest = request.queryParams("digest");
        if (digest != null) {
            try {
                changes.digest(DigestMode.parse(digest));
            } catch (InvalidValueException e) {
                return page(response, 400, "message", Map.of("title", pages.text("options.invalid.title"), "text", e.getMessage()));
            }
        }
        changes.receiveOwnPosts(request.queryParams("receiveOwnPosts") != null);
        changes.hideAddress(request.queryParams("hideAddress") != null);
        String name = Optional.ofNullable(request.queryParams("displayName")).orElse("").strip();
        if (name.length() > 200) {
            return page(response, 400, "message", Map.of("title", pages.text("options.invalid.title"), "text", pages.text("subscribe.nameTooLong")));
        }
        changes.displayName(name.isEmpty() ? null : name);
        rosterService.patch(entry.get().list.address(), member.address(), changes.build());
        LOGGER.info("{} changed their options on {} on the web pages", member.address().asString(), entry.get().list.address().asString());
        response.redirect("/options?saved=" + URLEncoder.encode(entry.get().list.address().asString(), StandardCharsets.UTF_8), 303);
        return "";
    }

    private Object leave(Request request, Response response) {
        Optional<WebSession> session = sessions.current(request);
        if (session.isEmpty()) {
            response.redirect("/login", 303);
            return "";
        }
        Optional<Entry> entry = entryOf(request, session.get());
        if (entry.isEmpty()) {
            return notOnList(response);
        }
        MailingList list = entry.get().list;
        MailAddress address = session.get().address();
        // signed in, the visitor has proven the address: the list's unsubscription policy decides the rest
        Result result = membership.leave(list, address, Requester.address(address));
        try {
            notices.send(list, result.notices());
        } catch (MessagingException | ListkeeperException e) {
            LOGGER.warn("The notices after leaving {} on the web pages could not be sent: {}", list.address().asString(), e.getMessage());
        }
        String key = result.outcome() == Outcome.UNSUBSCRIBED ? "options.left" : "options.leaveConfirm";
        return page(response, 200, "message", Map.of("title", pages.text(key + ".title"), "text", pages.text(key + ".text",
            list.displayName())));
    }

    private Optional<Entry> entryOf(Request request, WebSession session) {
        try {
            MailAddress listAddress = Addresses.parse("list", request.params(LIST));
            return lists.findList(listAddress).flatMap(list -> roster.findMember(list.id(), session.address())
                .filter(member -> member.role().receivesPosts()).map(member -> new Entry(list, member)));
        } catch (InvalidValueException e) {
            return Optional.empty();
        }
    }

    private String notOnList(Response response) {
        return page(response, 404, "message", Map.of("title", pages.text("options.notOnList.title"),
            "text", pages.text("options.notOnList.text")));
    }

    private String page(Response response, int status, String template, Map<String, Object> values) {
        response.status(status);
        response.type("text/html; charset=UTF-8");
        return pages.render(template, values);
    }
}
