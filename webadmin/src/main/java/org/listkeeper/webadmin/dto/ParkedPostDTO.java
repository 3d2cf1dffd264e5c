package org.listkeeper.webadmin.dto;

import org.listkeeper.parking.ParkedPost;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** A parked post in {@code GET /lists/{list}/parked[/{id}]}. */
@JsonPropertyOrder({"id", "handler", "error", "parkedAt", "messageId", "subject", "sender"})
public final class ParkedPostDTO {
    private final ParkedPost post;

    private ParkedPostDTO(ParkedPost post) {
        this.post = post;
    }

    public static ParkedPostDTO from(ParkedPost post) {
        return new ParkedPostDTO(post);
    }

    public String getId() {
        return post.id();
    }

    public String getHandler() {
        return post.handler().orElse(null);
    }

    public String getError() {
        return post.error().orElse(null);
    }

    public String getParkedAt() {
        return post.parkedAt().orElse(null);
    }

    public String getMessageId() {
        return post.messageId().orElse(null);
    }

    public String getSubject() {
        return post.subject().orElse(null);
    }

    public String getSender() {
        return post.sender().orElse(null);
    }
}
