package dev.vigil.bridge.testutils;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Publishes at QoS 1 with a window of unacknowledged messages; {@link #close()} returns after the
 * broker acknowledged every message (so it holds them all).
 */
public final class TestPublisher implements AutoCloseable {

    private static final int WINDOW = 500;

    private final MqttAsyncClient client;
    private final Semaphore window = new Semaphore(WINDOW);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    public TestPublisher(String url, String clientId) throws MqttException {
        this(url, clientId, new MqttConnectOptions());
    }

    /**
     * With credentials / TLS set in {@code options} (clean session and the window are set here).
     */
    public TestPublisher(String url, String clientId, MqttConnectOptions options)
            throws MqttException {
        client = new MqttAsyncClient(url, clientId, new MemoryPersistence());
        options.setCleanSession(true);
        options.setMaxInflight(WINDOW);
        client.connect(options).waitForCompletion(10_000);
    }

    public void publish(String topic, byte[] payload) throws Exception {
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
    public void close() throws Exception {
        if (!window.tryAcquire(WINDOW, 60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the broker did not acknowledge every message");
        }
        if (failure.get() != null) {
            throw new IllegalStateException("a publish failed", failure.get());
        }
        client.disconnect().waitForCompletion(10_000);
        client.close();
    }
}
