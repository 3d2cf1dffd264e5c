package org.listkeeper.web;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

import javax.servlet.MultipartConfigElement;
import javax.servlet.ServletException;
import javax.servlet.http.Part;

import org.apache.james.core.MailAddress;
import org.apache.james.task.TaskExecutionDetails;
import org.apache.james.task.TaskId;
import org.apache.james.task.TaskManager;
import org.listkeeper.InvalidValueException;
import org.listkeeper.list.Addresses;
import org.listkeeper.list.MailingList;
import org.listkeeper.list.Member;
import org.listkeeper.list.Role;
import org.listkeeper.list.Roster;
import org.listkeeper.webadmin.service.MemberChanges;
import org.listkeeper.webadmin.service.MemberImportService;
import org.listkeeper.webadmin.service.MemberImportTask;
import org.listkeeper.webadmin.service.RosterService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import spark.Request;
import spark.Response;
import spark.Service;

/**
 * The owners' roster page: search and page the members, add one with a role, remove one, and upload a CSV file to
 * import (the same import as {@code POST /lists/{list}/members?action=import}, run as a James task), with a page that
 * shows the import's progress until it is done.
 */
final class RosterPages {
    private static final Logger LOGGER = LoggerFactory.getLogger(RosterPages.class);
    private static final String LIST = ":list";
    private static final int PAGE = 50;
    private static final long MAX_UPLOAD = 20L * 1024 * 1024;

    private final OwnerPages owners;
    private final Roster roster;
    private final RosterService rosterService;
    private final MemberImportService imports;
    private final TaskManager tasks;
    private final Pages pages;
    private final Csrf csrf;

    RosterPages(OwnerPages owners, Roster roster, RosterService rosterService, MemberImportService imports, TaskManager tasks, Pages pages,
                Csrf csrf) {
        this.owners = Objects.requireNonNull(owners);
        this.roster = Objects.requireNonNull(roster);
        this.rosterService = Objects.requireNonNull(rosterService);
        this.imports = Objects.requireNonNull(imports);
        this.tasks = Objects.requireNonNull(tasks);
        this.pages = Objects.requireNonNull(pages);
        this.csrf = Objects.requireNonNull(csrf);
    }

    void define(Service server) {
        server.get("/lists/" + LIST + "/members", this::membersPage);
        server.post("/lists/" + LIST + "/members", this::add);
        server.post("/lists/" + LIST + "/members/remove", this::remove);
        server.post("/lists/" + LIST + "/members/import", this::upload);
        server.get("/lists/" + LIST + "/members/import/:task", this::progress);
    }

    private static Object answered(Response response) {
        return response.body() == null ? "" : response.body();
    }

    private Object membersPage(Request request, Response response) {
        Optional<MailingList> list = owners.ownedList(request, response);
        if (list.isEmpty()) {
            return answered(response);
        }
        return membersPage(request, response, list.get(), 200, Optional.ofNullable(request.queryParams("done")).orElse(""), "");
    }

    private String membersPage(Request request, Response response, MailingList list, int status, String notice, String error) {
        String query = Optional.ofNullable(request.queryParams("q")).orElse("").strip().toLowerCase(Locale.ROOT);
        int page;
        try {
            page = Math.max(0, Integer.parseInt(Optional.ofNullable(request.queryParams("page")).orElse("0")));
        } catch (NumberFormatException e) {
            page = 0;
        }
        // the whole roster is read to search it: fine for the rosters of a list server (tens of thousands)
        List<Member> found = roster.members(list.id()).stream()
            .filter(member -> member.role().receivesPosts())
            .filter(member -> query.isEmpty() || member.address().asString().toLowerCase(Locale.ROOT).contains(query)
                || member.displayName().map(name -> name.toLowerCase(Locale.ROOT).contains(query)).orElse(false))
            .collect(Collectors.toList());
        int from = Math.min(found.size(), page * PAGE);
        List<Map<String, Object>> shown = new ArrayList<>();
        for (Member member : found.subList(from, Math.min(found.size(), from + PAGE))) {
            shown.add(Map.of("address", member.address().asString(), "name", member.displayName().orElse(""),
                "role", member.role().name().toLowerCase(Locale.ROOT), "delivery", member.delivery().name().toLowerCase(Locale.ROOT)));
        }
        Map<String, Object> values = new HashMap<>();
        String token = csrf.token(request, response);
        values.put("csrf", token);
        values.put("list", Map.of("address", list.address().asString(), "name", list.displayName()));
        values.put("members", shown);
        values.put("total", found.size());
        values.put("q", query);
        values.put("page", page);
        values.put("previous", page > 0 ? page - 1 : -1);
        values.put("next", from + PAGE < found.size() ? page + 1 : -1);
        values.put("notice", notice);
        values.put("error", error);
        values.put("uploadAction", "/lists/" + list.address().asString() + "/members/import?csrf=" + token);
        response.status(status);
        response.type("text/html; charset=UTF-8");
        return pages.render("members", values);
    }

