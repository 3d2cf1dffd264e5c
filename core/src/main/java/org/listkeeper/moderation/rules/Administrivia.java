package org.listkeeper.moderation.rules;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.mail.MessagingException;
import javax.mail.Multipart;
import javax.mail.Part;
import javax.mail.internet.MimeMessage;
import org.listkeeper.moderation.Rule;
import org.listkeeper.moderation.RuleInput;
import org.listkeeper.moderation.RuleResult;

public final class Administrivia implements Rule {
    /**
     * Each command word with the fewest and most words that may follow it, as GNU Mailman's table: "help" alone is a
     * command, "Help with the installer" is a question for the list.
     */
    private static final Map<String, List<Integer>> COMMANDS = Map.ofEntries(Map.entry("subscribe", List.of(0, 3)),
        Map.entry("join", List.of(0, 3)), Map.entry("unsubscribe", List.of(0, 1)), Map.entry("leave", List.of(0, 1)),
        Map.entry("signoff", List.of(0, 1)), Map.entry("remove", List.of(0, 0)), Map.entry("help", List.of(0, 0)),
        Map.entry("info", List.of(0, 0)), Map.entry("who", List.of(0, 2)), Map.entry("confirm", List.of(1, 1)),
        Map.entry("set", List.of(3, 3)));
    private static final int MAX_LINES = 5;

    @Override
    public String name() {
        return "administrivia";
    }

    @Override
    public String description() {
        return "A short post that is really a command (subscribe, unsubscribe…) meant for the request address";
    }

    @Override
    public RuleResult check(RuleInput post) throws MessagingException {
        if (!post.list().administrivia()) {
            return RuleResult.miss();
        }
        MimeMessage message = post.mail().getMessage();
        List<String> lines = new ArrayList<>();
        Optional.ofNullable(message.getSubject()).ifPresent(lines::add);
        String text = text(message);
        if (text != null) {
            for (String line : text.split("\r?\n")) {
                if (!line.isBlank() && !line.startsWith(">")) {
                    lines.add(line);
                }
            }
        }
        if (lines.size() > MAX_LINES + 1) {
            return RuleResult.miss();
        }
        for (String line : lines) {
            String[] words = line.strip().toLowerCase(Locale.ROOT).split("\\s+");
            List<Integer> arguments = COMMANDS.get(words[0]);
            if (arguments != null && words.length - 1 >= arguments.get(0) && words.length - 1 <= arguments.get(1)) {
                return RuleResult.hit("looks like a command (\"" + words[0] + "\") meant for "
                    + post.list().requestAddress().asString());
            }
        }
        return RuleResult.miss();
    }

    private static String text(Part part) {
        try {
            if (part.isMimeType("text/plain")) {
                Object content = part.getContent();
                return content instanceof String ? (String) content : null;
            }
            if (part.isMimeType("multipart/*") && part.getContent() instanceof Multipart) {
                Multipart multipart = (Multipart) part.getContent();
                return multipart.getCount() > 0 ? text(multipart.getBodyPart(0)) : null;
            }
        } catch (IOException | MessagingException | RuntimeException e) {
            return null;
        }
        return null;
    }
}
