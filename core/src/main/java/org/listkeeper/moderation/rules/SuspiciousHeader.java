package org.listkeeper.moderation.rules;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;
import org.listkeeper.list.HeaderPatterns;
import org.listkeeper.moderation.Rule;
import org.listkeeper.moderation.RuleInput;
import org.listkeeper.moderation.RuleResult;

public final class SuspiciousHeader implements Rule {
    @Override
    public String name() {
        return "suspicious-header";
    }

    @Override
    public String description() {
        return "A header matches one of the list's suspiciousHeaders patterns (Header: regex)";
    }

    @Override
    public RuleResult check(RuleInput post) throws MessagingException {
        MimeMessage message = post.mail().getMessage();
        for (HeaderPatterns.Entry entry : post.list().suspiciousHeaders().entries()) {
            String[] values = message.getHeader(entry.header());
            if (values == null) {
                continue;
            }
            for (String value : values) {
                if (entry.pattern().matcher(value).find()) {
                    return RuleResult.hit("the header " + entry.header() + " matches " + entry.pattern().pattern());
                }
            }
        }
        return RuleResult.miss();
    }
}
