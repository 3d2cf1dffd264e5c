package org.listkeeper.webadmin.dto;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.listkeeper.moderation.HeldPost;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A held post: in {@code GET /lists/{list}/held} its summary; in {@code GET /lists/{list}/held/{id}} also its headers
 * and text while the hold queue keeps the message. Who decided appears once someone has.
 */
@JsonPropertyOrder({"id", "sender", "subject", "reasons", "heldAt", "expiresAt", "state", "decidedBy", "headers", "text"})
public final class HeldPostDTO {
    private final HeldPost post;
    private final Optional<Map<String, List<String>>> headers;
    private final Optional<String> text;

    private HeldPostDTO(HeldPost post, Optional<Map<String, List<String>>> headers, Optional<String> text) {
        this.post = post;
        this.headers = headers;
        this.text = text;
    }

    public static HeldPostDTO summary(HeldPost post) {
        return new HeldPostDTO(post, Optional.empty(), Optional.empty());
    }

    public static HeldPostDTO withMessage(HeldPost post, Optional<Map<String, List<String>>> headers, Optional<String> text) {
        return new HeldPostDTO(post, headers, text);
    }

    public long getId() {
        return post.id();
    }

    public String getSender() {
        return post.sender().orElse(null);
    }

    public String getSubject() {
        return post.subject().orElse(null);
    }

    public String getReasons() {
        return post.reasons();
    }

    public String getHeldAt() {
        return post.heldAt().toString();
    }

    public String getExpiresAt() {
        return post.expiresAt().toString();
    }

    public String getState() {
        return post.state().value();
    }

    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    public Optional<String> getDecidedBy() {
        return post.decidedBy();
    }

    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    public Optional<Map<String, List<String>>> getHeaders() {
        return headers;
    }

    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    public Optional<String> getText() {
        return text;
    }
}
