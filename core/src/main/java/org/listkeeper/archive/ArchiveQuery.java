package org.listkeeper.archive;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import org.listkeeper.InvalidValueException;

/** Which entries of an archive a listing asks for: a month, a thread, words to find; none of them for all. */
public final class ArchiveQuery {
    private static final Pattern MONTH = Pattern.compile("\\d{4}-(0[1-9]|1[0-2])");
    private static final ArchiveQuery ALL = new ArchiveQuery(null, null, null);

    private final String month;
    private final Long threadId;
    /** Null when the query searches nothing; empty when it searched for text without a single word. */
    private final List<String> words;

    private ArchiveQuery(String month, Long threadId, List<String> words) {
        this.month = month;
        this.threadId = threadId;
        this.words = words == null ? null : List.copyOf(words);
    }

    public static ArchiveQuery all() {
        return ALL;
    }

    /** {@code month} as {@code YYYY-MM}, a thread's first post number, and free text (its words must all be found). */
    public static ArchiveQuery of(Optional<String> month, Optional<Long> threadId, Optional<String> text) {
        month.ifPresent(value -> {
            if (!MONTH.matcher(value).matches()) {
                throw new InvalidValueException("month", value, "expected YYYY-MM");
            }
        });
        return new ArchiveQuery(month.orElse(null), threadId.orElse(null), text.map(Words::of).orElse(null));
    }

    public Optional<String> month() {
        return Optional.ofNullable(month);
    }

    public Optional<Long> threadId() {
        return Optional.ofNullable(threadId);
    }

    /** The words an entry must all contain; empty when the query searches nothing. */
    public List<String> words() {
        return words == null ? List.of() : words;
    }

    /** Whether the query searched for text that has no word to look for: it finds nothing. */
    public boolean findsNothing() {
        return words != null && words.isEmpty();
    }

    /** Whether {@code text} is a month as the queries and mbox exports name them ({@code YYYY-MM}). */
    public static boolean isMonth(String text) {
        return text != null && MONTH.matcher(text).matches();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ArchiveQuery)) {
            return false;
        }
        ArchiveQuery other = (ArchiveQuery) o;
        return Objects.equals(month, other.month) && Objects.equals(threadId, other.threadId) && Objects.equals(words, other.words);
    }

    @Override
    public int hashCode() {
        return Objects.hash(month, threadId, words);
    }

    @Override
    public String toString() {
        return "ArchiveQuery{month=" + month + ", thread=" + threadId + ", words=" + words + "}";
    }
}
