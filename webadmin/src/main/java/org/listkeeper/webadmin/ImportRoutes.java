package org.listkeeper.webadmin;

import static org.listkeeper.webadmin.RouteSupport.LIST;
import static org.listkeeper.webadmin.RouteSupport.guarded;
import static org.listkeeper.webadmin.RouteSupport.json;
import static org.listkeeper.webadmin.RouteSupport.listAddress;
import static org.listkeeper.webadmin.RouteSupport.notFound;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import javax.inject.Inject;

import org.apache.james.task.TaskExecutionDetails;
import org.apache.james.task.TaskId;
import org.apache.james.task.TaskManager;
import org.apache.james.task.TaskNotFoundException;
import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.tasks.TaskFromRequest;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.listkeeper.webadmin.service.ListImportDetailsDTO;
import org.listkeeper.webadmin.service.ListImportService;
import org.listkeeper.webadmin.service.ListImportTask;
import org.listkeeper.webadmin.service.RequestBodies;

import spark.Request;
import spark.Response;
import spark.Service;

/**
 * Bringing a list over from another list manager: {@code POST /lists/{list}/imports} (a task; {@code {"source":"mlmmj",
 * "path":"/var/spool/mlmmj/team","dryRun":false}}) and {@code GET /lists/{list}/imports/{taskId}} (its progress and,
 * once done, its report). Listed in {@code webadmin.properties} beside {@link ListRoutes}.
 */
public final class ImportRoutes implements Routes {
    private static final String BASE = ListRoutes.BASE_PATH + "/" + LIST + "/imports";

    private final ListImportService imports;
    private final TaskManager taskManager;
    private final JsonTransformer jsonTransformer;

    @Inject
    public ImportRoutes(ListImportService imports, TaskManager taskManager, JsonTransformer jsonTransformer) {
        this.imports = imports;
        this.taskManager = taskManager;
        this.jsonTransformer = jsonTransformer;
    }

    @Override
    public String getBasePath() {
        return ListRoutes.BASE_PATH;
    }

    @Override
    public void define(Service service) {
        TaskFromRequest start = request -> imports.importTask(listAddress(request), RequestBodies.json(request.body()));
        service.post(BASE, guarded(start.asRoute(taskManager)), jsonTransformer);
        service.get(BASE + "/:task", guarded(this::get), jsonTransformer);
    }

    private Object get(Request request, Response response) {
        String list = listAddress(request).asString();
        Optional<TaskExecutionDetails> details;
        try {
            details = Optional.of(taskManager.getExecutionDetails(TaskId.fromString(request.params(":task"))));
        } catch (TaskNotFoundException | IllegalArgumentException e) {
            details = Optional.empty();
        }
        Optional<ListImportTask.Details> found = details.flatMap(TaskExecutionDetails::getAdditionalInformation)
            .filter(ListImportTask.Details.class::isInstance).map(ListImportTask.Details.class::cast)
            .filter(d -> d.list().equals(list));
        if (found.isEmpty()) {
            throw notFound("No import " + request.params(":task") + " into " + list);
        }
        ListImportDetailsDTO dto = ListImportDetailsDTO.MODULE.toDTO(found.get());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("taskId", details.get().getTaskId().asString());
        answer.put("status", details.get().getStatus().getValue());
        answer.put("list", dto.getList());
        answer.put("source", dto.getSource());
        answer.put("dryRun", dto.isDryRun());
        answer.put("phase", dto.getPhase());
        answer.put("people", dto.getPeople());
        answer.put("messages", dto.getMessages());
        answer.put("error", dto.getError());
        answer.put("report", dto.getReport());
        return json(response, answer);
    }
}
