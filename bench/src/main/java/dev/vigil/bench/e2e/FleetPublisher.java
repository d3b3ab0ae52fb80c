package dev.vigil.bench.e2e;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Publishes the fleet at a fixed rate (Paho, QoS 1, a window of {@value #WINDOW} unacknowledged
 * messages): message {@code i} is due at {@code start + i / rate}; the publisher sleeps when ahead
 * and catches up without sleeping when behind (its lag is reported). Spikes per {@link SpikePlan}
 * are registered in the {@link SpikeLedger} just before they are published.
 */
final class FleetPublisher implements AutoCloseable {

    private static final int WINDOW = 1000;
    private static final long EARLY_NANOS = 50_000;

    private final MqttAsyncClient client;
    private final Semaphore window = new Semaphore(WINDOW);
    private final AtomicLong acked = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

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
        client = new MqttAsyncClient(url, clientId, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        options.setMaxInflight(WINDOW);
        client.connect(options).waitForCompletion(10_000);
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
            publish(FleetPayload.topic(device), payload);
            if (i >= warmupMessages) {
                result.measuredMessages++;
                result.lastPublishNanos = System.nanoTime();
            }
            result.messages++;
        }
        if (!window.tryAcquire(WINDOW, 60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the broker did not acknowledge every message");
        }
        window.release(WINDOW);
        if (failure.get() != null) {
            throw new IllegalStateException("a publish failed", failure.get());
        }
        result.acked = acked.get();
        return result;
    }

    private void publish(String topic, byte[] payload) throws Exception {
        window.acquire();
        MqttMessage message = new MqttMessage(payload);
        message.setQos(1);
        client.publish(
                topic,
                message,
                null,
                new IMqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        acked.incrementAndGet();
                        window.release();
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable error) {
                        failure.compareAndSet(null, error);
                        window.release();
                    }
                });
    }

    @Override
    public void close() throws MqttException {
        client.disconnect().waitForCompletion(10_000);
        client.close();
    }
}
