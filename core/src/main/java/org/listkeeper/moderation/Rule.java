package org.listkeeper.moderation;

import javax.mail.MessagingException;

/**
 * One test of a post, as GNU Mailman 3's rules: it decides hit or miss with a reason a person can read; what
 * a hit leads to is the chain's business, not the rule's. A rule's {@link #name()} is configuration API (the
 * list's {@code moderationChain} names it): never renamed, only added. A site adds its own through the same Guice
 * set the built-in rules are bound in ({@code Multibinder.newSetBinder(binder(), Rule.class)}).
 */
public interface Rule {
    /** Stable kebab-case name. */
    String name();

    /** One line for operators. */
    String description();

    RuleResult check(RuleInput post) throws MessagingException;
}
