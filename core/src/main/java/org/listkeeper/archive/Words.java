package org.listkeeper.archive;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The words the archive's search index keeps: runs of letters and digits (any script), lower-cased, from 2 to 40
 * characters, each once. The same rule cuts a search's text into words, so what is indexed is what is found.
 */
public final class Words {
    /** Words longer than this are cut (the index column's width). */
    public static final int MAX_LENGTH = 40;
    /** At most this many distinct words of one message are indexed. */
    public static final int MAX_WORDS = 5_000;
    private static final Pattern SEPARATOR = Pattern.compile("[^\\p{L}\\p{N}]+");

    private Words() {
    }

    /** The distinct words of {@code text}, in order of first appearance. */
    public static List<String> of(String text) {
        Set<String> words = new LinkedHashSet<>();
        add(words, text);
        return new ArrayList<>(words);
    }

    /** Adds the words of {@code text} to {@code into}, up to {@link #MAX_WORDS}. */
    public static void add(Set<String> into, String text) {
        if (text == null) {
            return;
        }
        for (String raw : SEPARATOR.split(text.toLowerCase(Locale.ROOT))) {
            if (into.size() >= MAX_WORDS) {
                return;
            }
            if (raw.length() < 2) {
                continue;
            }
            into.add(raw.length() > MAX_LENGTH ? raw.substring(0, MAX_LENGTH) : raw);
        }
    }
}
