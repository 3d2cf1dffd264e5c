package org.listkeeper.migration;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What an import did (or, dry, would do): settings changed from what to what, people added and changed (with the
 * options that differed), people left as they were, people only Listkeeper has (never removed), the history brought
 * in, and what became of each source setting.
 */
public final class ImportReport {
    /** A value that differed, by name: {@code from} what Listkeeper had, {@code to} what the source has. */
    public static final class Change {
        private final String name;
        private final String from;
        private final String to;

        Change(String name, String from, String to) {
            this.name = Objects.requireNonNull(name);
            this.from = from;
            this.to = to;
        }

        public String name() {
            return name;
        }

        public String from() {
            return from;
        }

        public String to() {
            return to;
        }

        @Override
        public String toString() {
            return name + ": " + from + " → " + to;
        }
    }

    /** A person whose options differed, with each difference. */
    public static final class MemberChange {
        private final String address;
        private final List<Change> changes;

        MemberChange(String address, List<Change> changes) {
            this.address = address;
            this.changes = List.copyOf(changes);
        }

        public String address() {
            return address;
        }

        public List<Change> changes() {
            return changes;
        }

        @Override
        public String toString() {
            return address + " " + changes;
        }
    }

    private final boolean dryRun;
    final List<Change> settings = new ArrayList<>();
    final List<String> added = new ArrayList<>();
    final List<MemberChange> changed = new ArrayList<>();
    int unchanged;
    int onlyHere;
    int historyImported;
    int historySkipped;
    final List<String> historyRefused = new ArrayList<>();
    private final List<ImportNote> notes;

    ImportReport(boolean dryRun, List<ImportNote> notes) {
        this.dryRun = dryRun;
        this.notes = List.copyOf(notes);
    }

    public boolean dryRun() {
        return dryRun;
    }

    public List<Change> settings() {
        return List.copyOf(settings);
    }

    public List<String> added() {
        return List.copyOf(added);
    }

    public List<MemberChange> changed() {
        return List.copyOf(changed);
    }

    public int unchanged() {
        return unchanged;
    }

    /** People Listkeeper has that the source does not: left on the roster. */
    public int onlyHere() {
        return onlyHere;
    }

    public int historyImported() {
        return historyImported;
    }

    public int historySkipped() {
        return historySkipped;
    }

    public List<String> historyRefused() {
        return List.copyOf(historyRefused);
    }

    public List<ImportNote> notes() {
        return notes;
    }

    /** Whether the import found nothing to change. */
    public boolean nothingToDo() {
        return settings.isEmpty() && added.isEmpty() && changed.isEmpty() && historyImported == 0;
    }

    @Override
    public String toString() {
        return (dryRun ? "dry run: " : "") + settings.size() + " settings, " + added.size() + " added, " + changed.size() + " changed, "
            + unchanged + " unchanged, " + onlyHere + " only here, history " + historyImported + " imported / " + historySkipped
            + " already there / " + historyRefused.size() + " refused";
    }
}
