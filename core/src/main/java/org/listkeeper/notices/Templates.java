package org.listkeeper.notices;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.listkeeper.InvalidValueException;
import org.listkeeper.internal.Template;
import org.listkeeper.list.ListVariables;
import org.listkeeper.list.MailingList;

/**
 * The text of every reply and notice: a default set shipped with Listkeeper (one plain-text UTF-8 file per
 * template, {@code Subject:} on the first line, a blank line, then the body), which a list may replace one
 * template at a time. A list's own version is checked when it is saved: it must keep the Subject line and use
 * only the template's variables.
 */
public final class Templates {
    /** Longest template a list may save. */
    public static final int MAX_LENGTH = 20_000;
    private static final String SUBJECT = "Subject:";

    private static final Map<NoticeKind, String> DEFAULTS = new EnumMap<>(NoticeKind.class);

    static {
        for (NoticeKind kind : NoticeKind.values()) {
            DEFAULTS.put(kind, check(kind, load(kind)));
        }
    }

    private final TemplateStore templateStore;

    public Templates(TemplateStore templateStore) {
        this.templateStore = Objects.requireNonNull(templateStore);
    }

    private static String load(NoticeKind kind) {
        String resource = kind.templateName() + ".txt";
        try (InputStream in = Templates.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("The default template " + resource + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read the default template " + resource, e);
        }
    }

    public String defaultText(NoticeKind kind) {
        return DEFAULTS.get(kind);
    }

    /** The list's own version, if it saved one. */
    public Optional<String> ownText(MailingList list, NoticeKind kind) {
        return templateStore.template(list.id(), kind.templateName());
    }

    /** The text the list uses: its own version, else the default. */
    public String text(MailingList list, NoticeKind kind) {
        return ownText(list, kind).orElse(DEFAULTS.get(kind));
    }

    /** Checks and saves the list's own version of a template. */
    public void save(MailingList list, NoticeKind kind, String text) {
        templateStore.saveTemplate(list.id(), kind.templateName(), check(kind, text));
    }

    /** Goes back to the default; false when the list had no version of its own. */
    public boolean reset(MailingList list, NoticeKind kind) {
        return templateStore.deleteTemplate(list.id(), kind.templateName());
    }

    /** The normalised text, or {@link InvalidValueException} naming what is wrong. */
    public static String check(NoticeKind kind, String text) {
        String field = "template " + kind.templateName();
        if (text == null || text.isBlank()) {
            throw new InvalidValueException(field, "", "a template needs a Subject line and a body");
        }
        String normalised = text.replace("\r\n", "\n");
        if (normalised.length() > MAX_LENGTH) {
            throw new InvalidValueException(field, normalised.substring(0, 40) + "…", "longer than " + MAX_LENGTH + " characters");
        }
        if (normalised.chars().anyMatch(c -> c < 0x20 && c != '\n' && c != '\t' || c == 0x7f)) {
            throw new InvalidValueException(field, normalised.substring(0, Math.min(40, normalised.length())), "contains control characters");
        }
        int end = normalised.indexOf('\n');
        String first = end < 0 ? normalised : normalised.substring(0, end);
        if (!first.regionMatches(true, 0, SUBJECT, 0, SUBJECT.length()) || first.substring(SUBJECT.length()).isBlank()) {
            throw new InvalidValueException(field, first, "the first line must be \"Subject: …\"");
        }
        Template.check(field, normalised, kind.variables());
        return normalised;
    }

    /** The list's template for {@code kind} filled in with the list's variables and {@code values}. */
    public RenderedText render(MailingList list, NoticeKind kind, Map<String, String> values) {
        Map<String, String> all = new HashMap<>(listVariables(list));
        all.putAll(values);
        String text = Template.render(text(list, kind), all);
        int end = text.indexOf('\n');
        String subject = (end < 0 ? text : text.substring(0, end)).substring(SUBJECT.length()).strip();
        String body = end < 0 ? "" : text.substring(end + 1);
        while (body.startsWith("\n")) {
            body = body.substring(1);
        }
        return new RenderedText(subject, body);
    }

    /** The variables every template has, with this list's values. */
    public static Map<String, String> listVariables(MailingList list) {
        return ListVariables.of(list);
    }

    /** A filled-in template: one Subject line and a plain-text body. */
    public static final class RenderedText {
        private final String subject;
        private final String body;

        RenderedText(String subject, String body) {
            this.subject = subject;
            this.body = body;
        }

        public String subject() {
            return subject;
        }

        public String body() {
            return body;
        }
    }
}
