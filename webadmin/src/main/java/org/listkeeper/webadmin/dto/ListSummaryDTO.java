package org.listkeeper.webadmin.dto;

import org.listkeeper.list.ListSummary;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** One entry of {@code GET /lists}. */
@JsonPropertyOrder({"address", "displayName", "members"})
public final class ListSummaryDTO {
    private final ListSummary summary;

    private ListSummaryDTO(ListSummary summary) {
        this.summary = summary;
    }

    public static ListSummaryDTO from(ListSummary summary) {
        return new ListSummaryDTO(summary);
    }

    public String getAddress() {
        return summary.list().address().asString();
    }

    public String getDisplayName() {
        return summary.list().displayName();
    }

    public int getMembers() {
        return summary.members();
    }
}
