package dev.vigil.pipeline.source;

import dev.vigil.common.codec.EnvelopeCodec;
import dev.vigil.common.model.Envelope;
import dev.vigil.pipeline.TelemetryWorkflow;
import dev.vigil.pipeline.config.VigilConfig;
import dev.vigil.pipeline.config.VigilOptions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kinesis.source.KinesisStreamsSource;
import org.apache.flink.connector.kinesis.source.config.KinesisStreamsSourceConfigConstants;
import org.apache.flink.connector.kinesis.source.config.KinesisStreamsSourceConfigConstants.InitialPosition;
import org.apache.flink.connector.kinesis.source.serialization.KinesisDeserializationSchema;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.services.kinesis.model.Record;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;

/**
 * The job's source of envelopes written by the MQTT bridge to Kinesis: the FLIP-27 {@link
 * KinesisStreamsSource} over {@code source.kinesis.stream-arn}. The bridge uses the device as
 * partition key, so one shard holds a device's messages in order. Watermarks are not set here: the
 * workflow assigns event time after parsing.
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

    /** Adds the source to {@code env}: a stream of envelopes, uid {@code source-kinesis}. */
    public static DataStream<Envelope> attach(StreamExecutionEnvironment env, VigilConfig config) {
        return env.fromSource(
                        build(config),
                        // Per shard, from the payloads' event time (see EnvelopeEventTime).
                        TelemetryWorkflow.envelopeWatermarks(config),
                        "kinesis envelopes",
                        TypeInformation.of(Envelope.class))
                .uid("source-kinesis")
                .name("envelopes (kinesis)");
    }

    /** The unbounded source (checks the settings first). */
    public static KinesisStreamsSource<Envelope> build(VigilConfig config) {
        String arn = config.get(VigilOptions.KINESIS_STREAM_ARN);
        if (arn == null || !arn.startsWith("arn:")) {
            throw new IllegalArgumentException(
                    "Setting "
                            + VigilOptions.KINESIS_STREAM_ARN.key()
                            + " is required to read from Kinesis: the stream's ARN, e.g."
                            + " arn:aws:kinesis:us-east-1:000000000000:stream/vigil-envelopes.");
        }
        return KinesisStreamsSource.<Envelope>builder()
                .setStreamArn(arn)
                .setSourceConfig(sourceConfig(config))
                .setDeserializationSchema(new EnvelopeSchema())
                .build();
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
            return TypeInformation.of(Envelope.class);
        }
    }
}
