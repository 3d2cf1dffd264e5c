package org.listkeeper.webadmin.service;

import java.time.Instant;
import java.util.List;

import org.apache.james.json.DTOModule;
import org.apache.james.server.task.json.dto.AdditionalInformationDTO;
import org.apache.james.server.task.json.dto.AdditionalInformationDTOModule;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The JSON form of an archive import's counters in {@code GET /tasks/{id}}. */
public final class ArchiveImportDetailsDTO implements AdditionalInformationDTO {
    public static final AdditionalInformationDTOModule<ArchiveImportTask.Details, ArchiveImportDetailsDTO> MODULE =
        DTOModule.forDomainObject(ArchiveImportTask.Details.class)
            .convertToDTO(ArchiveImportDetailsDTO.class)
            .toDomainObjectConverter(ArchiveImportDetailsDTO::toDetails)
            .toDTOConverter(ArchiveImportDetailsDTO::fromDetails)
            .typeName(ArchiveImportTask.TYPE.asString())
            .withFactory(AdditionalInformationDTOModule::new);

    /** A refused message: the line of its separator in the mbox, and why. */
    public static final class Refusal {
        private final long line;
        private final String error;

        public Refusal(@JsonProperty("line") long line, @JsonProperty("error") String error) {
            this.line = line;
            this.error = error;
        }

        public long getLine() {
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
    private final int imported;
    private final int skipped;
    private final int refused;
    private final List<Refusal> errors;
    private final Instant timestamp;

    public ArchiveImportDetailsDTO(@JsonProperty("type") String type, @JsonProperty("list") String list,
                                   @JsonProperty("total") int total, @JsonProperty("processed") int processed, @JsonProperty("imported") int imported,
                                   @JsonProperty("skipped") int skipped, @JsonProperty("refused") int refused,
                                   @JsonProperty("errors") List<Refusal> errors, @JsonProperty("timestamp") Instant timestamp) {
        this.type = type;
        this.list = list;
        this.total = total;
        this.processed = processed;
        this.imported = imported;
        this.skipped = skipped;
        this.refused = refused;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
        this.timestamp = timestamp;
    }

    private static ArchiveImportDetailsDTO fromDetails(ArchiveImportTask.Details details, String type) {
        return new ArchiveImportDetailsDTO(type, details.list, details.total, details.processed, details.imported, details.skipped, details.refused,
            details.errors, details.timestamp());
    }

    private ArchiveImportTask.Details toDetails() {
        return new ArchiveImportTask.Details(list, total, processed, imported, skipped, refused, errors, timestamp);
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

    /** Messages in the mbox; -1 while they are being counted. */
    public int getTotal() {
        return total;
    }

    public int getProcessed() {
        return processed;
    }

    public int getImported() {
        return imported;
    }

    public int getSkipped() {
        return skipped;
    }

    public int getRefused() {
        return refused;
    }

    public List<Refusal> getErrors() {
        return errors;
    }
}
