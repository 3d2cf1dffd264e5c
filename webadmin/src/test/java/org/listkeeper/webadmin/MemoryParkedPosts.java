package org.listkeeper.webadmin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.apache.james.core.MailAddress;
import org.listkeeper.parking.ParkedPost;
import org.listkeeper.parking.ParkedPosts;

/** Parked posts in a map, remembering which were replayed: the parking place of the routes' tests. */
final class MemoryParkedPosts implements ParkedPosts {
    private final Map<String, ParkedPost> parked = new ConcurrentHashMap<>();
    final List<String> replayed = new ArrayList<>();

    void park(ParkedPost post) {
        parked.put(post.id(), post);
    }

    @Override
    public List<ParkedPost> list(MailAddress list) {
        return parked.values().stream().filter(post -> post.list().equals(list.asString()))
            .sorted((a, b) -> a.id().compareTo(b.id())).collect(Collectors.toList());
    }

    @Override
    public Optional<ParkedPost> get(MailAddress list, String id) {
        return Optional.ofNullable(parked.get(id)).filter(post -> post.list().equals(list.asString()));
    }

    @Override
    public synchronized boolean replay(MailAddress list, String id) {
        if (get(list, id).isEmpty()) {
            return false;
        }
        parked.remove(id);
        replayed.add(id);
        return true;
    }

    @Override
    public boolean discard(MailAddress list, String id) {
        return get(list, id).isPresent() && parked.remove(id) != null;
    }
}
