package org.listkeeper.pipeline;

import javax.mail.MessagingException;

/**
 * One step of a list's pipeline. A handler is stateless and shared by every spool thread; its
 * {@link #name()} is configuration API and never changes once released.
 *
 * <p>A handler that writes anything outside the mail (a sequence number, an archive entry, a fan-out)
 * must be idempotent under the post's {@link PostContext#postKey()}: a crash makes the engine run it again
 * from the last durable point. Throw {@link org.listkeeper.TransientFailureException} for failures worth
 * retrying later; anything else parks the post.</p>
 */
public interface Handler {
    /** Stable kebab-case name, as used in the {@code pipeline} parameter. */
    String name();

    /** One line for operators. */
    String description();

    HandlerResult handle(PostContext post) throws MessagingException;
}
