package org.listkeeper.list;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.listkeeper.internal.Template;

/**
 * The footer's template: the list's variables in {@code {{name}}} form, as in every notice, and the member's own
 * ({@code memberAddress}, {@code memberName}, {@code unsubscribeUrl}) for personalized delivery. In bulk delivery
 * the member variables are empty and {@code unsubscribeUrl} is the {@code mailto:} link of the leave address. An
 * unknown variable is refused when the footer is set, never discovered at delivery.
 */
public final class FooterTemplate {
    /** The variables only a personalized copy has a value for. */
    public static final Set<String> MEMBER_VARIABLES = Set.of("memberAddress", "memberName", "unsubscribeUrl");
    public static final Set<String> VARIABLES = union(ListVariables.NAMES, MEMBER_VARIABLES);

    private FooterTemplate() {
    }

    static void check(String template) {
        Template.check("footer", template, VARIABLES);
    }

    /** The footer of a bulk copy: the list's variables filled in; empty when the list has none. */
    public static String render(MailingList list) {
        return render(list, list.footerTemplate());
    }

    /** {@code template} (a footer, a digest's header or footer) as a bulk copy has it: the member variables empty. */
    public static String render(MailingList list, String template) {
        Map<String, String> values = ListVariables.of(list);
        values.put("memberAddress", "");
        values.put("memberName", "");
        values.put("unsubscribeUrl", "mailto:" + list.leaveAddress().asString());
        return Template.render(template, values);
    }

    /** The footer of {@code member}'s own copy, with the link that unsubscribes them. */
    public static String render(MailingList list, Member member, String unsubscribeUrl) {
        Map<String, String> values = ListVariables.of(list);
        values.put("memberAddress", member.address().asString());
        values.put("memberName", member.displayName().orElse(""));
        values.put("unsubscribeUrl", unsubscribeUrl);
        return Template.render(list.footerTemplate(), values);
    }

    private static Set<String> union(Set<String> first, Set<String> second) {
        Set<String> all = new HashSet<>(first);
        all.addAll(second);
        return Set.copyOf(all);
    }
}
