package org.listkeeper.delivery;

/** What list delivery counts, per destination (the relay, or a recipient domain). */
public interface DeliveryMetrics {
    DeliveryMetrics NONE = new DeliveryMetrics() {
    };

    default void connectionOpened(String destination) {
    }

    default void connectionReused(String destination) {
    }

    default void transaction(String destination) {
    }

    default void recipients(String destination, RecipientOutcome.Kind kind, int count) {
    }
}
