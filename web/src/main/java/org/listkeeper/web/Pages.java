package org.listkeeper.web;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ResourceBundle;

import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.extension.AbstractExtension;
import io.pebbletemplates.pebble.extension.Function;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import io.pebbletemplates.pebble.template.EvaluationContext;
import io.pebbletemplates.pebble.template.PebbleTemplate;

/**
 * Renders the web pages: Pebble templates under {@code org/listkeeper/web/templates} (every value HTML-escaped unless
 * a template says otherwise, which none does), with every visible string from the message bundle
 * {@code org/listkeeper/web/messages} through the function {@code t(key, arguments…)}.
 */
final class Pages {
    static final String BUNDLE = "org.listkeeper.web.messages";
    private final PebbleEngine engine;
    private final Locale locale;

    Pages(Locale locale) {
        this.locale = locale;
        ClasspathLoader loader = new ClasspathLoader(Pages.class.getClassLoader());
        loader.setPrefix("org/listkeeper/web/templates");
        loader.setSuffix(".peb");
        this.engine = new PebbleEngine.Builder().loader(loader).autoEscaping(true).strictVariables(true)
            .defaultLocale(locale).extension(new Messages(locale)).build();
    }

    /** The page {@code name} with {@code values}. */
    String render(String name, Map<String, Object> values) {
        PebbleTemplate template = engine.getTemplate(name);
        StringWriter out = new StringWriter();
        try {
            template.evaluate(out, new HashMap<>(values), locale);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** One string of the bundle with its arguments, for what is said outside a template (titles of simple pages). */
    String text(String key, Object... arguments) {
        return Messages.format(ResourceBundle.getBundle(BUNDLE, locale, Pages.class.getClassLoader()), locale, key, arguments);
    }

    /** {@code t('key', a, b…)}: the bundle's text for key, its {0}, {1}… replaced (and escaped like any value). */
    private static final class Messages extends AbstractExtension {
        private final Locale locale;

        Messages(Locale locale) {
            this.locale = locale;
        }

        static String format(ResourceBundle bundle, Locale locale, String key, Object... arguments) {
            String pattern = bundle.getString(key);
            return new MessageFormat(pattern, locale).format(arguments);
        }

        @Override
        public Map<String, Function> getFunctions() {
            ResourceBundle bundle = ResourceBundle.getBundle(BUNDLE, locale, Pages.class.getClassLoader());
            return Map.of("t", new Function() {
                @Override
                public List<String> getArgumentNames() {
                    return null;
                }

                @Override
                public Object execute(Map<String, Object> args, PebbleTemplate self, EvaluationContext context, int line) {
                    List<Object> arguments = new ArrayList<>();
                    for (int i = 1; args.containsKey(String.valueOf(i)); i++) {
                        arguments.add(args.get(String.valueOf(i)));
                    }
                    return format(bundle, locale, String.valueOf(args.get("0")), arguments.toArray());
                }
            });
        }
    }
}
