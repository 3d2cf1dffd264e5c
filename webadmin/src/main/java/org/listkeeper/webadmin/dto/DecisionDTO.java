package org.listkeeper.webadmin.dto;

import java.util.Locale;
import java.util.Optional;

import org.listkeeper.membership.PendingRequest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The answer to a moderator's decision, on a held post or on a request: its outcome in lower case, one line saying
 * it, and the request as it stands after the decision.
 */
@JsonPropertyOrder({"outcome", "message", "request"})
public final class DecisionDTO {
    private final String outcome;
    private final String message;
    private final Optional<RequestDTO> request;

    private DecisionDTO(Enum<?> outcome, String message, Optional<RequestDTO> request) {
        this.outcome = outcome.name().toLowerCase(Locale.ROOT);
        this.message = message;
        this.request = request;
    }

    public static DecisionDTO of(Enum<?> outcome, String message) {
        return new DecisionDTO(outcome, message, Optional.empty());
    }

    public static DecisionDTO of(Enum<?> outcome, String message, Optional<PendingRequest> request) {
        return new DecisionDTO(outcome, message, request.map(RequestDTO::from));
    }

    public String getOutcome() {
        return outcome;
    }

    public String getMessage() {
        return message;
    }

    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    public Optional<RequestDTO> getRequest() {
        return request;
    }
}
