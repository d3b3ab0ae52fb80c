package dev.vigil.bridge;

import dev.vigil.common.codec.EnvelopeCodec;
import dev.vigil.common.model.Envelope;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends envelopes to Kafka and reports each message's outcome exactly once through {@link Outcome}:
 * forwarded, or dead-lettered. Failures that the message is not to blame for (Kafka down, slow,
 * leader moving) are retried with backoff until they succeed, so nothing is dropped; a message
 * Kafka can never accept (too large, …) goes to the dead-letter topic with the reason.
 */
final class KafkaForwarder implements Forwarder {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaForwarder.class);

    static final String HEADER_REASON = "vigil-reason";
    static final String HEADER_TOPIC = "vigil-mqtt-topic";
    static final String HEADER_PAYLOAD_BYTES = "vigil-payload-bytes";

    private static final long MAX_BACKOFF_MS = 5_000;

    private final BridgeConfig.Kafka config;
    private final Producer<String, byte[]> producer;
    private final ScheduledExecutorService retries;
    private final BridgeMetrics metrics;
    private volatile boolean closing;

    KafkaForwarder(
            BridgeConfig.Kafka config,
            Producer<String, byte[]> producer,
            ScheduledExecutorService retries,
            BridgeMetrics metrics) {
        this.config = config;
        this.producer = producer;
        this.retries = retries;
        this.metrics = metrics;
    }

    /** The producer settings of the at-least-once path; extra properties override them. */
    static Properties producerProperties(BridgeConfig.Kafka config, String clientId) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                Math.min(10_000, config.deliveryTimeoutMs / 2) + "");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, config.deliveryTimeoutMs + "");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, config.deliveryTimeoutMs + "");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, (config.maxRecordBytes + 64 * 1024) + "");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.putAll(config.properties);
        return p;
    }

    /**
     * Checks that Kafka answers and that both topics exist (creating them when {@code
     * kafka.create-topics} is on); throws {@link BridgeException} saying what to do otherwise.
     */
    static void checkTopics(BridgeConfig.Kafka config) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, config.startupTimeoutMs);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(config.startupTimeoutMs, 5000));
        config.properties.forEach(
                (k, v) -> {
                    if (k.startsWith("security.")
                            || k.startsWith("sasl.")
                            || k.startsWith("ssl.")) {
                        p.put(k, v);
                    }
                });
        try (Admin admin = Admin.create(p)) {
            Set<String> existing = listTopics(admin, config);
            List<NewTopic> missing = new ArrayList<>();
            for (String topic : List.of(config.topic, config.deadLetterTopic)) {
                if (!existing.contains(topic)) {
                    missing.add(new NewTopic(topic, config.topicPartitions, (short) -1));
                }
            }
            createTopics(admin, config, missing);
        }
    }

    private static Set<String> listTopics(Admin admin, BridgeConfig.Kafka config) {
        try {
            return admin.listTopics().names().get(config.startupTimeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            throw new BridgeException(
                    "Kafka at "
                            + config.bootstrapServers
                            + " did not answer within "
                            + config.startupTimeoutMs
                            + " ms ("
                            + rootMessage(e)
                            + "). Check kafka.bootstrap-servers and that the broker is running"
                            + " (for a local one: scripts/services/kafka.sh start).",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BridgeException("Interrupted while connecting to Kafka", e);
        }
    }

    private static void createTopics(
            Admin admin, BridgeConfig.Kafka config, List<NewTopic> missing) {
        if (missing.isEmpty()) {
            return;
        }
        if (!config.createTopics) {
            throw new BridgeException(
                    "Kafka topic(s) "
                            + missing.stream().map(NewTopic::name).toList()
                            + " do not exist at "
                            + config.bootstrapServers
                            + ". Create them, or set kafka.create-topics: true.");
        }
        try {
            admin.createTopics(missing).all().get(config.startupTimeoutMs, TimeUnit.MILLISECONDS);
            LOG.info("Created Kafka topics {}", missing.stream().map(NewTopic::name).toList());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new BridgeException(
                        "Cannot create Kafka topics " + missing + ": " + rootMessage(e), e);
            }
        } catch (TimeoutException e) {
            throw new BridgeException("Creating Kafka topics timed out: " + missing, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BridgeException("Interrupted while creating Kafka topics", e);
        }
    }

    /** Checks the topics (see {@link #checkTopics}) and loads their partitions. */
    @Override
    public void prepare() {
        checkTopics(config);
        loadMetadata();
    }

    /** Forwards one envelope; {@code outcome} is called exactly once, from a producer thread. */
    @Override
    public void forward(Envelope envelope, Outcome outcome) {
        byte[] topicBytes = envelope.getTopic().getBytes(StandardCharsets.UTF_8);
        int size = EnvelopeCodec.encodedSize(topicBytes.length, envelope.getPayload().length);
        if (size > config.maxRecordBytes) {
            deadLetter(
                    envelope,
                    "RECORD_TOO_LARGE: the encoded envelope has "
                            + size
                            + " bytes, more than kafka.max-record-bytes = "
                            + config.maxRecordBytes,
                    outcome,
                    0);
            return;
        }
        ProducerRecord<String, byte[]> record =
                new ProducerRecord<>(
                        config.topic,
                        EnvelopeCodec.partitionKey(envelope.getTopic()),
                        EnvelopeCodec.encode(envelope));
        send(record, envelope, outcome, 0);
    }

    private void send(
            ProducerRecord<String, byte[]> record,
            Envelope envelope,
            Outcome outcome,
            int attempt) {
        try {
            producer.send(
                    record,
                    (metadata, error) -> {
                        if (error == null) {
                            outcome.forwarded();
                        } else {
                            onSendFailure(record, envelope, outcome, attempt, error);
                        }
                    });
        } catch (RuntimeException e) {
            onSendFailure(record, envelope, outcome, attempt, e);
        }
    }

    private void onSendFailure(
            ProducerRecord<String, byte[]> record,
            Envelope envelope,
            Outcome outcome,
            int attempt,
            Exception error) {
        metrics.failed.increment();
        if (isMessagesFault(error)) {
            deadLetter(envelope, "REJECTED_BY_KAFKA: " + error, outcome, 0);
            return;
        }
        logRetry("message of topic " + envelope.getTopic(), attempt, error);
        retryLater(attempt, () -> send(record, envelope, outcome, attempt + 1));
    }

    @Override
    public void deadLetter(Envelope envelope, String reason, Outcome outcome) {
        deadLetter(envelope, reason, outcome, 0);
    }

    private void deadLetter(Envelope envelope, String reason, Outcome outcome, int attempt) {
        ProducerRecord<String, byte[]> record = deadLetterRecord(envelope, reason);
        if (attempt == 0) {
            LOG.warn(
                    "Dead-lettering a message of topic {} ({} bytes) to {}: {}",
                    envelope.getTopic(),
                    envelope.getPayload().length,
                    config.deadLetterTopic,
                    reason);
        }
        try {
            producer.send(
                    record,
                    (metadata, error) -> {
                        if (error == null) {
                            outcome.deadLettered();
                        } else {
                            onDeadLetterFailure(envelope, reason, outcome, attempt, error);
                        }
                    });
        } catch (RuntimeException e) {
            onDeadLetterFailure(envelope, reason, outcome, attempt, e);
        }
    }

    private void onDeadLetterFailure(
            Envelope envelope, String reason, Outcome outcome, int attempt, Exception error) {
        metrics.failed.increment();
        logRetry("dead letter of topic " + envelope.getTopic(), attempt, error);
        retryLater(attempt, () -> deadLetter(envelope, reason, outcome, attempt + 1));
    }

    /**
     * The dead-letter record: the envelope with its payload cut to {@code
     * kafka.dead-letter-payload-bytes}, the reason and the original size as headers.
     */
    ProducerRecord<String, byte[]> deadLetterRecord(Envelope envelope, String reason) {
        byte[] payload = envelope.getPayload();
        byte[] kept =
                Arrays.copyOf(payload, Math.min(payload.length, config.deadLetterPayloadBytes));
        RecordHeaders headers = new RecordHeaders();
        headers.add(HEADER_REASON, reason.getBytes(StandardCharsets.UTF_8));
        headers.add(HEADER_TOPIC, envelope.getTopic().getBytes(StandardCharsets.UTF_8));
        headers.add(
                HEADER_PAYLOAD_BYTES,
                Integer.toString(payload.length).getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(
                config.deadLetterTopic,
                null,
                EnvelopeCodec.partitionKey(envelope.getTopic()),
                EnvelopeCodec.encode(
                        new Envelope(envelope.getTopic(), kept, envelope.getReceivedAt())),
                headers);
    }

    /** Errors caused by the record itself: sending it again cannot succeed. */
    static boolean isMessagesFault(Throwable error) {
        return error instanceof RecordTooLargeException
                || error instanceof RecordBatchTooLargeException
                || error instanceof SerializationException
                || error instanceof InvalidTopicException;
    }

    private void retryLater(int attempt, Runnable resend) {
        if (closing || retries.isShutdown()) {
            LOG.warn("Stopping with a message unconfirmed by Kafka; the broker redelivers it");
            return;
        }
        metrics.retried.increment();
        long delay = Math.min(MAX_BACKOFF_MS, 100L << Math.min(attempt, 6));
        try {
            retries.schedule(resend, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.warn("Stopping with a message unconfirmed by Kafka; the broker redelivers it");
        }
    }

    private static void logRetry(String what, int attempt, Exception error) {
        if (attempt == 0 || attempt % 20 == 0) {
            LOG.warn(
                    "Kafka did not take a {} (attempt {}): {}. Retrying; MQTT acknowledgements are"
                            + " held until it succeeds.",
                    what,
                    attempt + 1,
                    rootMessage(error));
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    /**
     * Fetches the partitions of both topics now, so that sends append to the producer's buffer
     * without waiting for metadata on the MQTT callback thread (they then time out and are retried
     * while Kafka is down, and the in-flight cap does the holding).
     */
    void loadMetadata() {
        try {
            producer.partitionsFor(config.topic);
            producer.partitionsFor(config.deadLetterTopic);
        } catch (RuntimeException e) {
            throw new BridgeException(
                    "Kafka at "
                            + config.bootstrapServers
                            + " did not give the partitions of "
                            + config.topic
                            + ": "
                            + rootMessage(e),
                    e);
        }
    }

    @Override
    public void flush() {
        producer.flush();
    }

    /** After this, failures are no longer retried (the broker redelivers what is unconfirmed). */
    @Override
    public void stopRetrying() {
        closing = true;
    }

    @Override
    public void close() {
        closing = true;
        producer.close(java.time.Duration.ofSeconds(10));
    }

    @Override
    public void abort() {
        closing = true;
        producer.close(java.time.Duration.ZERO);
    }

    static Producer<String, byte[]> createProducer(BridgeConfig.Kafka config, String clientId) {
        return new KafkaProducer<>(producerProperties(config, clientId));
    }
}
