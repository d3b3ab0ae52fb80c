package dev.vigil.pipeline.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.common.codec.EnvelopeCodec;
import dev.vigil.common.model.Envelope;
import dev.vigil.pipeline.config.VigilConfig;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kinesis.source.config.KinesisStreamsSourceConfigConstants;
import org.apache.flink.connector.kinesis.source.config.KinesisStreamsSourceConfigConstants.InitialPosition;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.core.SdkBytes;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.services.kinesis.model.Record;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

class KinesisEnvelopeSourceTest {

    private static final String ARN = "arn:aws:kinesis:us-east-1:000000000000:stream/envelopes";
    private static final Instant ARRIVAL = Instant.parse("2024-03-01T12:00:00.250Z");

    @Test
    void endpointRegionAndStartPositionComeFromTheOptions() throws Exception {
        Configuration source =
                KinesisEnvelopeSource.sourceConfig(
                        config(
                                Map.of(
                                        "source.kinesis.endpoint", "http://127.0.0.1:14567",
                                        "source.kinesis.region", "eu-west-1",
                                        "source.kinesis.start-from", "at-timestamp",
                                        "source.kinesis.start-timestamp",
                                                Long.toString(ARRIVAL.toEpochMilli()))));
        assertThat(source.toMap())
                .containsEntry("aws.endpoint", "http://127.0.0.1:14567")
                .containsEntry("aws.region", "eu-west-1")
                .containsEntry("aws.http.protocol.version", "HTTP1_1");
        assertThat(source.get(KinesisStreamsSourceConfigConstants.STREAM_INITIAL_POSITION))
                .isEqualTo(InitialPosition.AT_TIMESTAMP);
        assertThat(source.get(KinesisStreamsSourceConfigConstants.STREAM_INITIAL_TIMESTAMP))
                .isEqualTo("2024-03-01T12:00:00.250Z");
    }

    @Test
    void startsAtTheTrimHorizonWhenAskedAndLatestByDefault() throws Exception {
        assertThat(KinesisEnvelopeSource.startFrom(config(Map.of())))
                .isEqualTo(KinesisEnvelopeSource.StartFrom.LATEST);
        Configuration source =
                KinesisEnvelopeSource.sourceConfig(
                        config(Map.of("source.kinesis.start-from", "trim-horizon")));
        assertThat(source.get(KinesisStreamsSourceConfigConstants.STREAM_INITIAL_POSITION))
                .isEqualTo(InitialPosition.TRIM_HORIZON);
        assertThat(source.toMap()).doesNotContainKey("aws.endpoint");
    }

    @Test
    void badSettingsAreRefusedWithTheKeyToFix() throws Exception {
        VigilConfig noArn = config(Map.of());
        assertThatThrownBy(() -> KinesisEnvelopeSource.build(noArn))
                .hasMessageContaining("source.kinesis.stream-arn");
        VigilConfig noTimestamp = config(Map.of("source.kinesis.start-from", "at-timestamp"));
        assertThatThrownBy(() -> KinesisEnvelopeSource.sourceConfig(noTimestamp))
                .hasMessageContaining("source.kinesis.start-timestamp");
        VigilConfig unknown = config(Map.of("source.kinesis.start-from", "yesterday"));
        assertThatThrownBy(() -> KinesisEnvelopeSource.sourceConfig(unknown))
                .hasMessageContaining("'yesterday'")
                .hasMessageContaining("trim-horizon");
    }

    @Test
    void theStartUpCheckSaysWhenKinesisDoesNotAnswer() throws Exception {
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        String endpoint = "http://127.0.0.1:" + closed;
        // credentials from system properties: the default chain must not go looking further
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
        VigilConfig config =
                config(
                        Map.of(
                                "source.kinesis.stream-arn", ARN,
                                "source.kinesis.endpoint", endpoint));
        assertThatThrownBy(
                        () ->
                                KinesisEnvelopeSource.checkStream(
                                        config, java.time.Duration.ofSeconds(1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith(
                        "Kinesis at " + endpoint + " did not answer within 1000 ms (")
                .hasMessageEndingWith(
                        "). Check source.kinesis.endpoint / source.kinesis.region and the AWS"
                                + " credentials (default provider chain); for a local emulator:"
                                + " scripts/services/kinesis.sh start.");
    }

    @org.junit.jupiter.api.AfterEach
    void clearCredentials() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    @Test
    void buildsASourceForAValidArn() throws Exception {
        assertThat(KinesisEnvelopeSource.build(config(Map.of("source.kinesis.stream-arn", ARN))))
                .isNotNull();
    }

    @Test
    void recordsDecodeToEnvelopesAndGarbageBecomesUnroutable() throws Exception {
        Envelope envelope =
                new Envelope(
                        "sensors/dev-1/telemetry",
                        "{\"t\": 1}".getBytes(StandardCharsets.UTF_8),
                        ARRIVAL.toEpochMilli() - 5);
        List<Envelope> out = new ArrayList<>();
        KinesisEnvelopeSource.EnvelopeSchema schema = new KinesisEnvelopeSource.EnvelopeSchema();
        schema.deserialize(record(EnvelopeCodec.encode(envelope)), "s", "shard-0", collector(out));
        schema.deserialize(record(new byte[] {42}), "s", "shard-0", collector(out));

        assertThat(out).hasSize(2);
        assertThat(out.get(0)).isEqualTo(envelope);
        assertThat(out.get(1).getReceivedAt()).isEqualTo(ARRIVAL.toEpochMilli());
        assertThat(out.get(1).getPayload()).containsExactly(42);
    }

    private static Record record(byte[] data) {
        return Record.builder()
                .data(SdkBytes.fromByteArray(data))
                .partitionKey("k")
                .sequenceNumber("1")
                .approximateArrivalTimestamp(ARRIVAL)
                .build();
    }

    private static Collector<Envelope> collector(List<Envelope> out) {
        return new Collector<>() {
            @Override
            public void collect(Envelope record) {
                out.add(record);
            }

            @Override
            public void close() {}
        };
    }

    private static VigilConfig config(Map<String, String> overrides) throws Exception {
        return VigilConfig.load(null, overrides);
    }
}
