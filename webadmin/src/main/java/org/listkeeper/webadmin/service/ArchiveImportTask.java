package org.listkeeper.webadmin.service;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.james.task.Task;
import org.apache.james.task.TaskExecutionDetails;
import org.apache.james.task.TaskType;
import org.listkeeper.archive.ArchiveImport;
import org.listkeeper.archive.Mbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** An mbox import into a list's archive as a James WebAdmin task: {@code GET /tasks/{id}} shows its counters. */
public final class ArchiveImportTask implements Task {
    static final TaskType TYPE = TaskType.of("listkeeper-archive-import");
    private static final Logger LOGGER = LoggerFactory.getLogger(ArchiveImportTask.class);

    private final ArchiveImport archiveImport;
    private final Path mbox;
    private final Clock clock;
    /** Messages in the mbox, counted before the import starts; -1 until then. */
    private volatile int total = -1;

    ArchiveImportTask(ArchiveImport archiveImport, Path mbox, Clock clock) {
        this.archiveImport = archiveImport;
        this.mbox = mbox;
        this.clock = clock;
    }

    @Override
    public Result run() {
        try (InputStream in = Files.newInputStream(mbox)) {
            total = Mbox.count(in);
        } catch (IOException e) {
            LOGGER.warn("Cannot count the messages of {}: {}", mbox, e.getMessage());
        }
        try (InputStream in = Files.newInputStream(mbox)) {
            archiveImport.run(in);
            return Result.COMPLETED;
        } catch (IOException | RuntimeException e) {
            LOGGER.error("Archive import into {} stopped after {} messages", archiveImport.list().address().asString(),
                archiveImport.processed(), e);
            return Result.PARTIAL;
        } finally {
            try {
                Files.deleteIfExists(mbox);
            } catch (IOException e) {
                LOGGER.warn("Cannot delete the imported mbox {}: {}", mbox, e.getMessage());
            }
        }
    }

    @Override
    public TaskType type() {
        return TYPE;
    }

    @Override
    public Optional<TaskExecutionDetails.AdditionalInformation> details() {
        List<ArchiveImportDetailsDTO.Refusal> refusals = new ArrayList<>();
        for (ArchiveImport.Refusal refusal : archiveImport.refusals()) {
            refusals.add(new ArchiveImportDetailsDTO.Refusal(refusal.line(), refusal.error()));
        }
        return Optional.of(new Details(archiveImport.list().address().asString(), total, archiveImport.processed(), archiveImport.imported(),
            archiveImport.skipped(), archiveImport.refused(), refusals, clock.instant()));
    }

    /** The counters of an import, as {@code GET /tasks/{id}} shows them. */
    public static final class Details implements TaskExecutionDetails.AdditionalInformation {
        final String list;
        final int total;
        final int processed;
        final int imported;
        final int skipped;
        final int refused;
        final List<ArchiveImportDetailsDTO.Refusal> errors;
        private final Instant timestamp;

        Details(String list, int total, int processed, int imported, int skipped, int refused, List<ArchiveImportDetailsDTO.Refusal> errors,
                Instant timestamp) {
            this.list = list;
            this.total = total;
            this.processed = processed;
            this.imported = imported;
            this.skipped = skipped;
            this.refused = refused;
            this.errors = List.copyOf(errors);
            this.timestamp = timestamp;
        }

        @Override
        public Instant timestamp() {
            return timestamp;
        }
    }
}
