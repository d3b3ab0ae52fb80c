package dev.vigil.pipeline.source;

import dev.vigil.common.model.Envelope;
import dev.vigil.pipeline.config.VigilConfig;
import dev.vigil.pipeline.config.VigilOptions;
import java.util.Locale;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The job's source of envelopes written by the MQTT bridge: a FLIP-27 {@link KafkaSource} over
 * {@code source.kafka.topic}. One Kafka partition holds the messages of a set of devices in order
 * (the bridge keys records by device), so per-series order survives up to the keyed shuffle.
 * Watermarks: per partition, from the payloads' event time ({@code
 * TelemetryWorkflow.envelopeWatermarks}).
 */
public final class KafkaEnvelopeSource {

    /** Values of {@code source.kafka.start-from}. */
    public enum StartFrom {
        EARLIEST,
        LATEST,
        COMMITTED,
        TIMESTAMP
    }

    private KafkaEnvelopeSource() {}

    /** The unbounded source of the streaming job. */
    public static KafkaSource<Envelope> build(VigilConfig config) {
        return builder(config).build();
    }

    /**
     * The configured builder, for callers that add more (tests bound it with {@code setBounded}).
     */
    public static KafkaSourceBuilder<Envelope> builder(VigilConfig config) {
        String bootstrap = config.get(VigilOptions.KAFKA_BOOTSTRAP_SERVERS);
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException(
                    "Setting "
                            + VigilOptions.KAFKA_BOOTSTRAP_SERVERS.key()
                            + " is required to read from Kafka (e.g. 127.0.0.1:19092).");
        }
        return KafkaSource.<Envelope>builder()
                .setBootstrapServers(bootstrap)
                .setTopics(config.get(VigilOptions.KAFKA_TOPIC))
                .setGroupId(config.get(VigilOptions.KAFKA_GROUP_ID))
                .setStartingOffsets(startingOffsets(config))
                .setDeserializer(new EnvelopeDeserializationSchema())
                .setProperty(
                        "partition.discovery.interval.ms",
                        Long.toString(
                                config.get(VigilOptions.KAFKA_PARTITION_DISCOVERY).toMillis()))
                .setProperty("commit.offsets.on.checkpoint", "true")
                .setProperty("client.id.prefix", config.get(VigilOptions.KAFKA_GROUP_ID));
    }

    /** The offsets a job without checkpoint starts from. */
    static OffsetsInitializer startingOffsets(VigilConfig config) {
        switch (startFrom(config)) {
            case EARLIEST:
                return OffsetsInitializer.earliest();
            case LATEST:
                return OffsetsInitializer.latest();
            case TIMESTAMP:
                Long timestamp = config.get(VigilOptions.KAFKA_START_TIMESTAMP);
                if (timestamp == null) {
                    throw new IllegalArgumentException(
                            "source.kafka.start-from: timestamp needs "
                                    + VigilOptions.KAFKA_START_TIMESTAMP.key()
                                    + " (epoch milliseconds).");
                }
                return OffsetsInitializer.timestamp(timestamp);
            case COMMITTED:
            default:
                return OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
        }
    }

    static StartFrom startFrom(VigilConfig config) {
        String value = config.get(VigilOptions.KAFKA_START_FROM);
        try {
            return StartFrom.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "Setting "
                            + VigilOptions.KAFKA_START_FROM.key()
                            + " is '"
                            + value
                            + "'; expected earliest, latest, committed or timestamp.",
                    e);
        }
    }
}
