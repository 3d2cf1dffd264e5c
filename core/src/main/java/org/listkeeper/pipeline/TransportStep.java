package org.listkeeper.pipeline;

/** How far one delivery attempt of a list batch on the transport queue got, as the list store last recorded it. */
public enum TransportStep {
    /** Never put on the transport queue. */
    NONE,
    /** On the transport queue; not finished yet. */
    QUEUED,
    /** Delivered, bounced, or queued again as its next attempt: nothing more to do for this attempt. */
    DONE
}
