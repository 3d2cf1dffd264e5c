package org.listkeeper.webadmin.service;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.apache.james.core.MailAddress;
import org.apache.james.task.Task;
import org.apache.james.task.TaskExecutionDetails;
import org.apache.james.task.TaskType;
import org.listkeeper.ListkeeperException;
import org.listkeeper.migration.ImportNote;
import org.listkeeper.migration.ImportReport;
import org.listkeeper.migration.ListImport;
import org.listkeeper.migration.ListSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a list over from another list manager as a James WebAdmin task: reads the source whole first (a source that
 * cannot be read fails the task with its cause, before anything is written), then applies it with {@link ListImport}.
 * {@code GET /tasks/{id}} and {@code GET /lists/{list}/imports/{id}} show its progress and, once done, its report.
 */
public final class ListImportTask implements Task {
    static final TaskType TYPE = TaskType.of("listkeeper-list-import");
    private static final Logger LOGGER = LoggerFactory.getLogger(ListImportTask.class);

    private final MailAddress list;
    private final String source;
    private final boolean dryRun;
    private final Callable<ListSnapshot> reader;
    private final ListImport listImport;
    private final Clock clock;
    private volatile String phase = "waiting";
    private volatile ImportReport report;
    private volatile String error;

    ListImportTask(MailAddress list, String source, boolean dryRun, Callable<ListSnapshot> reader, ListImport listImport, Clock clock) {
        this.list = list;
        this.source = source;
        this.dryRun = dryRun;
        this.reader = reader;
        this.listImport = listImport;
        this.clock = clock;
    }

    @Override
    public Result run() {
        ListSnapshot snapshot;
        try {
            phase = "reading the source";
            snapshot = reader.call();
        } catch (Exception e) {
            error = "cannot read the " + source + " source: " + message(e);
            phase = "failed";
            LOGGER.warn("Import into {} failed: {}", list.asString(), error);
            return Result.PARTIAL;
        }
        try {
            phase = dryRun ? "comparing" : "importing";
            report = listImport.run(list, snapshot, dryRun);
            phase = "done";
            return Result.COMPLETED;
        } catch (IOException | ListkeeperException | IllegalStateException e) {
            error = "the import stopped: " + message(e);
            phase = "failed";
            LOGGER.error("Import into {} stopped after {} people and {} messages", list.asString(), listImport.people(), listImport.messages(), e);
            return Result.PARTIAL;
        }
    }

    private static String message(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    @Override
    public TaskType type() {
        return TYPE;
    }

    @Override
    public Optional<TaskExecutionDetails.AdditionalInformation> details() {
        return Optional.of(new Details(list.asString(), source, dryRun, phase, listImport.people(), listImport.messages(),
            Optional.ofNullable(report).map(ListImportTask::toMap).orElse(Map.of()), Optional.ofNullable(error).orElse(""), clock.instant()));
    }

    /** The report as JSON shows it. */
    static Map<String, Object> toMap(ImportReport report) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("dryRun", report.dryRun());
        map.put("nothingToDo", report.nothingToDo());
        List<Map<String, Object>> settings = new ArrayList<>();
        for (ImportReport.Change change : report.settings()) {
            settings.add(change(change));
        }
        map.put("settings", settings);
        map.put("added", report.added());
        List<Map<String, Object>> changed = new ArrayList<>();
        for (ImportReport.MemberChange member : report.changed()) {
            List<Map<String, Object>> differences = new ArrayList<>();
            member.changes().forEach(change -> differences.add(change(change)));
            changed.add(Map.of("address", member.address(), "changes", differences));
        }
        map.put("changed", changed);
        map.put("unchanged", report.unchanged());
        map.put("onlyHere", report.onlyHere());
        map.put("history", Map.of("imported", report.historyImported(), "skipped", report.historySkipped(),
            "refused", report.historyRefused()));
        List<Map<String, Object>> notes = new ArrayList<>();
        for (ImportNote note : report.notes()) {
            Map<String, Object> shown = new LinkedHashMap<>();
            shown.put("source", note.source());
            shown.put("kind", note.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
            note.target().ifPresent(target -> shown.put("target", target));
            if (!note.note().isEmpty()) {
                shown.put("note", note.note());
            }
            notes.add(shown);
        }
        map.put("notes", notes);
        return map;
    }

    private static Map<String, Object> change(ImportReport.Change change) {
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("name", change.name());
        shown.put("from", change.from());
        shown.put("to", change.to());
        return shown;
    }

    /** Progress and report of an import, as {@code GET /tasks/{id}} shows them. */
    public static final class Details implements TaskExecutionDetails.AdditionalInformation {
        final String list;
        final String source;
        final boolean dryRun;
        final String phase;
        final int people;
        final int messages;
        final Map<String, Object> report;
        final String error;
        private final Instant timestamp;

        Details(String list, String source, boolean dryRun, String phase, int people, int messages, Map<String, Object> report, String error,
                Instant timestamp) {
            this.list = list;
            this.source = source;
            this.dryRun = dryRun;
            this.phase = phase;
            this.people = people;
            this.messages = messages;
            this.report = report;
            this.error = error;
            this.timestamp = timestamp;
        }

        public String list() {
            return list;
        }

        @Override
        public Instant timestamp() {
            return timestamp;
        }
    }
}
