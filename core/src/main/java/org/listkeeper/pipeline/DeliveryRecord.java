package org.listkeeper.pipeline;

import java.util.List;
import java.util.Objects;

/** What one delivery attempt of a list batch came to, as the list store recorded it before the queue forgot the batch. */
public final class DeliveryRecord {
    private final int delivered;
    private final int failed;
    private final List<String> deferred;
    private final boolean nextQueued;

    private DeliveryRecord(int delivered, int failed, List<String> deferred, boolean nextQueued) {
        this.delivered = delivered;
        this.failed = failed;
        this.deferred = List.copyOf(deferred);
        this.nextQueued = nextQueued;
    }

    public static DeliveryRecord of(int delivered, int failed, List<String> deferred, boolean nextQueued) {
        if (delivered < 0 || failed < 0) {
            throw new IllegalArgumentException("Negative counts in a delivery record");
        }
        return new DeliveryRecord(delivered, failed, deferred, nextQueued);
    }

    public int delivered() {
        return delivered;
    }

    public int failed() {
        return failed;
    }

    /** The recipients the next attempt carries. */
    public List<String> deferred() {
        return deferred;
    }

    /** Whether the next attempt was put on the queue. */
    public boolean nextQueued() {
        return nextQueued;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DeliveryRecord)) {
            return false;
        }
        DeliveryRecord other = (DeliveryRecord) o;
        return delivered == other.delivered && failed == other.failed && deferred.equals(other.deferred) && nextQueued == other.nextQueued;
    }

    @Override
    public int hashCode() {
        return Objects.hash(delivered, failed, deferred, nextQueued);
    }

    @Override
    public String toString() {
        return "DeliveryRecord{delivered=" + delivered + ", failed=" + failed + ", deferred=" + deferred.size() + ", nextQueued="
            + nextQueued + "}";
    }
}
