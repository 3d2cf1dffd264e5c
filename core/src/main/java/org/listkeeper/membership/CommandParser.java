package org.listkeeper.membership;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads the commands of a mail to a list's request address, as GNU Mailman 3 users write them: first the
 * Subject (without {@code Re:}/{@code Fwd:} prefixes), then the body one line at a time. Reading stops at a
 * line {@code end} (or {@code stop}, {@code thanks}), at a signature line {@code -- }, and after
 * {@value #MAX_COMMANDS} commands. Blank and quoted ({@code >}) lines are skipped.
 */
public final class CommandParser {
    /** At most this many commands are read from one message. */
    public static final int MAX_COMMANDS = 10;
    private static final int MAX_LINE = 200;
    private static final Pattern REPLY_PREFIX = Pattern.compile("^\\s*((re|fwd?|aw|wg|sv|vs|tr|antw)\\s*(\\[\\d+\\])?\\s*:\\s*)+",
        Pattern.CASE_INSENSITIVE);
    private static final Pattern WORDS = Pattern.compile("\\s+");

    private CommandParser() {
    }

    /** The commands of a message with {@code subject} and plain-text {@code body} (either may be empty). */
    public static List<CommandLine> parse(String subject, String body) {
        List<CommandLine> commands = new ArrayList<>();
        if (subject != null) {
            String line = REPLY_PREFIX.matcher(subject.strip()).replaceFirst("").strip();
            if (!line.isEmpty()) {
                CommandLine command = line(line);
                if (isEnd(command)) {
                    return commands;
                }
                commands.add(command);
            }
        }
        if (body == null) {
            return commands;
        }
        for (String raw : body.replace("\r\n", "\n").split("\n", -1)) {
            if (commands.size() >= MAX_COMMANDS || raw.equals("-- ") || raw.equals("--")) {
                break;
            }
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith(">")) {
                continue;
            }
            CommandLine command = line(line);
            if (isEnd(command)) {
                break;
            }
            commands.add(command);
        }
        return commands;
    }

    private static boolean isEnd(CommandLine command) {
        return command.name().equals("end") || command.name().equals("stop") || command.name().equals("thanks")
            || command.name().equals("thank");
    }

    private static CommandLine line(String line) {
        String text = line.length() > MAX_LINE ? line.substring(0, MAX_LINE) + "…" : line;
        String[] words = WORDS.split(text);
        List<String> arguments = new ArrayList<>();
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 1; i < words.length; i++) {
            int equals = words[i].indexOf('=');
            if (equals > 0) {
                options.put(words[i].substring(0, equals).toLowerCase(Locale.ROOT), words[i].substring(equals + 1));
            } else {
                arguments.add(words[i]);
            }
        }
        return new CommandLine(text, words[0], arguments, options);
    }
}
