package org.listkeeper.webadmin;

import static org.listkeeper.webadmin.RouteSupport.LIST;
import static org.listkeeper.webadmin.RouteSupport.guarded;
import static org.listkeeper.webadmin.RouteSupport.intParam;
import static org.listkeeper.webadmin.RouteSupport.json;
import static org.listkeeper.webadmin.RouteSupport.listAddress;
import static org.listkeeper.webadmin.RouteSupport.noContent;
import static org.listkeeper.webadmin.RouteSupport.notFound;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.apache.james.core.MailAddress;
import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.tasks.TaskFromRequest;
import org.apache.james.webadmin.utils.ErrorResponder.ErrorType;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.apache.james.task.TaskManager;
import org.listkeeper.InvalidValueException;
import org.listkeeper.archive.ArchiveQuery;
import org.listkeeper.webadmin.dto.ArchiveEntryDTO;
import org.listkeeper.webadmin.service.ArchiveImportTask;
import org.listkeeper.webadmin.service.ArchiveService;

import spark.Request;
import spark.Response;
import spark.Service;

/**
 * A list's archive over James WebAdmin, under {@code /lists/{list}/archive}: the entries (by month, thread or words,
 * paged), one message as {@code message/rfc822}, a month as mboxrd, a takedown, and an mbox import as a task. Listed in
 * {@code webadmin.properties} beside {@link ListRoutes}.
 */
public final class ArchiveRoutes implements Routes {
    private static final String ITEM = ":item";
    private static final String BASE = ListRoutes.BASE_PATH + "/" + LIST + "/archive";
    private static final String MBOX = ".mbox";

    private final ArchiveService archive;
    private final TaskManager taskManager;
    private final JsonTransformer jsonTransformer;

    @Inject
    public ArchiveRoutes(ArchiveService archive, TaskManager taskManager, JsonTransformer jsonTransformer) {
        this.archive = archive;
        this.taskManager = taskManager;
        this.jsonTransformer = jsonTransformer;
    }

    @Override
    public String getBasePath() {
        return ListRoutes.BASE_PATH;
    }

    @Override
    public void define(Service service) {
        service.get(BASE, guarded(this::list), jsonTransformer);
        TaskFromRequest importTask = this::importTask;
        service.post(BASE, guarded(importTask.asRoute(taskManager)), jsonTransformer);
        // no transformer: a message and an mbox are written as they are
        service.get(BASE + "/" + ITEM, guarded(this::get));
        service.delete(BASE + "/" + ITEM, guarded(this::delete));
    }

    private Object list(Request request, Response response) {
        MailAddress list = listAddress(request);
        Optional<String> month = parameter(request, "month");
        Optional<Long> thread = parameter(request, "thread").map(value -> number("thread", value));
        Optional<String> text = parameter(request, "q");
        boolean withAddress = Boolean.parseBoolean(parameter(request, "private").orElse("false"));
        boolean paged = request.queryParams("page") != null || request.queryParams("limit") != null;
        int limit = paged ? intParam(request, "limit", 100, 1, 10_000) : Integer.MAX_VALUE;
        int page = intParam(request, "page", 1, 1, Integer.MAX_VALUE);
        long offset = (long) (page - 1) * (paged ? limit : 0);
        if (offset > Integer.MAX_VALUE) {
            throw new InvalidValueException("page", String.valueOf(page), "beyond the archive");
        }
        ArchiveService.Page entries = archive.page(list, ArchiveQuery.of(month, thread, text), (int) offset, limit);
        response.header("X-Total-Count", String.valueOf(entries.total()));
        return json(response, entries.entries().stream().map(entry -> ArchiveEntryDTO.of(entry, withAddress))
            .collect(Collectors.toList()));
    }

    private Object get(Request request, Response response) throws IOException {
        MailAddress list = listAddress(request);
        String item = request.params(ITEM);
        if (item.endsWith(MBOX)) {
            String month = item.substring(0, item.length() - MBOX.length());
            if (!ArchiveQuery.isMonth(month)) {
                throw new InvalidValueException("month", month, "expected YYYY-MM.mbox");
            }
            response.type("application/mbox");
            response.header("Content-Disposition", "attachment; filename=\"" + list.getLocalPart() + "-" + month + ".mbox\"");
            OutputStream out = response.raw().getOutputStream();
            archive.mbox(list, month, out);
            out.flush();
            return "";
        }
        long number = number("number", item);
        ArchiveService.Message message = archive.message(list, number)
            .orElseThrow(() -> notFound("No post " + number + " in the archive of " + list.asString()));
        if (message.bytes().isEmpty()) {
            throw RouteSupport.error(410, ErrorType.NOT_FOUND, "Post " + number + " of " + list.asString() + " was taken down", null);
        }
        response.type("message/rfc822");
        response.raw().getOutputStream().write(message.bytes().get());
        return "";
    }

    private Object delete(Request request, Response response) {
        MailAddress list = listAddress(request);
        long number = number("number", request.params(ITEM));
        if (!archive.delete(list, number)) {
            throw notFound("No post " + number + " in the archive of " + list.asString());
        }
        return noContent(response);
    }

    private ArchiveImportTask importTask(Request request) throws IOException {
        String action = request.queryParams("action");
        if (!"import".equals(action)) {
            throw new InvalidValueException("action", String.valueOf(action), "expected import");
        }
        return archive.importTask(listAddress(request), request.raw().getInputStream());
    }

    private static Optional<String> parameter(Request request, String name) {
        return Optional.ofNullable(request.queryParams(name)).map(String::strip).filter(value -> !value.isEmpty());
    }

    private static long number(String name, String value) {
        try {
            long number = Long.parseLong(value);
            if (number < 1) {
                throw new NumberFormatException();
            }
            return number;
        } catch (NumberFormatException e) {
            throw new InvalidValueException(name, value, "expected a post number");
        }
    }
}
