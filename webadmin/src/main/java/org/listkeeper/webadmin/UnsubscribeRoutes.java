package org.listkeeper.webadmin;

import java.util.Objects;
import java.util.Optional;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.james.webadmin.PublicRoutes;
import org.listkeeper.ListkeeperException;
import org.listkeeper.internal.Html;
import org.listkeeper.internal.Redaction;
import org.listkeeper.list.MailingList;
import org.listkeeper.unsubscribe.OneClickUnsubscribe;
import org.listkeeper.webadmin.service.NoticeSender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import spark.Request;
import spark.Response;
import spark.Service;

/**
 * RFC 8058 one-click unsubscribe, the only route meant for the Internet (a WebAdmin {@link PublicRoutes}: no admin
 * authentication). {@code POST /unsubscribe/{token}} with {@code List-Unsubscribe=One-Click} unsubscribes at once;
 * {@code GET} only shows a page with a button that sends that POST, so link scanners unsubscribe nobody. Every
 * answer about a used, unknown or malformed token is the same, and no answer names the member's address.
 */
public final class UnsubscribeRoutes implements PublicRoutes {
    public static final String BASE_PATH = "/unsubscribe";
    private static final Logger LOGGER = LoggerFactory.getLogger(UnsubscribeRoutes.class);
    private static final String TOKEN = ":token";

    private final OneClickUnsubscribe unsubscribe;
    private final NoticeSender notices;

    @Inject
    public UnsubscribeRoutes(OneClickUnsubscribe unsubscribe, NoticeSender notices) {
        this.unsubscribe = Objects.requireNonNull(unsubscribe);
        this.notices = Objects.requireNonNull(notices);
    }

    @Override
    public String getBasePath() {
        return BASE_PATH;
    }

    @Override
    public void define(Service service) {
        // the path carries a live token: whatever is logged while a route runs gets it redacted from James's MDC
        service.get(BASE_PATH + "/" + TOKEN, (request, response) -> {
            try (Redaction.Scope ignored = Redaction.scrubMdc()) {
                return page(request, response);
            }
        });
        service.post(BASE_PATH + "/" + TOKEN, (request, response) -> {
            try (Redaction.Scope ignored = Redaction.scrubMdc()) {
                return unsubscribe(request, response);
            }
        });
    }

    private Object page(Request request, Response response) {
        Optional<MailingList> list;
        try {
            list = unsubscribe.listOf(request.params(TOKEN));
        } catch (ListkeeperException | IllegalStateException e) {
            return unavailable(response, e);
        }
        if (list.isEmpty()) {
            return html(response, 200, "Unsubscribe", "<p>There is nothing to unsubscribe with this link. It may have been used"
                + " already. If mail from the list still reaches you, use the link in its latest message.</p>");
        }
        String name = Html.escape(list.get().displayName());
        String address = Html.escape(list.get().address().asString());
        return html(response, 200, "Unsubscribe from " + name, "<p>Stop receiving mail from the <strong>" + name
            + "</strong> list (" + address + ")?</p>\n<form method=\"post\">\n"
            + "<input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">\n"
            + "<button type=\"submit\">Unsubscribe</button>\n</form>");
    }

    private Object unsubscribe(Request request, Response response) {
        // the field must come in the body (RFC 8058), never in the URL
        boolean oneClick = OneClickForm.isOneClick(request.contentType(), request.raw().getQueryString(), request.body(),
            request.raw().getParameterValues(OneClickForm.FIELD));
        if (!oneClick) {
            return html(response, 400, "Unsubscribe", "<p>This address unsubscribes with a POST of List-Unsubscribe=One-Click"
                + " (RFC 8058). Open it in a browser to get the button.</p>");
        }
        Optional<OneClickUnsubscribe.Unsubscribed> done;
        try {
            done = unsubscribe.unsubscribe(request.params(TOKEN));
            LOGGER.debug("One-click unsubscribe from {}: {}", request.ip(), done.isPresent() ? "done" : "no such token");
        } catch (ListkeeperException | IllegalStateException e) {
            return unavailable(response, e);
        }
        if (done.isPresent()) {
            MailingList list = done.get().list();
            try {
                notices.send(list, done.get().notices());
            } catch (MessagingException | ListkeeperException | IllegalStateException e) {
                // the member has left; only the goodbye is missing, and the answer must not differ for it
                LOGGER.warn("The goodbye after a one-click unsubscribe from {} could not be sent: {}", list.address().asString(),
                    e.getMessage());
            }
        }
        return html(response, 200, "Unsubscribed", "<p>Done: the address this link was sent to receives no more mail from"
            + " the list.</p>");
    }

    private static Object unavailable(Response response, Exception e) {
        LOGGER.warn("One-click unsubscribe failed: {}", e.getMessage());
        response.header("Retry-After", "60");
        return html(response, 503, "Unsubscribe", "<p>Please try again in a minute.</p>");
    }

    private static Object html(Response response, int status, String title, String body) {
        response.status(status);
        response.type("text/html; charset=UTF-8");
        response.header("Cache-Control", "no-store");
        response.header("X-Robots-Tag", "noindex, nofollow");
        response.header("Referrer-Policy", "no-referrer");
        response.header("X-Frame-Options", "DENY");
        response.header("Content-Security-Policy", "default-src 'none'; form-action 'self'; frame-ancestors 'none'");
        return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><meta name=\"robots\" content=\"noindex\">"
            + "<title>" + title + "</title></head>\n<body>\n<h1>" + title + "</h1>\n" + body + "\n</body></html>\n";
    }
}
