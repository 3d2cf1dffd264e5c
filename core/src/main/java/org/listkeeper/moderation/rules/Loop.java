package org.listkeeper.moderation.rules;

import java.util.List;
import java.util.Locale;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;
import org.listkeeper.moderation.Rule;
import org.listkeeper.moderation.RuleInput;
import org.listkeeper.moderation.RuleResult;

public final class Loop implements Rule {
    @Override
    public String name() {
        return "loop";
    }

    @Override
    public String description() {
        return "The post already went through this list (its X-BeenThere marker or List-Id)";
    }

    @Override
    public RuleResult check(RuleInput post) throws MessagingException {
        MimeMessage message = post.mail().getMessage();
        String list = post.list().address().asString();
        String[] beenThere = message.getHeader("X-BeenThere");
        if (beenThere != null) {
            for (String value : beenThere) {
                if (value.strip().equalsIgnoreCase(list)) {
                    return RuleResult.hit("X-BeenThere: " + list + " (a loop)");
                }
            }
        }
        String[] listIds = message.getHeader("List-Id");
        if (listIds != null) {
            for (String value : listIds) {
                if (value.toLowerCase(Locale.ROOT).contains("<" + post.list().listId().toLowerCase(Locale.ROOT) + ">")) {
                    return RuleResult.hit("List-Id of this list already present (a loop)");
                }
            }
        }
        return RuleResult.miss();
    }
}
