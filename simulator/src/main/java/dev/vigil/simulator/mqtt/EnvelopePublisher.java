package dev.vigil.simulator.mqtt;

import dev.vigil.common.model.Envelope;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Publishes envelopes (topic + payload; the receive time is the broker's business) to an MQTT
 * broker at QoS 1 with a bounded window of unacknowledged messages. {@link #close()} returns once
 * the broker acknowledged every message, so after it the broker holds them all.
 */
public final class EnvelopePublisher implements AutoCloseable {

    /** Unacknowledged messages at a time (Paho's in-flight limit). */
    public static final int DEFAULT_WINDOW = 500;

    private static final long CONNECT_TIMEOUT_MS = 10_000;
    private static final long DRAIN_TIMEOUT_S = 60;

    private final MqttAsyncClient client;
    private final int window;
    private final Semaphore unacknowledged;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicLong acknowledged = new AtomicLong();

    private EnvelopePublisher(MqttAsyncClient client, int window) {
        this.client = client;
        this.window = window;
        this.unacknowledged = new Semaphore(window);
    }

    /** Connects (clean session) to {@code url} ({@code tcp://host:port}) as {@code clientId}. */
    public static EnvelopePublisher connect(String url, String clientId, int window)
            throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient(url, clientId, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        options.setMaxInflight(window);
        options.setAutomaticReconnect(false);
        client.connect(options).waitForCompletion(CONNECT_TIMEOUT_MS);
        return new EnvelopePublisher(client, window);
    }

    /** Sends one envelope; blocks while the window is full. */
    public void publish(Envelope envelope) throws MqttException, InterruptedException {
        throwIfFailed();
        unacknowledged.acquire();
        MqttMessage message = new MqttMessage(envelope.getPayload());
        message.setQos(1);
        client.publish(envelope.getTopic(), message, null, new Acknowledgement());
    }

    /** Messages the broker has acknowledged so far. */
    public long acknowledged() {
        return acknowledged.get();
    }

    @Override
    public void close() throws MqttException, InterruptedException {
        try {
            if (!unacknowledged.tryAcquire(window, DRAIN_TIMEOUT_S, TimeUnit.SECONDS)) {
                throw new IllegalStateException(
                        "the broker did not acknowledge every message within "
                                + DRAIN_TIMEOUT_S
                                + " s");
            }
            throwIfFailed();
            client.disconnect().waitForCompletion(CONNECT_TIMEOUT_MS);
        } finally {
            client.close();
        }
    }

    private void throwIfFailed() {
        Throwable error = failure.get();
        if (error != null) {
            throw new IllegalStateException("publishing failed: " + error.getMessage(), error);
        }
    }

    private final class Acknowledgement implements IMqttActionListener {
        @Override
        public void onSuccess(IMqttToken token) {
            acknowledged.incrementAndGet();
            unacknowledged.release();
        }

        @Override
        public void onFailure(IMqttToken token, Throwable error) {
            failure.compareAndSet(null, error);
            unacknowledged.release();
        }
    }
}
