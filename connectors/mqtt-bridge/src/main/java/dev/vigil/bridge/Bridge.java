package dev.vigil.bridge;

import dev.vigil.common.model.Envelope;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MQTT → Kafka (or Kinesis, {@code forward-to: kinesis}), at least once. Each message received (QoS
 * 1, persistent session, manual acks) is wrapped in an {@link Envelope} and handed to a {@link
 * Forwarder}; the broker gets the PUBACK only after Kafka/Kinesis confirmed the record (or its dead
 * letter). At most {@code bridge.max-in-flight} messages are between arrival and acknowledgement:
 * past that, the MQTT callback thread waits, no more messages are read, and the broker queues them
 * for this session. So a slow or absent Kafka makes the bridge hold, never buffer without bound; it
 * resumes by itself.
 *
 * <p>Lifecycle: {@link #start()} checks Kafka, connects to MQTT and subscribes; {@link #close()}
 * stops taking messages, waits for those in flight, flushes and disconnects (the subscription stays
 * with the broker, which keeps queueing for the next start).
 */
public final class Bridge implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Bridge.class);

    private final BridgeConfig config;
    private final TopicAllowList allowList;
    private final Secrets secrets;
    private final Clock clock;
    private final BridgeMetrics metrics;
    private final Semaphore permits;
    private final AckSequencer acks;
    private final ScheduledExecutorService retries;
    private final Forwarder givenForwarder;
    private Forwarder forwarder;
    private MqttAsyncClient mqtt;
    private MetricsServer metricsServer;
    private InfluxMetricsPush metricsPush;
    private volatile boolean closing;
    private boolean closed;

    public Bridge(BridgeConfig config) {
        this(config, System.getenv(), Clock.systemUTC());
    }

    Bridge(BridgeConfig config, Map<String, String> environment, Clock clock) {
        this(config, environment, clock, null);
    }

    /** With a given forwarder instead of the configured one (tests of the MQTT side). */
    Bridge(
            BridgeConfig config,
            Map<String, String> environment,
            Clock clock,
            Forwarder givenForwarder) {
        this.givenForwarder = givenForwarder;
        this.config = config.validate();
        this.secrets = new Secrets(environment);
        this.allowList = new TopicAllowList(config.mqtt.allowedTopics);
        this.clock = clock;
        this.metrics = new BridgeMetrics(config.bridge.maxInFlight);
        this.permits = new Semaphore(config.bridge.maxInFlight);
        this.acks = new AckSequencer(new MqttAcker());
        this.retries =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "bridge-retries");
                            t.setDaemon(true);
                            return t;
                        });
        metrics.inFlightGauge(() -> config.bridge.maxInFlight - permits.availablePermits());
    }

    /** Starts the metrics endpoint, checks Kafka, connects to MQTT and subscribes. */
    public Bridge start() {
        LOG.info("Starting bridge: {}", config);
        if (config.metrics.port >= 0) {
            metricsServer = MetricsServer.start(config.metrics.host, config.metrics.port, metrics);
            LOG.info("Metrics on http://{}:{}/metrics", config.metrics.host, metricsServer.port());
        }
        if (config.metrics.influxdbUrl != null && !config.metrics.influxdbUrl.isBlank()) {
            metricsPush = InfluxMetricsPush.start(metrics, config.mqtt.clientId, config.metrics);
        }
        if (givenForwarder == null && !config.forwardsToKinesis()) {
            // before the producer exists: closing one that never reached Kafka takes seconds
            KafkaForwarder.checkTopics(config.kafka);
        }
        forwarder = createForwarder();
        try {
            forwarder.prepare();
        } catch (RuntimeException e) {
            forwarder.abort(); // nothing was forwarded: no need to wait for the destination
            forwarder = null;
            throw e;
        }
        connectMqtt();
        return this;
    }

    private Forwarder createForwarder() {
        if (givenForwarder != null) {
            return givenForwarder;
        }
        if (config.forwardsToKinesis()) {
            return new KinesisForwarder(
                    config.kinesis,
                    KinesisForwarder.createClient(config.kinesis),
                    retries,
                    metrics);
        }
        return new KafkaForwarder(
                config.kafka,
                KafkaForwarder.createProducer(config.kafka, config.mqtt.clientId),
                retries,
                metrics);
    }

    public BridgeMetrics metrics() {
        return metrics;
    }

    /** The port of the metrics endpoint, or -1 when it is off. */
    public int metricsPort() {
        return metricsServer == null ? -1 : metricsServer.port();
    }

    private void connectMqtt() {
        try {
            mqtt =
                    new MqttAsyncClient(
                            config.mqtt.url, config.mqtt.clientId, new MemoryPersistence());
        } catch (MqttException e) {
            throw new BridgeException("Invalid MQTT client settings: " + e.getMessage(), e);
        }
        mqtt.setManualAcks(true);
        mqtt.setCallback(new Callback());
        long timeoutMs = config.mqtt.connectTimeoutSeconds * 1000L + 1000;
        try {
            mqtt.connect(MqttOptions.build(config.mqtt, secrets)).waitForCompletion(timeoutMs);
            subscribe(timeoutMs);
        } catch (MqttException e) {
            closeQuietly();
            throw new BridgeException(MqttOptions.explain(config.mqtt, e), e);
        }
        metrics.mqttConnected(true); // connected and subscribed: nothing published from now is lost
    }

    /** Subscribes to every filter; returns when the broker confirmed the subscriptions. */
    private void subscribe(long timeoutMs) throws MqttException {
        List<String> filters = config.mqtt.subscriptions();
        int[] qos = new int[filters.size()];
        java.util.Arrays.fill(qos, config.mqtt.qos);
        mqtt.subscribe(filters.toArray(new String[0]), qos).waitForCompletion(timeoutMs);
        LOG.info("Subscribed to {} at QoS {}", filters, config.mqtt.qos);
    }

    /** After a reconnect (on Paho's callback thread, so without waiting). */
    private void resubscribe() {
        List<String> filters = config.mqtt.subscriptions();
        int[] qos = new int[filters.size()];
        java.util.Arrays.fill(qos, config.mqtt.qos);
        try {
            mqtt.subscribe(filters.toArray(new String[0]), qos);
        } catch (MqttException e) {
            LOG.error("Subscribing again to {} failed: {}", filters, e.toString());
        }
    }

    /** Runs on Paho's callback thread; blocks while the in-flight cap is reached. */
    private void onMessage(String topic, MqttMessage message) throws InterruptedException {
        if (closing) {
            return; // not acknowledged: the broker redelivers it to the next session
        }
        long arrived = System.nanoTime();
        permits.acquire();
        if (closing) {
            permits.release();
            return;
        }
        metrics.received.increment();
        metrics.admitted(config.bridge.maxInFlight - permits.availablePermits());
        AckSequencer.Slot slot = acks.register(message.getId(), message.getQos(), arrived);
        Envelope envelope = new Envelope(topic, message.getPayload(), clock.millis());
        if (!allowList.allows(topic)) {
            metrics.topicNotAllowed.increment();
            forwarder.deadLetter(
                    envelope,
                    "TOPIC_NOT_ALLOWED: topic '" + topic + "' is not on mqtt.allowed-topics",
                    new SlotOutcome(slot));
            return;
        }
        forwarder.forward(envelope, new SlotOutcome(slot));
    }

    /** Completes the slot of one message and records the outcome. */
    private final class SlotOutcome implements Forwarder.Outcome {
        private final AckSequencer.Slot slot;

        SlotOutcome(AckSequencer.Slot slot) {
            this.slot = slot;
        }

        @Override
        public void forwarded() {
            metrics.forwarded.increment();
            metrics.forwardLatency(System.nanoTime() - slot.arrivedNanos);
            acks.complete(slot);
        }

        @Override
        public void deadLettered() {
            metrics.deadLettered.increment();
            acks.complete(slot);
        }
    }

    private final class MqttAcker implements AckSequencer.Acker {
        @Override
        public void ack(int messageId, int qos) {
            try {
                mqtt.messageArrivedComplete(messageId, qos);
            } catch (MqttException | RuntimeException e) {
                // The connection is gone: the broker redelivers the message, the copy is a
                // duplicate.
                LOG.debug("Could not acknowledge message {}: {}", messageId, e.toString());
            }
        }

        @Override
        public void release() {
            permits.release();
        }
    }

    private final class Callback implements MqttCallbackExtended {
        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
            if (reconnect) {
                LOG.info("Reconnected to MQTT broker {}", serverUri);
                resubscribe();
                metrics.mqttConnected(true);
            }
        }

        @Override
        public void connectionLost(Throwable cause) {
            metrics.mqttConnected(false);
            metrics.mqttReconnects.increment();
            acks.newConnection();
            LOG.warn(
                    "Lost the MQTT connection ({}); reconnecting. Unacknowledged messages will be"
                            + " redelivered.",
                    cause == null ? "no reason given" : cause.toString());
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) throws Exception {
            onMessage(topic, message);
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {}
    }

    /**
     * Graceful stop: no new messages, wait up to {@code bridge.shutdown-timeout-seconds} for those
     * in flight, flush Kafka, disconnect. Safe to call twice.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closing = true;
        LOG.info("Stopping bridge: {} message(s) in flight", metrics.inFlight());
        boolean drained = awaitDrained(config.bridge.shutdownTimeoutSeconds);
        if (!drained) {
            LOG.warn(
                    "{} message(s) still unconfirmed after {} s; the broker redelivers them",
                    metrics.inFlight(),
                    config.bridge.shutdownTimeoutSeconds);
        }
        if (forwarder != null) {
            forwarder.flush();
        }
        closeQuietly();
        retries.shutdownNow();
        if (forwarder != null) {
            forwarder.close();
        }
        if (metricsServer != null) {
            metricsServer.close();
        }
        if (metricsPush != null) {
            metricsPush.close();
        }
        LOG.info(
                "Bridge stopped: received {}, forwarded {}, dead-lettered {}",
                metrics.received(),
                metrics.forwarded(),
                metrics.deadLettered());
    }

    private boolean awaitDrained(int timeoutSeconds) {
        try {
            if (permits.tryAcquire(config.bridge.maxInFlight, timeoutSeconds, TimeUnit.SECONDS)) {
                permits.release(config.bridge.maxInFlight);
                return true;
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void closeQuietly() {
        if (mqtt == null) {
            return;
        }
        try {
            if (mqtt.isConnected()) {
                mqtt.disconnect(5_000).waitForCompletion(6_000);
            }
        } catch (MqttException e) {
            LOG.debug("MQTT disconnect: {}", e.toString());
        }
        try {
            mqtt.close(true);
        } catch (MqttException e) {
            LOG.debug("MQTT close: {}", e.toString());
        }
    }
}
