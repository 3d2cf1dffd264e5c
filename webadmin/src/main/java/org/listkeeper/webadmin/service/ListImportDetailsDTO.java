package org.listkeeper.webadmin.service;

import java.time.Instant;
import java.util.Map;

import org.apache.james.json.DTOModule;
import org.apache.james.server.task.json.dto.AdditionalInformationDTO;
import org.apache.james.server.task.json.dto.AdditionalInformationDTOModule;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The JSON form of a list import's progress and report in {@code GET /tasks/{id}}. */
public final class ListImportDetailsDTO implements AdditionalInformationDTO {
    public static final AdditionalInformationDTOModule<ListImportTask.Details, ListImportDetailsDTO> MODULE =
        DTOModule.forDomainObject(ListImportTask.Details.class)
            .convertToDTO(ListImportDetailsDTO.class)
            .toDomainObjectConverter(ListImportDetailsDTO::toDetails)
            .toDTOConverter(ListImportDetailsDTO::fromDetails)
            .typeName(ListImportTask.TYPE.asString())
            .withFactory(AdditionalInformationDTOModule::new);

    private final String type;
    private final String list;
    private final String source;
    private final boolean dryRun;
    private final String phase;
    private final int people;
    private final int messages;
    private final Map<String, Object> report;
    private final String error;
    private final Instant timestamp;

    public ListImportDetailsDTO(@JsonProperty("type") String type, @JsonProperty("list") String list, @JsonProperty("source") String source,
                                @JsonProperty("dryRun") boolean dryRun, @JsonProperty("phase") String phase, @JsonProperty("people") int people,
                                @JsonProperty("messages") int messages, @JsonProperty("report") Map<String, Object> report,
                                @JsonProperty("error") String error, @JsonProperty("timestamp") Instant timestamp) {
        this.type = type;
        this.list = list;
        this.source = source;
        this.dryRun = dryRun;
        this.phase = phase;
        this.people = people;
        this.messages = messages;
        this.report = report == null ? Map.of() : report;
        this.error = error == null ? "" : error;
        this.timestamp = timestamp;
    }

    static ListImportDetailsDTO fromDetails(ListImportTask.Details details, String type) {
        return new ListImportDetailsDTO(type, details.list, details.source, details.dryRun, details.phase, details.people, details.messages,
            details.report, details.error, details.timestamp());
    }

    private ListImportTask.Details toDetails() {
        return new ListImportTask.Details(list, source, dryRun, phase, people, messages, report, error, timestamp);
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

    public String getSource() {
        return source;
    }

    public boolean isDryRun() {
        return dryRun;
    }

    public String getPhase() {
        return phase;
    }

    public int getPeople() {
        return people;
    }

    public int getMessages() {
        return messages;
    }

    public Map<String, Object> getReport() {
        return report;
    }

    public String getError() {
        return error;
    }
}
