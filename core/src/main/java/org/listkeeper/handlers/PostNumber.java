package org.listkeeper.handlers;

import org.listkeeper.pipeline.PostLedger;
import java.util.Objects;
import org.listkeeper.pipeline.Handler;
import org.listkeeper.pipeline.HandlerResult;
import org.listkeeper.pipeline.PostContext;
import org.listkeeper.pipeline.PostProgress;

/** Gives the post the list's next post number, once: a replay gets the number it got before. */
final class PostNumber implements Handler {
    static final String NAME = "post-number";

    private final PostLedger posts;

    PostNumber(PostLedger posts) {
        this.posts = Objects.requireNonNull(posts);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Assigns the list's next post number to the post, once";
    }

    @Override
    public HandlerResult handle(PostContext post) {
        long number = posts.assignPostNumber(post.list().id(), post.postKey(), post.now());
        PostProgress.setPostNumber(post.mail(), number);
        return HandlerResult.proceed();
    }
}
