package org.listkeeper.membership;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** One command as written in a request mail: its name, its words, its {@code key=value} options. */
public final class CommandLine {
    private final String text;
    private final String name;
    private final List<String> arguments;
    private final Map<String, String> options;

    CommandLine(String text, String name, List<String> arguments, Map<String, String> options) {
        this.text = Objects.requireNonNull(text);
        this.name = name.toLowerCase(Locale.ROOT);
        this.arguments = List.copyOf(arguments);
        this.options = Map.copyOf(options);
    }

    /** The line as written (trimmed, at most 200 characters). */
    public String text() {
        return text;
    }

    /** The command word, in lower case. */
    public String name() {
        return name;
    }

    /** The words after the command that are not options. */
    public List<String> arguments() {
        return arguments;
    }

    /** {@code key=value} words, keys in lower case. */
    public Map<String, String> options() {
        return options;
    }

    public Optional<String> option(String key) {
        return Optional.ofNullable(options.get(key));
    }

    @Override
    public String toString() {
        return text;
    }
}
