package org.listkeeper.list;

import java.util.Set;

import org.listkeeper.notices.NoticeKind;
import org.listkeeper.notices.Template;
import org.listkeeper.notices.Templates;

/**
 * The footer's template: the list's variables in {@code {{name}}} form, as in every notice. An unknown
 * variable is refused when the footer is set, never discovered at delivery.
 */
public final class FooterTemplate {
    public static final Set<String> VARIABLES = NoticeKind.LIST_VARIABLES;

    private FooterTemplate() {
    }

    static void check(String template) {
        Template.check("footer", template, VARIABLES);
    }

    /** The footer of {@code list} with its variables filled in; empty when the list has none. */
    public static String render(MailingList list) {
        return Template.render(list.footerTemplate(), Templates.listVariables(list));
    }
}
