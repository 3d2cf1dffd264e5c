package org.listkeeper.moderation;

import java.util.Optional;

import javax.mail.MessagingException;

import org.apache.mailet.Mail;

/**
 * Where held posts wait for a moderator, wherever the host keeps them (a James mail repository). A post is
 * kept with its progress attributes, so releasing it sends it back into the list pipeline where it resumes
 * after moderation; it leaves the hold queue only once it is durably queued again.
 */
public interface HoldQueue {
    /** Keeps {@code mail} under its name; a second keep of the same name replaces the first. */
    void keep(Mail mail) throws MessagingException;

    /** A copy of the kept mail, if any, to read (its sender and message). */
    Optional<Mail> get(String key) throws MessagingException;

    /** Queues the kept mail back into the list processor, then forgets it; false when nothing is kept under the key. */
    boolean release(String key) throws MessagingException;

    /** Forgets the kept mail; false when nothing was kept under the key. */
    boolean drop(String key) throws MessagingException;
}
