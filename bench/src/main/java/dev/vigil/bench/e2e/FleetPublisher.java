package dev.vigil.bench.e2e;

import dev.vigil.common.model.Envelope;
import dev.vigil.simulator.mqtt.EnvelopePublisher;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.paho.client.mqttv3.MqttException;

/**
 * Publishes the fleet at a fixed rate (the simulator's {@link EnvelopePublisher}: Paho, QoS 1, a
 * window of {@value #WINDOW} unacknowledged messages): message {@code i} is due at {@code start + i
 * / rate}; the publisher sleeps when ahead and catches up without sleeping when behind (its lag is
 * reported). Spikes per {@link SpikePlan} are registered in the {@link SpikeLedger} just before
 * they are published.
 */
final class FleetPublisher implements AutoCloseable {

    private static final int WINDOW = 1000;
    private static final long EARLY_NANOS = 50_000;

    private final EnvelopePublisher publisher;
    private boolean drained;

    /** What one run of the publisher did. */
    static final class Result {
        long messages;
        long measuredMessages;
        long measureStartNanos = -1;
        long measureStartMs = -1;
        long lastPublishNanos;
        long maxLagNanos;
        long measuredMaxLagNanos;
        long acked;

        /** Messages per second over the measured window (first to last measured publish). */
        double measuredRate() {
            return measuredMessages < 2
                    ? 0
                    : (measuredMessages - 1) / ((lastPublishNanos - measureStartNanos) / 1e9);
        }
    }

    FleetPublisher(String url, String clientId) throws MqttException {
        publisher = EnvelopePublisher.connect(url, clientId, WINDOW);
    }

    Result run(
            int devices,
            int fields,
            long rate,
            long warmupMessages,
            long totalMessages,
            SpikePlan plan,
            SpikeLedger ledger)
            throws Exception {
        Result result = new Result();
        long intervalNanos = 1_000_000_000L / rate;
        long start = System.nanoTime();
        for (long i = 0; i < totalMessages; i++) {
            long due = start + i * intervalNanos;
            long now = System.nanoTime();
            if (due - now > EARLY_NANOS) {
                LockSupport.parkNanos(due - now);
                now = System.nanoTime();
            } else {
                result.maxLagNanos = Math.max(result.maxLagNanos, now - due);
                if (i >= warmupMessages) {
                    result.measuredMaxLagNanos = Math.max(result.measuredMaxLagNanos, now - due);
                }
            }
            int device = SpikePlan.device(i, devices);
            int spikeField = plan.spikeField(i);
            long timestampMs = System.currentTimeMillis();
            byte[] payload =
                    FleetPayload.payload(timestampMs, device, fields, i / devices, spikeField);
            if (i == warmupMessages) {
                result.measureStartNanos = System.nanoTime();
                result.measureStartMs = timestampMs;
            }
            if (spikeField >= 0) {
                ledger.published(
                        new SpikeLedger.Spike(
                                FleetPayload.device(device),
                                FleetPayload.field(spikeField),
                                timestampMs,
                                System.nanoTime()));
            }
            publisher.publish(new Envelope(FleetPayload.topic(device), payload, timestampMs));
            if (i >= warmupMessages) {
                result.measuredMessages++;
                result.lastPublishNanos = System.nanoTime();
            }
            result.messages++;
        }
        drained = true;
        publisher.close(); // waits for every acknowledgement; throws when a publish failed
        result.acked = publisher.acknowledged();
        return result;
    }

    @Override
    public void close() throws MqttException, InterruptedException {
        if (!drained) {
            publisher.close();
        }
    }
}
