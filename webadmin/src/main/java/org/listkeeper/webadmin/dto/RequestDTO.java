package org.listkeeper.webadmin.dto;

import org.listkeeper.membership.PendingRequest;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** A request to join or leave, in {@code GET /lists/{list}/requests} and in the answer to a decision. */
@JsonPropertyOrder({"id", "action", "address", "displayName", "state", "requestedBy", "createdAt", "expiresAt", "decidedBy"})
public final class RequestDTO {
    private final PendingRequest request;

    private RequestDTO(PendingRequest request) {
        this.request = request;
    }

    public static RequestDTO from(PendingRequest request) {
        return new RequestDTO(request);
    }

    public long getId() {
        return request.id();
    }

    public String getAction() {
        return request.action().value();
    }

    public String getAddress() {
        return request.address().asString();
    }

    public String getDisplayName() {
        return request.displayName().orElse(null);
    }

    public String getState() {
        return request.state().value();
    }

    public String getRequestedBy() {
        return request.requestedBy().orElse(null);
    }

    public String getCreatedAt() {
        return request.createdAt().toString();
    }

    public String getExpiresAt() {
        return request.expiresAt().toString();
    }

    public String getDecidedBy() {
        return request.decidedBy().orElse(null);
    }
}
