package org.listkeeper.moderation.rules;

import java.io.IOException;
import javax.mail.internet.MimeMessage;
import javax.mail.MessagingException;
import org.listkeeper.moderation.Rule;
import org.listkeeper.moderation.RuleInput;
import org.listkeeper.moderation.RuleResult;

public final class MaxSize implements Rule {
    @Override
    public String name() {
        return "max-size";
    }

    @Override
    public String description() {
        return "The post is larger than the list's maxMessageSize (KB)";
    }

    @Override
    public RuleResult check(RuleInput post) throws MessagingException {
        int limitKb = post.list().maxMessageSizeKb();
        if (limitKb <= 0) {
            return RuleResult.miss();
        }
        long size = post.mail().getMessageSize();
        if (size <= 0) {
            size = measured(post.mail().getMessage()); // a host that does not know the size (James always does)
        }
        return size > limitKb * 1024L
            ? RuleResult.hit("the post has " + (size + 1023) / 1024 + " KB, the limit is " + limitKb + " KB")
            : RuleResult.miss();
    }

    private static long measured(MimeMessage message) throws MessagingException {
        long[] count = {0};
        java.io.OutputStream counter = new java.io.OutputStream() {
            @Override
            public void write(int b) {
                count[0]++;
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                count[0] += length;
            }
        };
        try {
            message.writeTo(counter);
        } catch (IOException e) {
            throw new MessagingException("Cannot measure the post", e);
        }
        return count[0];
    }
}
