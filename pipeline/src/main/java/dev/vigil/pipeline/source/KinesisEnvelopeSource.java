package dev.vigil.pipeline.source;

import dev.vigil.common.codec.EnvelopeCodec;
import dev.vigil.common.model.Envelope;
import dev.vigil.pipeline.config.VigilConfig;
import dev.vigil.pipeline.config.VigilOptions;
import dev.vigil.pipeline.model.EnvelopeTypeInfo;
import dev.vigil.pipeline.parse.EnvelopeParsing;
import dev.vigil.pipeline.parse.ParsedRecord;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kinesis.source.KinesisStreamsSource;
import org.apache.flink.connector.kinesis.source.config.KinesisStreamsSourceConfigConstants;
import org.apache.flink.connector.kinesis.source.config.KinesisStreamsSourceConfigConstants.InitialPosition;
import org.apache.flink.connector.kinesis.source.serialization.KinesisDeserializationSchema;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.core.exception.SdkException;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.core.retry.RetryPolicy;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.http.apache.ApacheHttpClient;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.regions.Region;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.services.kinesis.KinesisClient;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.services.kinesis.KinesisClientBuilder;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.services.kinesis.model.Record;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;

/**
 * The job's source of envelopes written by the MQTT bridge to Kinesis: the FLIP-27 {@link
 * KinesisStreamsSource} over {@code source.kinesis.stream-arn}. The bridge uses the device as
 * partition key, so one shard holds a device's messages in order. The job's source parses inside
 * the source and keeps one watermark per shard, as the Kafka source does.
 *
 * <p>The connector is not in the job jar by default (it is 60 MB): {@link #attach} is the only
 * entry point, so the job loads no Kinesis class unless {@code source.type} is {@code kinesis}.
 */
public final class KinesisEnvelopeSource {

    /** Values of {@code source.kinesis.start-from}. */
    public enum StartFrom {
        TRIM_HORIZON,
        LATEST,
        AT_TIMESTAMP
    }

    private static final String TIMESTAMP_FORMAT = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";

    private KinesisEnvelopeSource() {}

    /**
     * Adds the job's source to {@code env}: parsed records ({@link ParsingSchema}) with event time
     * and one watermark per shard ({@link KafkaEnvelopeSource#watermarks}), uid {@code
     * source-kinesis}.
     */
    public static DataStream<ParsedRecord> attach(
            StreamExecutionEnvironment env, VigilConfig config) {
        return env.fromSource(
                        build(config, new ParsingSchema(EnvelopeParsing.of(config))),
                        KafkaEnvelopeSource.watermarks(config),
                        "kinesis envelopes",
                        TypeInformation.of(ParsedRecord.class))
                .uid("source-kinesis")
                .name("envelopes (kinesis)");
    }

    /** The unbounded source of envelopes (checks the settings first). */
    public static KinesisStreamsSource<Envelope> build(VigilConfig config) {
        return build(config, new EnvelopeSchema());
    }

    private static <T> KinesisStreamsSource<T> build(
            VigilConfig config, KinesisDeserializationSchema<T> schema) {
        String arn = streamArn(config);
        return KinesisStreamsSource.<T>builder()
                .setStreamArn(arn)
                .setSourceConfig(sourceConfig(config))
                .setDeserializationSchema(schema)
                .build();
    }

    private static String streamArn(VigilConfig config) {
        String arn = config.get(VigilOptions.KINESIS_STREAM_ARN);
        if (arn == null || !arn.startsWith("arn:")) {
            throw new IllegalArgumentException(
                    "Setting "
                            + VigilOptions.KINESIS_STREAM_ARN.key()
                            + " is required to read from Kinesis: the stream's ARN, e.g."
                            + " arn:aws:kinesis:us-east-1:000000000000:stream/vigil-envelopes.");
        }
        return arn;
    }

    /** How long the job's start-up check waits for Kinesis. */
    public static final Duration CHECK_TIMEOUT = Duration.ofSeconds(15);

    /**
     * Start-up check of the job: Kinesis answers and the stream exists. Without it the source would
     * retry silently; this says what to do.
     */
    public static void checkStream(VigilConfig config, Duration timeout) {
        String arn = streamArn(config);
        String endpoint = config.get(VigilOptions.KINESIS_ENDPOINT);
        boolean overridden = endpoint != null && !endpoint.isBlank();
        String where = overridden ? endpoint : "region " + config.get(VigilOptions.KINESIS_REGION);
        KinesisClientBuilder builder =
                KinesisClient.builder()
                        .region(Region.of(config.get(VigilOptions.KINESIS_REGION)))
                        .httpClientBuilder(
                                ApacheHttpClient.builder()
                                        .connectionTimeout(timeout)
                                        .socketTimeout(timeout))
                        .overrideConfiguration(
                                o -> o.apiCallTimeout(timeout).retryPolicy(RetryPolicy.none()));
        if (overridden) {
            builder.endpointOverride(URI.create(endpoint));
        }
        try (KinesisClient client = builder.build()) {
            client.describeStreamSummary(r -> r.streamARN(arn));
        } catch (ResourceNotFoundException e) {
            throw new IllegalStateException(
                    "Kinesis stream "
                            + arn
                            + " does not exist at "
                            + where
                            + ". Create it (the bridge's kinesis.stream), or fix "
                            + VigilOptions.KINESIS_STREAM_ARN.key()
                            + ".",
                    e);
        } catch (SdkException e) {
            throw new IllegalStateException(
                    "Kinesis at "
                            + where
                            + " did not answer within "
                            + timeout.toMillis()
                            + " ms ("
                            + e.getMessage()
                            + "). Check "
                            + VigilOptions.KINESIS_ENDPOINT.key()
                            + " / "
                            + VigilOptions.KINESIS_REGION.key()
                            + " and the AWS credentials (default provider chain); for a local"
                            + " emulator: scripts/services/kinesis.sh start.",
                    e);
        }
    }

