package org.listkeeper.bounces;

/** Where bounce processing counts what it read; the host publishes these as metrics. */
public interface BounceMetrics {
    /** Counts nothing. */
    BounceMetrics NONE = new BounceMetrics() {
        @Override
        public void received(BounceClass bounceClass, boolean scored) {
        }

        @Override
        public void unrecognised(boolean unreadable) {
        }

        @Override
        public void blockOpened() {
        }
    };

    /** One bounce of a member, of this class; {@code scored} when it counted against the member. */
    void received(BounceClass bounceClass, boolean scored);

    /** A bounce that named no member; {@code unreadable} when its MIME or report could not be read at all. */
    void unrecognised(boolean unreadable);

    /** A block event was opened. */
    void blockOpened();
}
