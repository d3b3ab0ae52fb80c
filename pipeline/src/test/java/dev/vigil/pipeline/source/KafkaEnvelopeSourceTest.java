package dev.vigil.pipeline.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.common.codec.EnvelopeCodec;
import dev.vigil.common.model.Envelope;
import dev.vigil.common.model.Reject;
import dev.vigil.common.model.RejectReason;
import dev.vigil.common.parse.ParserLimits;
import dev.vigil.common.parse.TelemetryParser;
import dev.vigil.common.routing.RoutingConfig;
import dev.vigil.pipeline.config.VigilConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.junit.jupiter.api.Test;

class KafkaEnvelopeSourceTest {

    private static final long AT = 1_700_000_000_000L;

    @Test
    void decodesEnvelopes() {
        Envelope envelope = Envelope.of("sensors/d1/telemetry", "{\"temperature\":20}", AT);
        assertThat(deserialize(EnvelopeCodec.encode(envelope))).containsExactly(envelope);
    }

    @Test
    void garbageBecomesAnEnvelopeThatTheParserRejects() {
        List<Envelope> out = deserialize(new byte[] {42, 1, 2});
        assertThat(out).hasSize(1);
        assertThat(out.get(0).getTopic()).isNull();
        assertThat(out.get(0).getReceivedAt()).isEqualTo(AT);
        Reject reject =
                new TelemetryParser(RoutingConfig.builtIn(), ParserLimits.defaults())
                        .parse(out.get(0), new ArrayList<>());
        assertThat(reject).isNotNull();
        assertThat(reject.getReason()).isEqualTo(RejectReason.UNKNOWN_TOPIC);
        assertThat(deserialize(null)).extracting(Envelope::getTopic).containsExactly((String) null);
    }

    @Test
    void startPositionFollowsTheConfig() {
        assertThat(KafkaEnvelopeSource.startingOffsets(config("start-from", "earliest")))
                .usingRecursiveComparison()
                .isEqualTo(OffsetsInitializer.earliest());
        assertThat(KafkaEnvelopeSource.startingOffsets(config("start-from", "LATEST")))
                .usingRecursiveComparison()
                .isEqualTo(OffsetsInitializer.latest());
        assertThat(KafkaEnvelopeSource.startingOffsets(config()))
                .usingRecursiveComparison()
                .isEqualTo(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST));
        assertThat(
                        KafkaEnvelopeSource.startingOffsets(
                                config("start-from", "timestamp", "start-timestamp", "1234")))
                .usingRecursiveComparison()
                .isEqualTo(OffsetsInitializer.timestamp(1234));
    }

    @Test
    void badSettingsAreClearErrors() {
        assertThatThrownBy(() -> KafkaEnvelopeSource.startingOffsets(config("start-from", "first")))
                .hasMessageContaining("expected earliest, latest, committed or timestamp");
        assertThatThrownBy(
                        () ->
                                KafkaEnvelopeSource.startingOffsets(
                                        config("start-from", "timestamp")))
                .hasMessageContaining("source.kafka.start-timestamp");
        assertThatThrownBy(() -> KafkaEnvelopeSource.build(VigilConfig.defaults()))
                .hasMessageContaining("source.kafka.bootstrap-servers is required");
    }

    @Test
    void theStartUpCheckSaysWhenKafkaDoesNotAnswer() throws Exception {
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        VigilConfig config =
                VigilConfig.load(
                        null, Map.of("source.kafka.bootstrap-servers", "127.0.0.1:" + closed));
        assertThatThrownBy(
                        () ->
                                KafkaEnvelopeSource.checkTopic(
                                        config, java.time.Duration.ofSeconds(1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(
                        "Kafka at 127.0.0.1:"
                                + closed
                                + " did not answer within 1000 ms. Check"
                                + " source.kafka.bootstrap-servers and that the broker is running"
                                + " (for a local one: scripts/services/kafka.sh start).");
    }

    @Test
    void buildsAnUnboundedSource() {
        KafkaSource<Envelope> source = KafkaEnvelopeSource.build(config());
        assertThat(source.getBoundedness())
                .isEqualTo(org.apache.flink.api.connector.source.Boundedness.CONTINUOUS_UNBOUNDED);
    }

    private static VigilConfig config(String... keyValues) {
        Map<String, String> values = new java.util.LinkedHashMap<>();
        values.put("source.kafka.bootstrap-servers", "127.0.0.1:1");
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put("source.kafka." + keyValues[i], keyValues[i + 1]);
        }
        return VigilConfig.load(null, values);
    }

    private static List<Envelope> deserialize(byte[] value) {
        List<Envelope> out = new ArrayList<>();
        ConsumerRecord<byte[], byte[]> record =
                new ConsumerRecord<>(
                        "t",
                        0,
                        0L,
                        AT,
                        org.apache.kafka.common.record.TimestampType.CREATE_TIME,
                        0,
                        value == null ? 0 : value.length,
                        null,
                        value,
                        new org.apache.kafka.common.header.internals.RecordHeaders(),
                        java.util.Optional.empty());
        new EnvelopeDeserializationSchema()
                .deserialize(
                        record,
                        new Collector<>() {
                            @Override
                            public void collect(Envelope e) {
                                out.add(e);
                            }

                            @Override
                            public void close() {}
                        });
        return out;
    }
}
