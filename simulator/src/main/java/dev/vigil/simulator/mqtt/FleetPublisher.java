package dev.vigil.simulator.mqtt;

import dev.vigil.common.model.Envelope;
import java.util.Iterator;
import org.eclipse.paho.client.mqttv3.MqttException;

/**
 * Sends a simulated run to MQTT: every envelope, in arrival order, each at its {@link Pacer} slot.
 * Envelopes are paced by their {@code receivedAt} (the simulated arrival time).
 */
public final class FleetPublisher {

    /** Called after each published envelope with the count so far (for progress output). */
    @FunctionalInterface
    public interface Progress {
        void published(long count);
    }

    private FleetPublisher() {}

    /** Publishes every remaining envelope; returns how many were published. */
    public static long publish(
            Iterator<Envelope> envelopes,
            EnvelopePublisher publisher,
            Pacer pacer,
            Progress progress)
            throws MqttException, InterruptedException {
        long count = 0;
        while (envelopes.hasNext()) {
            Envelope envelope = envelopes.next();
            pacer.awaitSlot(envelope.getReceivedAt());
            publisher.publish(envelope);
            progress.published(++count);
        }
        return count;
    }
}
