package org.listkeeper.moderation.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.listkeeper.moderation.rules.RuleFixture.mail;

import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.listkeeper.list.ListChanges.Setting;

class MaxSizeTest {
    @RegisterExtension
    final RuleFixture fixture = new RuleFixture();

    /** A post whose size James measured as {@code bytes}, as it does for every mail it receives. */
    private static Mail postOfSize(long bytes) throws Exception {
        Mail post = mail("ann@member.example", "From: ann@member.example\nTo: team@lists.example.org\nSubject: hi\n\nx\n");
        return FakeMail.builder().name(post.getName()).mimeMessage(post.getMessage()).sender("ann@member.example")
            .recipient(RuleFixture.LIST).size(bytes).build();
    }

    @Test
    void checkShouldHitWhenThePostIsLargerThanTheDefaultFortyKilobytes() throws Exception {
        assertThat(fixture.check("max-size", postOfSize(40 * 1024 + 1))).hasToString("hit: the post has 41 KB, the limit is 40 KB");
    }

    @Test
    void checkShouldMissWhenThePostIsExactlyTheLimit() throws Exception {
        assertThat(fixture.check("max-size", postOfSize(40 * 1024))).hasToString("miss");
    }

    @Test
    void checkShouldFollowTheListsLimit() throws Exception {
        fixture.set(Setting.MAX_MESSAGE_SIZE, "100");

        assertThat(fixture.check("max-size", postOfSize(60 * 1024))).hasToString("miss");
        assertThat(fixture.check("max-size", postOfSize(150 * 1024))).hasToString("hit: the post has 150 KB, the limit is 100 KB");
    }

    @Test
    void checkShouldMissWhateverTheSizeWhenTheLimitIsZero() throws Exception {
        fixture.set(Setting.MAX_MESSAGE_SIZE, "0");

        assertThat(fixture.check("max-size", postOfSize(50L * 1024 * 1024))).hasToString("miss");
    }

    @Test
    void checkShouldMeasureThePostWhenTheHostDoesNotKnowItsSize() throws Exception {
        fixture.set(Setting.MAX_MESSAGE_SIZE, "1");
        Mail small = mail("ann@member.example", "From: ann@member.example\nTo: team@lists.example.org\nSubject: hi\n\nx\n");
        Mail large = mail("ann@member.example", "From: ann@member.example\nTo: team@lists.example.org\nSubject: hi\n\n"
            + "x".repeat(3000) + "\n");

        assertThat(small.getMessageSize()).isZero();
        assertThat(fixture.check("max-size", small)).hasToString("miss");
        assertThat(fixture.check("max-size", large)).hasToString("hit: the post has 3 KB, the limit is 1 KB");
    }
}