    private Object add(Request request, Response response) {
        Optional<MailingList> list = owners.ownedList(request, response);
        if (list.isEmpty()) {
            return answered(response);
        }
        String typed = Optional.ofNullable(request.queryParams("address")).orElse("").strip();
        MailAddress address;
        Role role;
        try {
            address = Addresses.parse("address", typed);
            role = Role.valueOf(Optional.ofNullable(request.queryParams("role")).orElse("member").toUpperCase(Locale.ROOT));
        } catch (InvalidValueException | IllegalArgumentException e) {
            return membersPage(request, response, list.get(), 400, "", pages.text("subscribe.invalid", typed));
        }
        rosterService.put(list.get().address(), address, MemberChanges.builder().role(role).build());
        LOGGER.info("{} added to {} as {} on the web pages", address.asString(), list.get().address().asString(), role);
        return redirect(response, list.get(), pages.text("members.added", address.asString()));
    }

    private Object remove(Request request, Response response) {
        Optional<MailingList> list = owners.ownedList(request, response);
        if (list.isEmpty()) {
            return answered(response);
        }
        try {
            MailAddress address = Addresses.parse("address", Optional.ofNullable(request.queryParams("address")).orElse(""));
            rosterService.remove(list.get().address(), address);
            LOGGER.info("{} removed from {} on the web pages", address.asString(), list.get().address().asString());
            return redirect(response, list.get(), pages.text("members.removed", address.asString()));
        } catch (InvalidValueException e) {
            return membersPage(request, response, list.get(), 400, "", e.getMessage());
        }
    }

    private Object redirect(Response response, MailingList list, String notice) {
        response.redirect("/lists/" + list.address().asString() + "/members?done=" + URLEncoder.encode(notice, StandardCharsets.UTF_8), 303);
        return "";
    }

    private Object upload(Request request, Response response) throws IOException, ServletException {
        Optional<MailingList> list = owners.ownedList(request, response);
        if (list.isEmpty()) {
            return answered(response);
        }
        request.raw().setAttribute("org.eclipse.jetty.multipartConfig",
            new MultipartConfigElement(System.getProperty("java.io.tmpdir"), MAX_UPLOAD, MAX_UPLOAD, 1024 * 1024));
        String body;
        try {
            Part part = request.raw().getPart("csv");
            if (part == null) {
                return membersPage(request, response, list.get(), 400, "", pages.text("members.noFile"));
            }
            try (InputStream in = part.getInputStream()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IllegalStateException e) {
            return membersPage(request, response, list.get(), 413, "", pages.text("members.tooLarge"));
        }
        MemberImportTask task;
        try {
            task = imports.importTask(list.get().address(), false, false, body);
        } catch (InvalidValueException e) {
            return membersPage(request, response, list.get(), 400, "", e.getMessage());
        }
        TaskId id = tasks.submit(task);
        LOGGER.info("Roster import {} into {} started on the web pages", id.asString(), list.get().address().asString());
        response.redirect("/lists/" + list.get().address().asString() + "/members/import/" + id.asString(), 303);
        return "";
    }

    private Object progress(Request request, Response response) {
        Optional<MailingList> list = owners.ownedList(request, response);
        if (list.isEmpty()) {
            return answered(response);
        }
        Optional<TaskExecutionDetails> details;
        try {
            details = Optional.of(tasks.getExecutionDetails(TaskId.fromString(request.params(":task"))));
        } catch (RuntimeException e) {
            details = Optional.empty();
        }
        Optional<MemberImportTask.Details> counts = details.flatMap(TaskExecutionDetails::getAdditionalInformation)
            .filter(MemberImportTask.Details.class::isInstance).map(MemberImportTask.Details.class::cast)
            .filter(found -> found.list().equals(list.get().address().asString()));
        if (counts.isEmpty()) {
            response.status(404);
            response.type("text/html; charset=UTF-8");
            return pages.render("message", Map.of("title", pages.text("members.noImport.title"), "text", pages.text("members.noImport.text")));
        }
        TaskManager.Status status = details.get().getStatus();
        boolean running = status == TaskManager.Status.WAITING || status == TaskManager.Status.IN_PROGRESS;
        Map<String, Object> values = new HashMap<>();
        values.put("list", Map.of("address", list.get().address().asString(), "name", list.get().displayName()));
        values.put("running", running);
        values.put("status", status.getValue());
        values.put("total", counts.get().total());
        values.put("processed", counts.get().processed());
        values.put("added", counts.get().added());
        values.put("skipped", counts.get().skipped());
        values.put("invalid", counts.get().invalid());
        response.type("text/html; charset=UTF-8");
        return pages.render("import", values);
    }

}
