package org.listkeeper.webadmin.dto;

import java.util.Optional;

import org.listkeeper.archive.ArchiveEntry;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * An archive entry in {@code GET /lists/{list}/archive}: the author's name only, unless the request asked
 * {@code private=true}; a taken-down entry keeps its number and thread with its text gone.
 */
@JsonPropertyOrder({"number", "messageId", "subject", "author", "address", "date", "threadId", "inReplyTo", "deleted"})
public final class ArchiveEntryDTO {
    private final ArchiveEntry entry;
    private final boolean withAddress;

    private ArchiveEntryDTO(ArchiveEntry entry, boolean withAddress) {
        this.entry = entry;
        this.withAddress = withAddress;
    }

    public static ArchiveEntryDTO of(ArchiveEntry entry, boolean withAddress) {
        return new ArchiveEntryDTO(entry, withAddress);
    }

    public long getNumber() {
        return entry.number();
    }

    public String getMessageId() {
        return entry.messageId().orElse(null);
    }

    public String getSubject() {
        return entry.subject();
    }

    public String getAuthor() {
        return entry.authorName();
    }

    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    public Optional<String> getAddress() {
        return withAddress ? entry.authorAddress() : Optional.empty();
    }

    public String getDate() {
        return entry.date().toString();
    }

    public long getThreadId() {
        return entry.threadId();
    }

    public String getInReplyTo() {
        return entry.inReplyTo().orElse(null);
    }

    public boolean isDeleted() {
        return entry.deleted();
    }
}
