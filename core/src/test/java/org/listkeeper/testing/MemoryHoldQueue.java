package org.listkeeper.testing;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.mail.MessagingException;

import org.apache.mailet.Mail;
import org.listkeeper.moderation.HoldQueue;

/**
 * A hold queue in memory, where a host keeps held posts in a mail repository: it keeps a copy of each mail, as a
 * repository would, and remembers which keys were released back to the list pipeline.
 */
public final class MemoryHoldQueue implements HoldQueue {
    private final Map<String, Mail> kept = new ConcurrentHashMap<>();
    private final List<String> released = new CopyOnWriteArrayList<>();

    @Override
    public void keep(Mail mail) throws MessagingException {
        kept.put(mail.getName(), mail.duplicate());
    }

    @Override
    public Optional<Mail> get(String key) {
        return Optional.ofNullable(kept.get(key));
    }

    @Override
    public boolean release(String key) {
        if (kept.remove(key) == null) {
            return false;
        }
        released.add(key);
        return true;
    }

    @Override
    public boolean drop(String key) {
        return kept.remove(key) != null;
    }

    /** The keys of the mails kept now. */
    public Set<String> keys() {
        return Set.copyOf(kept.keySet());
    }

    /** The keys released so far, in order. */
    public List<String> released() {
        return List.copyOf(released);
    }
}
