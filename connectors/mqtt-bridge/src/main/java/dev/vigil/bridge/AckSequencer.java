package dev.vigil.bridge;

import java.util.ArrayDeque;

/**
 * Acknowledges MQTT messages in the order they arrived (MQTT 3.1.1 §4.6 wants QoS 1 PUBACKs in
 * order), each only after its own forwarding completed. A message forwarded early waits for the
 * ones before it. Every finished message releases its in-flight permit through {@link Acker}.
 *
 * <p>Messages of an earlier connection ({@link #newConnection}) are not acknowledged: the broker
 * redelivers them on the new connection, and their message ids belong to the old one.
 */
final class AckSequencer {

    /** Sends the acknowledgement and releases the permit of one finished message. */
    interface Acker {
        void ack(int messageId, int qos);

        void release();
    }

    /** One received message, in arrival order. */
    static final class Slot {
        final int messageId;
        final int qos;
        final long connection;
        final long arrivedNanos;
        private boolean done;

        Slot(int messageId, int qos, long connection, long arrivedNanos) {
            this.messageId = messageId;
            this.qos = qos;
            this.connection = connection;
            this.arrivedNanos = arrivedNanos;
        }
    }

    private final ArrayDeque<Slot> pending = new ArrayDeque<>();
    private final Acker acker;
    private long connection;

    AckSequencer(Acker acker) {
        this.acker = acker;
    }

    synchronized Slot register(int messageId, int qos, long arrivedNanos) {
        Slot slot = new Slot(messageId, qos, connection, arrivedNanos);
        pending.addLast(slot);
        return slot;
    }

    /** Marks {@code slot} forwarded and acknowledges every finished message at the head. */
    synchronized void complete(Slot slot) {
        slot.done = true;
        while (!pending.isEmpty() && pending.peekFirst().done) {
            Slot head = pending.pollFirst();
            if (head.qos > 0 && head.connection == connection) {
                acker.ack(head.messageId, head.qos);
            }
            acker.release();
        }
    }

    /** The MQTT connection was lost: messages received so far will be redelivered. */
    synchronized void newConnection() {
        connection++;
    }

    synchronized int pendingCount() {
        return pending.size();
    }
}
