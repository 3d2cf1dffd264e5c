package org.listkeeper.webadmin.dto;

import org.listkeeper.digest.DigestIssue;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** One digest issue: its volume and number, where it stands, its posts and their size in bytes, and when it moved. */
@JsonPropertyOrder({"volume", "number", "state", "posts", "size", "openedAt", "closedAt", "sentAt"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class DigestIssueDTO {
    private final DigestIssue issue;

    private DigestIssueDTO(DigestIssue issue) {
        this.issue = issue;
    }

    public static DigestIssueDTO of(DigestIssue issue) {
        return new DigestIssueDTO(issue);
    }

    public int getVolume() {
        return issue.volume();
    }

    public int getNumber() {
        return issue.number();
    }

    /** {@code open}, {@code closed}, {@code sending} or {@code sent}. */
    public String getState() {
        return issue.state();
    }

    public int getPosts() {
        return issue.posts();
    }

    public long getSize() {
        return issue.size();
    }

    public String getOpenedAt() {
        return issue.openedAt().toString();
    }

    public String getClosedAt() {
        return issue.closedAt().map(Object::toString).orElse(null);
    }

    public String getSentAt() {
        return issue.sentAt().map(Object::toString).orElse(null);
    }
}
