package org.listkeeper.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.mailet.Mail;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.listkeeper.pipeline.HandlerResult;
import org.listkeeper.pipeline.PostProgress;

class PostNumberAndDuplicateCheckTest {
    private final HandlerFixture fixture = new HandlerFixture();

    PostNumberAndDuplicateCheckTest() throws Exception {
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    @Test
    void postNumberShouldKeepNumberWhenPostIsReplayed() throws Exception {
        Mail first = HandlerFixture.mail("m1", "Subject: a\n\nx\n");
        Mail second = HandlerFixture.mail("m2", "Subject: b\n\nx\n");

        fixture.handler("post-number").handle(fixture.context(first));
        fixture.handler("post-number").handle(fixture.context(second));
        fixture.handler("post-number").handle(fixture.context(first));

        assertThat(first.getAttribute(PostProgress.POST_NUMBER)).map(a -> (Object) a.getValue().value()).contains(1L);
        assertThat(second.getAttribute(PostProgress.POST_NUMBER)).map(a -> (Object) a.getValue().value()).contains(2L);
    }

    @Test
    void duplicateCheckShouldDiscardWhenAnotherPostCarriedSameMessageId() throws Exception {
        Mail first = HandlerFixture.mail("m1", "Message-ID: <same@example.com>\nSubject: a\n\nx\n");
        Mail resent = HandlerFixture.mail("m2", "Message-ID:  <same@example.com> \nSubject: a\n\nx\n");

        HandlerResult firstResult = fixture.handler("duplicate-check").handle(fixture.context(first));
        HandlerResult replayResult = fixture.handler("duplicate-check").handle(fixture.context(first));
        HandlerResult resentResult = fixture.handler("duplicate-check").handle(fixture.context(resent));

        assertThat(firstResult).isEqualTo(HandlerResult.proceed());
        assertThat(replayResult).isEqualTo(HandlerResult.proceed());
        assertThat(resentResult.kind()).isEqualTo(HandlerResult.Kind.DISCARD);
        assertThat(resentResult.reason()).hasValueSatisfying(reason -> assertThat(reason).contains("duplicate of post m1"));
    }

    @Test
    void duplicateCheckShouldGiveStableMessageIdWhenPostHasNone() throws Exception {
        Mail first = HandlerFixture.mail("m1", "Subject: a\n\nx\n");
        Mail redelivered = HandlerFixture.mail("m1", "Subject: a\n\nx\n");

        fixture.handler("duplicate-check").handle(fixture.context(first));
        HandlerResult result = fixture.handler("duplicate-check").handle(fixture.context(redelivered));

        assertThat(result).isEqualTo(HandlerResult.proceed());
        assertThat(first.getMessage().getMessageID()).matches("<listkeeper\\.[0-9a-f]{32}@lists\\.example\\.org>")
            .isEqualTo(redelivered.getMessage().getMessageID());
    }
}
