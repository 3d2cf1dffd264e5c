package org.listkeeper.web;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.apache.james.core.MailAddress;
import org.listkeeper.InvalidValueException;
import org.listkeeper.list.Addresses;
import org.listkeeper.list.Lists;
import org.listkeeper.list.MailingList;
import org.listkeeper.list.Role;
import org.listkeeper.list.Roster;
import org.listkeeper.signin.WebSession;

import spark.Request;
import spark.Response;

/**
 * Who may open a list's pages for moderators or owners: a signed-in visitor whose address has one of the roles on the
 * list named in the path. Anyone else is sent to sign in, or refused with the same page whether the list exists or
 * not (no page tells which lists there are beyond the advertised ones).
 */
final class ListAccess {
    /** The list and the signed-in address that may act on it. */
    static final class Granted {
        final MailingList list;
        final MailAddress address;

        Granted(MailingList list, MailAddress address) {
            this.list = list;
            this.address = address;
        }
    }

    private final Lists lists;
    private final Roster roster;
    private final Pages pages;
    private final Sessions sessions;

    ListAccess(Lists lists, Roster roster, Pages pages, Sessions sessions) {
        this.lists = Objects.requireNonNull(lists);
        this.roster = Objects.requireNonNull(roster);
        this.pages = Objects.requireNonNull(pages);
        this.sessions = Objects.requireNonNull(sessions);
    }

    /**
     * The grant for the list of {@code :list}, or empty with the answer already set on {@code response} (a redirect to
     * the sign-in page, or a 403 page titled and worded by {@code refusal}{@code .title}/{@code .text}).
     */
    Optional<Granted> require(Request request, Response response, Set<Role> roles, String refusal) {
        Optional<WebSession> session = sessions.current(request);
        if (session.isEmpty()) {
            response.redirect("/login", 303);
            return Optional.empty();
        }
        Optional<MailingList> list;
        try {
            list = lists.findList(Addresses.parse("list", request.params(":list")));
        } catch (InvalidValueException e) {
            list = Optional.empty();
        }
        MailAddress address = session.get().address();
        Optional<Role> role = list.flatMap(found -> roster.findMember(found.id(), address)).map(member -> member.role());
        if (list.isEmpty() || role.isEmpty() || !roles.contains(role.get())) {
            response.status(403);
            response.type("text/html; charset=UTF-8");
            response.body(pages.render("message", Map.of("title", pages.text(refusal + ".title"), "text", pages.text(refusal + ".text"))));
            return Optional.empty();
        }
        return Optional.of(new Granted(list.get(), address));
    }

    /** What a route answers when {@link #require} refused: the body it set, or nothing after a redirect. */
    static Object refused(Response response) {
        return response.body() == null ? "" : response.body();
    }
}
