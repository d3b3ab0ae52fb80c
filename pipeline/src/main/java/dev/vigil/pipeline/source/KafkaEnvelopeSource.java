package dev.vigil.pipeline.source;

import dev.vigil.common.model.Envelope;
import dev.vigil.pipeline.config.VigilConfig;
import dev.vigil.pipeline.config.VigilOptions;
import dev.vigil.pipeline.parse.EnvelopeParsing;
import dev.vigil.pipeline.parse.ParsedRecord;
import dev.vigil.pipeline.time.IdleAwareWatermarks;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The job's source of envelopes written by the MQTT bridge: a FLIP-27 {@link KafkaSource} over
 * {@code source.kafka.topic}. One Kafka partition holds the messages of a set of devices in order
 * (the bridge keys records by device), so per-series order survives up to the keyed shuffle.
 *
 * <p>The job's source ({@link #attach}) parses inside the source ({@link
 * ParsingDeserializationSchema}) and assigns event time there, so Flink keeps one watermark per
 * partition ({@link #watermarks}): the source's watermark is the minimum over its partitions, and a
 * partition without data does not hold the others back.
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

    /** Uid of the source operator (its state holds the partition offsets). */
    public static final String UID = "source-kafka";

    /**
     * Adds the job's source to {@code env}: parsed records with event time and per-partition
     * watermarks, uid {@value #UID}.
     */
    public static DataStream<ParsedRecord> attach(
            StreamExecutionEnvironment env, VigilConfig config) {
        return attach(env, config, parsingBuilder(config).build());
    }

    /** As {@link #attach(StreamExecutionEnvironment, VigilConfig)}, for a given source. */
    public static DataStream<ParsedRecord> attach(
            StreamExecutionEnvironment env, VigilConfig config, KafkaSource<ParsedRecord> source) {
        return env.fromSource(
                        source,
                        watermarks(config),
                        "kafka envelopes",
                        TypeInformation.of(ParsedRecord.class))
                .uid(UID)
                .name("envelopes (kafka)");
    }

    /**
     * Per split (partition): bounded out-of-orderness, idleness ({@link IdleAwareWatermarks}),
     * event time from the parsed payload.
     */
    public static WatermarkStrategy<ParsedRecord> watermarks(VigilConfig config) {
        return IdleAwareWatermarks.forSettings(config.detection(), ParsedRecord::eventTime);
    }

    /** How long the job's start-up check waits for Kafka. */
    public static final Duration CHECK_TIMEOUT = Duration.ofSeconds(15);

    /**
     * Start-up check of the job: Kafka answers and the topic exists (waiting up to {@code timeout}
     * for it to appear). Without it the source would wait silently (unreachable broker) or fail and
     * restart over and over (missing topic); this says what to do.
     */
    public static void checkTopic(VigilConfig config, Duration timeout) {
        String bootstrap = bootstrapServers(config);
        String topic = config.get(VigilOptions.KAFKA_TOPIC);
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(p)) {
            // the bridge creates the topic when it starts: give it the same time to appear
            while (!listTopics(admin, bootstrap, timeout).contains(topic)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "Kafka topic '"
                                    + topic
                                    + "' does not exist at "
                                    + bootstrap
                                    + ". Start the MQTT bridge first (it creates its topic), or"
                                    + " create the topic, or fix "
                                    + VigilOptions.KAFKA_TOPIC.key()
                                    + ".");
                }
                Thread.sleep(500);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while connecting to Kafka", e);
        }
    }

    private static Set<String> listTopics(Admin admin, String bootstrap, Duration timeout)
            throws InterruptedException {
        try {
            return admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            throw new IllegalStateException(
                    "Kafka at "
                            + bootstrap
                            + " did not answer within "
                            + timeout.toMillis()
                            + " ms. Check "
                            + VigilOptions.KAFKA_BOOTSTRAP_SERVERS.key()
                            + " and that the broker is running (for a local one:"
                            + " scripts/services/kafka.sh start).",
                    e);
        }
    }

    /** The unbounded source of envelopes (unparsed). */
    public static KafkaSource<Envelope> build(VigilConfig config) {
        return builder(config).build();
    }

    /**
     * The configured builder of envelopes, for callers that add more (tests bound it with {@code
     * setBounded}).
     */
    public static KafkaSourceBuilder<Envelope> builder(VigilConfig config) {
        return builder(config, new EnvelopeDeserializationSchema());
    }

    /** The configured builder of parsed records (points and rejects), as the job reads. */
    public static KafkaSourceBuilder<ParsedRecord> parsingBuilder(VigilConfig config) {
        return builder(config, new ParsingDeserializationSchema(EnvelopeParsing.of(config)));
    }

    private static <T> KafkaSourceBuilder<T> builder(
            VigilConfig config, KafkaRecordDeserializationSchema<T> deserializer) {
        String bootstrap = bootstrapServers(config);
        return KafkaSource.<T>builder()
                .setBootstrapServers(bootstrap)
                .setTopics(config.get(VigilOptions.KAFKA_TOPIC))
                .setGroupId(config.get(VigilOptions.KAFKA_GROUP_ID))
                .setStartingOffsets(startingOffsets(config))
                .setDeserializer(deserializer)
                .setProperty(
                        "partition.discovery.interval.ms",
                        Long.toString(
                                config.get(VigilOptions.KAFKA_PARTITION_DISCOVERY).toMillis()))
                .setProperty("commit.offsets.on.checkpoint", "true")
                .setProperty("client.id.prefix", config.get(VigilOptions.KAFKA_GROUP_ID));
    }

    private static String bootstrapServers(VigilConfig config) {
        String bootstrap = config.get(VigilOptions.KAFKA_BOOTSTRAP_SERVERS);
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException(
                    "Setting "
                            + VigilOptions.KAFKA_BOOTSTRAP_SERVERS.key()
                            + " is required to read from Kafka (e.g. 127.0.0.1:19092).");
        }
        return bootstrap;
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
