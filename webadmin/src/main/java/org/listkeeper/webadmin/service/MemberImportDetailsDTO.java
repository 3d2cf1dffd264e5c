package org.listkeeper.webadmin.service;

import java.time.Instant;
import java.util.List;

import org.apache.james.json.DTOModule;
import org.apache.james.server.task.json.dto.AdditionalInformationDTO;
import org.apache.james.server.task.json.dto.AdditionalInformationDTOModule;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The JSON form of an import's counters in {@code GET /tasks/{id}}. */
public final class MemberImportDetailsDTO implements AdditionalInformationDTO {
    public static final AdditionalInformationDTOModule<MemberImportTask.Details, MemberImportDetailsDTO> MODULE =
        DTOModule.forDomainObject(MemberImportTask.Details.class)
            .convertToDTO(MemberImportDetailsDTO.class)
            .toDomainObjectConverter(MemberImportDetailsDTO::toDetails)
            .toDTOConverter(MemberImportDetailsDTO::fromDetails)
            .typeName(MemberImportTask.TYPE.asString())
            .withFactory(AdditionalInformationDTOModule::new);

    /** A refused row: its line number and why. */
    public static final class RowError {
        private final int line;
        private final String error;

        public RowError(@JsonProperty("line") int line, @JsonProperty("error") String error) {
            this.line = line;
            this.error = error;
        }

        public int getLine() {
            return line;
        }

        public String getError() {
            return error;
        }
    }

    private final String type;
    private final String list;
    private final int total;
    private final int processed;
    private final int added;
    private final int confirmationsSent;
    private final int skipped;
    private final int invalid;
    private final List<RowError> errors;
    private final Instant timestamp;

    public MemberImportDetailsDTO(@JsonProperty("type") String type, @JsonProperty("list") String list,
                                  @JsonProperty("total") int total, @JsonProperty("processed") int processed,
                                  @JsonProperty("added") int added, @JsonProperty("confirmationsSent") int confirmationsSent,
                                  @JsonProperty("skipped") int skipped, @JsonProperty("invalid") int invalid,
                                  @JsonProperty("errors") List<RowError> errors, @JsonProperty("timestamp") Instant timestamp) {
        this.type = type;
        this.list = list;
        this.total = total;
        this.processed = processed;
        this.added = added;
        this.confirmationsSent = confirmationsSent;
        this.skipped = skipped;
        this.invalid = invalid;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
        this.timestamp = timestamp;
    }

    private static MemberImportDetailsDTO fromDetails(MemberImportTask.Details details, String type) {
        return new MemberImportDetailsDTO(type, details.list(), details.total(), details.processed(), details.added(),
            details.confirmationsSent(), details.skipped(), details.invalid(),
            details.errors(),
            details.timestamp());
    }

    private MemberImportTask.Details toDetails() {
        return new MemberImportTask.Details(list, total, processed, added, confirmationsSent, skipped, invalid,
            errors,
            timestamp);
    }

    @Override
    public String getType() {
        return type;
    }

    @Override
    public Instant getTimestamp() {
        return timestamp;
    }

    public String getList() {
        return list;
    }

    public int getTotal() {
        return total;
    }

    public int getProcessed() {
        return processed;
    }

    public int getAdded() {
        return added;
    }

    public int getConfirmationsSent() {
        return confirmationsSent;
    }

    public int getSkipped() {
        return skipped;
    }

    public int getInvalid() {
        return invalid;
    }

    public List<RowError> getErrors() {
        return errors;
    }
}
