package org.listkeeper.migration;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.listkeeper.list.Addresses;
import org.listkeeper.list.ListChanges.Setting;
import org.listkeeper.list.Member;

/**
 * A list as a source system has it, said in Listkeeper's terms: the settings it maps to (values as {@code PATCH
 * /lists/{list}} takes them), every person on it with role and options, what became of each source setting, and its
 * history as messages in posting order. Sources build one; {@link ListImport} applies it.
 */
public final class ListSnapshot {
    /** The source's archive, read message by message when the import gets there. */
    public interface History {
        /** Calls {@code visitor} with each message in posting order; {@code position} names it in the report. */
        void forEach(MessageVisitor visitor) throws java.io.IOException;
    }

    /** The messages of an mbox file (pipermail's, HyperKitty's export, a mail client's folder) as history. */
    public static History mbox(java.nio.file.Path file) {
        return visitor -> {
            try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
                org.listkeeper.archive.Mbox.read(in, new org.listkeeper.archive.Mbox.Visitor() {
                    @Override
                    public void message(long line, byte[] message) {
                        visitor.message("line " + line, message);
                    }

                    @Override
                    public void tooLarge(long line) {
                        // larger than the archive keeps: nothing to bring
                    }
                });
            }
        };
    }

    @FunctionalInterface
    public interface MessageVisitor {
        void message(String position, byte[] message);
    }

    private final Map<Setting, String> settings;
    private final Map<String, Member> members;
    private final List<ImportNote> notes;
    private final History history;

    private ListSnapshot(Map<Setting, String> settings, Map<String, Member> members, List<ImportNote> notes, History history) {
        this.settings = settings;
        this.members = members;
        this.notes = notes;
        this.history = history;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Map<Setting, String> settings() {
        return settings;
    }

    /** Each person once (by address key), with the options the source gives them. */
    public List<Member> members() {
        return List.copyOf(members.values());
    }

    public List<ImportNote> notes() {
        return notes;
    }

    public History history() {
        return history;
    }

    public static final class Builder {
        private final Map<Setting, String> settings = new EnumMap<>(Setting.class);
        private final Map<String, Member> members = new LinkedHashMap<>();
        private final List<ImportNote> notes = new ArrayList<>();
        private History history = visitor -> { };

        private Builder() {
        }

        public Builder setting(Setting setting, String value) {
            settings.put(setting, Objects.requireNonNull(value));
            return this;
        }

        /** A person; a second entry for the same address replaces the first (a source's later word wins). */
        public Builder member(Member member) {
            members.put(Addresses.key(member.address()), member);
            return this;
        }

        public java.util.Optional<Member> member(String addressKey) {
            return java.util.Optional.ofNullable(members.get(addressKey));
        }

        public Builder note(ImportNote note) {
            notes.add(note);
            return this;
        }

        public Builder history(History history) {
            this.history = Objects.requireNonNull(history);
            return this;
        }

        public ListSnapshot build() {
            return new ListSnapshot(new EnumMap<>(settings), new LinkedHashMap<>(members), List.copyOf(notes), history);
        }
    }
}
