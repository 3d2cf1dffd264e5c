package org.listkeeper.webadmin.service;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.mail.MessagingException;

import org.apache.james.task.Task;
import org.apache.james.task.TaskExecutionDetails;
import org.apache.james.task.TaskType;
import org.listkeeper.membership.RosterImport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A roster import as a James WebAdmin task: {@code GET /tasks/{id}} shows its counters while it runs. */
public final class MemberImportTask implements Task {
    static final TaskType TYPE = TaskType.of("listkeeper-member-import");
    private static final Logger LOGGER = LoggerFactory.getLogger(MemberImportTask.class);

    private final RosterImport roster;
    private final NoticeSender notices;
    private final Clock clock;

    MemberImportTask(RosterImport roster, NoticeSender notices, Clock clock) {
        this.roster = roster;
        this.notices = notices;
        this.clock = clock;
    }

    @Override
    public Result run() {
        try {
            roster.run(confirmations -> {
                try {
                    notices.send(roster.list(), confirmations);
                } catch (MessagingException e) {
                    throw new IllegalStateException("Cannot send a confirmation: " + e.getMessage(), e);
                }
            });
            return Result.COMPLETED;
        } catch (RuntimeException e) {
            LOGGER.error("Import into {} stopped after {} of {} rows", roster.list().address().asString(), roster.processed(),
                roster.total(), e);
            return Result.PARTIAL;
        }
    }

    @Override
    public TaskType type() {
        return TYPE;
    }

    @Override
    public Optional<TaskExecutionDetails.AdditionalInformation> details() {
        return Optional.of(new Details(roster.list().address().asString(), roster.total(), roster.processed(), roster.added(),
            roster.confirmationsSent(), roster.skipped(), roster.invalid(), errors(), clock.instant()));
    }

    private List<MemberImportDetailsDTO.RowError> errors() {
        List<MemberImportDetailsDTO.RowError> errors = new ArrayList<>();
        for (RosterImport.RowError error : roster.errors()) {
            errors.add(new MemberImportDetailsDTO.RowError(error.line(), error.error()));
        }
        return errors;
    }

    /** The counters of an import, as {@code GET /tasks/{id}} shows them. */
    public static final class Details implements TaskExecutionDetails.AdditionalInformation {
        private final String list;
        private final int total;
        private final int processed;
        private final int added;
        private final int confirmationsSent;
        private final int skipped;
        private final int invalid;
        private final List<MemberImportDetailsDTO.RowError> errors;
        private final Instant timestamp;

        Details(String list, int total, int processed, int added, int confirmationsSent, int skipped, int invalid,
                List<MemberImportDetailsDTO.RowError> errors, Instant timestamp) {
            this.list = list;
            this.total = total;
            this.processed = processed;
            this.added = added;
            this.confirmationsSent = confirmationsSent;
            this.skipped = skipped;
            this.invalid = invalid;
            this.errors = List.copyOf(errors);
            this.timestamp = timestamp;
        }

        @Override
        public Instant timestamp() {
            return timestamp;
        }

        public String list() {
            return list;
        }

        public int total() {
            return total;
        }

        public int processed() {
            return processed;
        }

        public int added() {
            return added;
        }

        public int confirmationsSent() {
            return confirmationsSent;
        }

        public int skipped() {
            return skipped;
        }

        public int invalid() {
            return invalid;
        }

        List<MemberImportDetailsDTO.RowError> errors() {
            return errors;
        }
    }
}
