package org.listkeeper.webadmin.dto;

import java.util.Set;
import java.util.TreeSet;

import org.listkeeper.notices.NoticeKind;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** One entry of {@code GET /lists/{list}/templates}: whether the list has its own text, and the variables it may use. */
@JsonPropertyOrder({"name", "custom", "variables"})
public final class TemplateDTO {
    private final NoticeKind kind;
    private final boolean custom;

    private TemplateDTO(NoticeKind kind, boolean custom) {
        this.kind = kind;
        this.custom = custom;
    }

    public static TemplateDTO of(NoticeKind kind, boolean custom) {
        return new TemplateDTO(kind, custom);
    }

    public String getName() {
        return kind.templateName();
    }

    public boolean getCustom() {
        return custom;
    }

    /** In alphabetical order. */
    public Set<String> getVariables() {
        return new TreeSet<>(kind.variables());
    }
}
