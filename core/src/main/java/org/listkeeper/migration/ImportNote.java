package org.listkeeper.migration;

import java.util.Objects;
import java.util.Optional;

/** What became of one setting of the source: mapped to a Listkeeper setting, translated with a note, or not carried. */
public final class ImportNote {
    /** How a source setting arrived. */
    public enum Kind {
        MAPPED, TRANSLATED, NOT_CARRIED
    }

    private final String source;
    private final Kind kind;
    private final String target;
    private final String note;

    private ImportNote(String source, Kind kind, String target, String note) {
        this.source = Objects.requireNonNull(source);
        this.kind = Objects.requireNonNull(kind);
        this.target = target;
        this.note = Objects.requireNonNull(note);
    }

    public static ImportNote mapped(String source, String target) {
        return new ImportNote(source, Kind.MAPPED, Objects.requireNonNull(target), "");
    }

    public static ImportNote translated(String source, String target, String note) {
        return new ImportNote(source, Kind.TRANSLATED, Objects.requireNonNull(target), note);
    }

    public static ImportNote notCarried(String source, String why) {
        return new ImportNote(source, Kind.NOT_CARRIED, null, why);
    }

    public String source() {
        return source;
    }

    public Kind kind() {
        return kind;
    }

    /** The Listkeeper setting (or roster role) it went to. */
    public Optional<String> target() {
        return Optional.ofNullable(target);
    }

    public String note() {
        return note;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ImportNote)) {
            return false;
        }
        ImportNote other = (ImportNote) o;
        return source.equals(other.source) && kind == other.kind && Objects.equals(target, other.target) && note.equals(other.note);
    }

    @Override
    public int hashCode() {
        return Objects.hash(source, kind, target, note);
    }

    @Override
    public String toString() {
        return source + " " + kind + (target == null ? "" : " → " + target) + (note.isEmpty() ? "" : " (" + note + ")");
    }
}
