package org.listkeeper.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * How many batches may be delivering to one destination at once (default one): a batch holds the slots of every
 * destination it delivers to from its first transaction until its outcome is recorded. With one slot per destination,
 * a process killed at any moment leaves at most one batch per destination delivered and not yet recorded, which is
 * all a restart can send twice. Slots are taken in name order, so two batches never wait for each other.
 */
public final class DestinationSlots {
    private final int perDestination;
    private final Map<String, Semaphore> slots = new ConcurrentHashMap<>();

    public DestinationSlots(int perDestination) {
        if (perDestination < 1) {
            throw new IllegalArgumentException("Invalid number of batches per destination " + perDestination);
        }
        this.perDestination = perDestination;
    }

    /** Slots held until closed. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /** Waits for a slot of each of {@code destinations}. */
    public Held take(SortedSet<String> destinations) throws InterruptedException {
        List<Semaphore> taken = new ArrayList<>(destinations.size());
        try {
            for (String destination : destinations) {
                Semaphore slot = slots.computeIfAbsent(destination, key -> new Semaphore(perDestination, true));
                slot.acquire();
                taken.add(slot);
            }
        } catch (InterruptedException e) {
            taken.forEach(Semaphore::release);
            throw e;
        }
        return () -> taken.forEach(Semaphore::release);
    }

    public int perDestination() {
        return perDestination;
    }
}
