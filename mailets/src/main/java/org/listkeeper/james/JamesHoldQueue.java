package org.listkeeper.james;

import java.util.Optional;

import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.mailrepository.api.MailKey;
import org.apache.james.mailrepository.api.MailRepository;
import org.apache.james.mailrepository.api.MailRepositoryStore;
import org.apache.james.mailrepository.api.MailRepositoryStore.MailRepositoryStoreException;
import org.apache.james.mailrepository.api.MailRepositoryUrl;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.server.core.MailImpl;
import org.apache.mailet.Mail;
import org.listkeeper.moderation.HoldQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Held posts in the James mail repository named by {@code held.repository} in listkeeper.properties. A released
 * post goes back to the spool in the list processor, and leaves the repository only once it is queued there.
 */
public final class JamesHoldQueue implements HoldQueue {
    private static final Logger LOGGER = LoggerFactory.getLogger(JamesHoldQueue.class);

    private final MailRepositoryStore repositories;
    private final MailQueueFactory<?> queues;
    private final MailRepositoryUrl url;

    @Inject
    public JamesHoldQueue(MailRepositoryStore repositories, MailQueueFactory<?> queues, ListkeeperConfiguration configuration) {
        this.repositories = repositories;
        this.queues = queues;
        this.url = MailRepositoryUrl.from(configuration.heldRepository());
    }

    @Override
    public void keep(Mail mail) throws MessagingException {
        repository().store(mail);
    }

    /** A copy held in memory: the repository's own mail is disposed of here, so callers need not. */
    @Override
    public Optional<Mail> get(String key) throws MessagingException {
        Mail mail = repository().retrieve(new MailKey(key));
        if (mail == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(MailImpl.builder().name(mail.getName()).sender(mail.getMaybeSender())
                .addRecipients(mail.getRecipients()).mimeMessage(new MimeMessage(mail.getMessage())).build());
        } finally {
            LifecycleUtil.dispose(mail);
        }
    }

    @Override
    public boolean release(String key) throws MessagingException {
        MailRepository repository = repository();
        Mail mail = repository.retrieve(new MailKey(key));
        if (mail == null) {
            return false;
        }
        try {
            mail.setState(JamesParkedPosts.LIST_PROCESSOR);
            MailQueue spool = queues.createQueue(MailQueueFactory.SPOOL);
            spool.enQueue(mail);
            // only once the post is durably queued again does it leave the hold queue
            repository.remove(new MailKey(key));
            LOGGER.debug("Held post {} released into {}", key, JamesParkedPosts.LIST_PROCESSOR);
            return true;
        } finally {
            LifecycleUtil.dispose(mail);
        }
    }

    @Override
    public boolean drop(String key) throws MessagingException {
        MailRepository repository = repository();
        Mail mail = repository.retrieve(new MailKey(key));
        if (mail == null) {
            return false;
        }
        LifecycleUtil.dispose(mail);
        repository.remove(new MailKey(key));
        return true;
    }

    private MailRepository repository() throws MessagingException {
        try {
            return repositories.select(url);
        } catch (MailRepositoryStoreException e) {
            throw new MessagingException("Cannot open the hold queue " + url.asString(), e);
        }
    }
}
