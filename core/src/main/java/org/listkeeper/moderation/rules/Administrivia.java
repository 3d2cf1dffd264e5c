package org.listkeeper.moderation.rules;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.mail.MessagingException;
import javax.mail.Multipart;
import javax.mail.Part;
import javax.mail.internet.MimeMessage;
import org.listkeeper.moderation.Rule;
import org.listkeeper.moderation.RuleInput;
import org.listkeeper.moderation.RuleResult;

public final class Administrivia implements Rule {
    private static final Set<String> COMMANDS = Set.of("subscribe", "unsubscribe", "join", "leave", "remove", "signoff",
        "help", "who", "confirm", "set", "info");
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
            if (words.length > 0 && COMMANDS.contains(words[0])) {
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
