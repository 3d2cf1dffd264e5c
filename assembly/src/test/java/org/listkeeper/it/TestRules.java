package org.listkeeper.it;

import java.util.Locale;

import javax.mail.MessagingException;

import org.listkeeper.moderation.Rule;
import org.listkeeper.moderation.RuleInput;
import org.listkeeper.moderation.RuleResult;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.Multibinder;

/**
 * A site's own moderation rule, added to James the way a site adds one: a Guice module named in extensions.properties.
 * docs/configuration.md ("Adding a rule of your own") shows this code; keep the two alike.
 */
public final class TestRules extends AbstractModule {
    @Override
    protected void configure() {
        Multibinder.newSetBinder(binder(), Rule.class).addBinding().to(SubjectShouting.class);
    }

    /** Holds a post whose subject is written in capitals. */
    public static final class SubjectShouting implements Rule {
        @Override
        public String name() {
            return "subject-shouting";
        }

        @Override
        public String description() {
            return "The subject is written in capitals";
        }

        @Override
        public RuleResult check(RuleInput post) throws MessagingException {
            String subject = post.mail().getMessage().getSubject();
            if (subject == null || subject.chars().filter(Character::isLetter).count() < 5
                || !subject.equals(subject.toUpperCase(Locale.ROOT))) {
                return RuleResult.miss();
            }
            return RuleResult.hit("the subject \"" + subject + "\" is written in capitals");
        }
    }
}
