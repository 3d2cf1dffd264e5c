package org.listkeeper.handlers;

import org.listkeeper.dmarc.DmarcPolicies;
import java.util.Objects;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.mail.MessagingException;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;

import org.listkeeper.dmarc.DmarcPolicy;
import org.listkeeper.dmarc.Mitigation;
import org.listkeeper.list.DmarcMitigation;
import org.listkeeper.list.MailingList;
import org.listkeeper.notices.NoticeKind;
import org.listkeeper.notices.Templates;
import org.listkeeper.pipeline.Handler;
import org.listkeeper.pipeline.HandlerResult;
import org.listkeeper.pipeline.PostContext;
import org.listkeeper.pipeline.PostProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the list's DMARC mitigation ({@code munge_from} or {@code wrap_message}) to a post whose author's domain
 * publishes {@code p=reject} or {@code p=quarantine} (its own {@code _dmarc} record or its organisational domain's),
 * or to every post when the list says so. Runs before {@code list-headers}, so a wrapper gets the list headers,
 * subject prefix and footer, and the wrapped original stays as its author sent it.
 */
final class DmarcMitigationHandler implements Handler {
    static final String NAME = "dmarc";
    private static final Logger LOGGER = LoggerFactory.getLogger(DmarcMitigationHandler.class);

    private final DmarcPolicies policies;
    private final Templates templates;

    DmarcMitigationHandler(DmarcPolicies policies, Templates templates) {
        this.policies = Objects.requireNonNull(policies);
        this.templates = Objects.requireNonNull(templates);
    }
    private static final int MAX_AUTHOR_DOMAINS = 5;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Rewrites From (munge_from) or wraps the post (wrap_message) when the author's domain publishes DMARC p=reject or quarantine";
    }

    @Override
    public HandlerResult handle(PostContext post) throws MessagingException {
        MailingList list = post.list();
        DmarcMitigation mitigation = list.dmarcMitigation();
        if (mitigation == DmarcMitigation.NONE) {
            return HandlerResult.proceed();
        }
        MimeMessage message = post.mail().getMessage();
        Optional<InternetAddress> author = Mitigation.author(message);
        if (author.isEmpty()) {
            LOGGER.info("Post {} to {} has no readable From: no DMARC mitigation", post.postKey(), list.address().asString());
            return HandlerResult.proceed();
        }
        String reason;
        if (list.dmarcMitigateUnconditionally()) {
            reason = "the list mitigates every post";
        } else {
            // every author's domain counts (several From addresses), a hostile header's hundreds do not
            Set<String> domains = new LinkedHashSet<>();
            domains.add(Mitigation.domainOf(author.get()));
            domains.addAll(Mitigation.authorDomains(message, MAX_AUTHOR_DOMAINS));
            Optional<String> prohibiting = Optional.empty();
            for (String domain : domains) {
                DmarcPolicy policy = policies.policyOf(domain);
                if (policy.prohibitsListFrom()) {
                    prohibiting = Optional.of(domain + " publishes p=" + policy.value());
                    break;
                }
            }
            if (prohibiting.isEmpty()) {
                return HandlerResult.proceed();
            }
            reason = prohibiting.get();
        }
        if (PostProgress.string(post.mail(), PostProgress.AUTHOR).isEmpty()) {
            // From is about to name the list: fan-out still needs the author for their receive-own-posts option
            PostProgress.set(post.mail(), PostProgress.AUTHOR, author.get().getAddress());
        }
        if (mitigation == DmarcMitigation.MUNGE_FROM) {
            // header edits only, as list-headers and subject-prefix make: the body stays as it is
            Mitigation.mungeFrom(message, list, author.get(), list.keepAuthorDkimSignature());
        } else {
            String explanation = templates.render(list, NoticeKind.DMARC_WRAPPED,
                Map.of("author", author.get().toUnicodeString())).body();
            try {
                post.mail().setMessage(Mitigation.wrap(message, list, author.get(), explanation));
            } catch (IOException e) {
                throw new MessagingException("Cannot read the post to wrap it", e);
            }
        }
        LOGGER.info("DMARC mitigation {} applied to post {} to {}: {}", mitigation.value(), post.postKey(),
            list.address().asString(), reason);
        return HandlerResult.proceed();
    }
}