    /** AWS client and start-position settings of the connector. */
    static Configuration sourceConfig(VigilConfig config) {
        Configuration source = new Configuration();
        source.setString("aws.region", config.get(VigilOptions.KINESIS_REGION));
        String endpoint = config.get(VigilOptions.KINESIS_ENDPOINT);
        if (endpoint != null && !endpoint.isBlank()) {
            source.setString("aws.endpoint", endpoint);
            if (endpoint.startsWith("http://")) {
                source.setString("aws.http.protocol.version", "HTTP1_1");
            }
        }
        source.set(
                KinesisStreamsSourceConfigConstants.SHARD_DISCOVERY_INTERVAL_MILLIS,
                config.get(VigilOptions.KINESIS_SHARD_DISCOVERY).toMillis());
        StartFrom start = startFrom(config);
        source.set(KinesisStreamsSourceConfigConstants.STREAM_INITIAL_POSITION, position(start));
        if (start == StartFrom.AT_TIMESTAMP) {
            Long timestamp = config.get(VigilOptions.KINESIS_START_TIMESTAMP);
            if (timestamp == null) {
                throw new IllegalArgumentException(
                        "source.kinesis.start-from: at-timestamp needs "
                                + VigilOptions.KINESIS_START_TIMESTAMP.key()
                                + " (epoch milliseconds).");
            }
            source.set(
                    KinesisStreamsSourceConfigConstants.STREAM_TIMESTAMP_DATE_FORMAT,
                    TIMESTAMP_FORMAT);
            source.set(
                    KinesisStreamsSourceConfigConstants.STREAM_INITIAL_TIMESTAMP,
                    DateTimeFormatter.ofPattern(TIMESTAMP_FORMAT)
                            .withZone(ZoneOffset.UTC)
                            .format(Instant.ofEpochMilli(timestamp)));
        }
        return source;
    }

    private static InitialPosition position(StartFrom start) {
        switch (start) {
            case TRIM_HORIZON:
                return InitialPosition.TRIM_HORIZON;
            case AT_TIMESTAMP:
                return InitialPosition.AT_TIMESTAMP;
            case LATEST:
            default:
                return InitialPosition.LATEST;
        }
    }

    static StartFrom startFrom(VigilConfig config) {
        String value = config.get(VigilOptions.KINESIS_START_FROM);
        try {
            return StartFrom.valueOf(value.trim().replace('-', '_').toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "Setting "
                            + VigilOptions.KINESIS_START_FROM.key()
                            + " is '"
                            + value
                            + "'; expected trim-horizon, latest or at-timestamp.",
                    e);
        }
    }

    /**
     * Kinesis record data → {@link Envelope} ({@link EnvelopeCodec}). Never throws: data that is
     * not an encoded envelope becomes an envelope without topic (the record's arrival time as
     * receive time), which the parser rejects as {@code UNKNOWN_TOPIC} and counts.
     */
    static final class EnvelopeSchema implements KinesisDeserializationSchema<Envelope> {

        private static final long serialVersionUID = 1L;

        @Override
        public void deserialize(
                Record record, String stream, String shardId, Collector<Envelope> out) {
            Instant arrival = record.approximateArrivalTimestamp();
            out.collect(
                    EnvelopeCodec.decodeOrUnroutable(
                            record.data().asByteArrayUnsafe(),
                            arrival == null ? 0 : arrival.toEpochMilli()));
        }

        @Override
        public TypeInformation<Envelope> getProducedType() {
            return EnvelopeTypeInfo.INSTANCE;
        }
    }

    /**
     * Kinesis record data → envelope → its parsed points or its reject (see {@link
     * ParsingDeserializationSchema}); data that is not an encoded envelope is rejected as {@code
     * UNKNOWN_TOPIC}, with the record's arrival time as receive time.
     */
    static final class ParsingSchema implements KinesisDeserializationSchema<ParsedRecord> {

        private static final long serialVersionUID = 1L;

        private final EnvelopeParsing parsing;

        ParsingSchema(EnvelopeParsing parsing) {
            this.parsing = parsing;
        }

        @Override
        public void open(DeserializationSchema.InitializationContext context) {
            parsing.open();
        }

        @Override
        public void deserialize(
                Record record, String stream, String shardId, Collector<ParsedRecord> out) {
            Instant arrival = record.approximateArrivalTimestamp();
            parsing.parseInto(
                    EnvelopeCodec.decodeOrUnroutable(
                            record.data().asByteArrayUnsafe(),
                            arrival == null ? 0 : arrival.toEpochMilli()),
                    out);
        }

        @Override
        public TypeInformation<ParsedRecord> getProducedType() {
            return TypeInformation.of(ParsedRecord.class);
        }
    }
}
