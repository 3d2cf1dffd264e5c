package org.listkeeper.james;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.mailrepository.api.MailKey;
import org.apache.james.mailrepository.api.MailRepository;
import org.apache.james.mailrepository.api.MailRepositoryStore;
import org.apache.james.mailrepository.api.MailRepositoryStore.MailRepositoryStoreException;
import org.apache.james.mailrepository.api.MailRepositoryUrl;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.mailet.Mail;
import org.listkeeper.TransientFailureException;
import org.listkeeper.internal.MessageIds;
import org.listkeeper.parking.ParkedPost;
import org.listkeeper.parking.ParkedPosts;
import org.listkeeper.pipeline.PostProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Parked posts in the James mail repository named by {@code parking.repository} in listkeeper.properties. */
public final class JamesParkedPosts implements ParkedPosts {
    /** The processor a replayed post goes back to when the parked copy does not say. */
    public static final String LIST_PROCESSOR = "listkeeper";
    private static final Logger LOGGER = LoggerFactory.getLogger(JamesParkedPosts.class);

    private final MailRepositoryStore repositories;
    private final MailQueueFactory<?> queues;
    private final MailRepositoryUrl url;
    private final Object replayLock = new Object();

    @Inject
    public JamesParkedPosts(MailRepositoryStore repositories, MailQueueFactory<?> queues, ListkeeperConfiguration configuration) {
        this.repositories = repositories;
        this.queues = queues;
        this.url = MailRepositoryUrl.from(configuration.parkingRepository());
    }

    @Override
    public List<ParkedPost> list(MailAddress list) {
        List<ParkedPost> result = new ArrayList<>();
        try {
            MailRepository repository = repository();
            Iterator<MailKey> keys = repository.list();
            while (keys.hasNext()) {
                Mail mail = repository.retrieve(keys.next());
                if (mail == null) {
                    continue;
                }
                try {
                    if (belongsTo(mail, list)) {
                        result.add(describe(mail, list));
                    }
                } finally {
                    LifecycleUtil.dispose(mail);
                }
            }
        } catch (MessagingException e) {
            throw new TransientFailureException("Cannot read parked posts in " + url.asString() + ": " + e.getMessage(), e);
        }
        result.sort(Comparator.comparing((ParkedPost post) -> post.parkedAt().orElse("")).thenComparing(ParkedPost::id));
        return result;
    }

    @Override
    public Optional<ParkedPost> get(MailAddress list, String id) {
        return withMail(list, id, mail -> describe(mail, list));
    }

    @Override
    public boolean replay(MailAddress list, String id) {
        synchronized (replayLock) {
            return withMail(list, id, mail -> {
                if (mail.getState() == null || Mail.GHOST.equals(mail.getState())) {
                    mail.setState(LIST_PROCESSOR);
                }
                MailQueue spool = queues.createQueue(MailQueueFactory.SPOOL);
                spool.enQueue(mail);
                // only once the post is durably queued again does it leave the parking place
                repository().remove(new MailKey(id));
                LOGGER.info("Parked post {} of {} replayed into {}", id, list.asString(), mail.getState());
                return true;
            }).orElse(false);
        }
    }

    @Override
    public boolean discard(MailAddress list, String id) {
        return withMail(list, id, mail -> {
            repository().remove(new MailKey(id));
            LOGGER.info("Parked post {} of {} discarded by an operator (Message-ID {}, failed at {})", id, list.asString(),
                MessageIds.read(mail.getMessage()), PostProgress.string(mail, PostProgress.FAILED_HANDLER).orElse("?"));
            return true;
        }).orElse(false);
    }

    private interface MailWork<T> {
        T apply(Mail mail) throws MessagingException;
    }

    private <T> Optional<T> withMail(MailAddress list, String id, MailWork<T> work) {
        try {
            Mail mail = repository().retrieve(new MailKey(id));
            if (mail == null) {
                return Optional.empty();
            }
            try {
                return belongsTo(mail, list) ? Optional.of(work.apply(mail)) : Optional.empty();
            } finally {
                LifecycleUtil.dispose(mail);
            }
        } catch (MessagingException e) {
            throw new TransientFailureException("Cannot reach parked post " + id + " in " + url.asString() + ": " + e.getMessage(), e);
        }
    }

    private MailRepository repository() throws MessagingException {
        try {
            return repositories.select(url);
        } catch (MailRepositoryStoreException e) {
            throw new MessagingException("Cannot open " + url.asString(), e);
        }
    }

    private static boolean belongsTo(Mail mail, MailAddress list) {
        return PostProgress.string(mail, PostProgress.LIST).map(value -> value.equalsIgnoreCase(list.asString())).orElse(false);
    }

    private static ParkedPost describe(Mail mail, MailAddress list) throws MessagingException {
        return ParkedPost.of(mail.getName(), list.asString(),
            PostProgress.string(mail, PostProgress.FAILED_HANDLER).orElse(null),
            PostProgress.string(mail, PostProgress.ERROR).orElse(null),
            PostProgress.string(mail, PostProgress.PARKED_AT).orElse(null),
            MessageIds.read(mail.getMessage()),
            mail.getMessage().getSubject(),
            mail.getMaybeSender().asOptional().map(MailAddress::asString).orElse(null));
    }
}
