package dev.vigil.pipeline.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.common.codec.EnvelopeCodec;
import dev.vigil.common.model.Envelope;
import dev.vigil.common.model.Reject;
import dev.vigil.common.model.RejectReason;
import dev.vigil.pipeline.TelemetryWorkflow;
import dev.vigil.pipeline.config.VigilConfig;
import dev.vigil.pipeline.source.ParsingDeserializationSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Parsing inside the source: one Kafka record becomes its points (event time from the payload) or
 * its reject (receive time), and the workflow behind a parsing source keeps the same accounting as
 * the parse operator of the in-memory sources.
 */
class ParsingSourceTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(1)
                            .build());

    private static final long AT = 1_700_000_000_000L;
    private static final long EVENT = 1_699_999_990_000L;

    private static final List<Envelope> MESSAGES =
            List.of(
                    Envelope.of(
                            "sensors/d1/telemetry",
                            "{\"temperature\":20.5,\"humidity\":40,\"timestamp\":" + EVENT + "}",
                            AT),
                    Envelope.of("sensors/d2/telemetry", "{\"temperature\":", AT + 1),
                    Envelope.of("nowhere/else", "{\"temperature\":1}", AT + 2),
                    Envelope.of(
                            "sensors/d3/telemetry",
                            "{\"temperature\":21,\"timestamp\":" + (EVENT + 5) + "}",
                            AT + 3),
                    Envelope.of("sensors/d4/telemetry", "", AT + 4));

    @Test
    void aMessageBecomesItsPointsWithTheirEventTime() {
        List<ParsedRecord> out = deserialize(EnvelopeCodec.encode(MESSAGES.get(0)));

        assertThat(out).hasSize(2);
        assertThat(out).extracting(ParsedRecord::isMessageStart).containsExactly(true, false);
        assertThat(out).extracting(ParsedRecord::getMessagePoints).containsExactly(2, 2);
        assertThat(out).extracting(ParsedRecord::getTimestamp).containsExactly(EVENT, EVENT);
        assertThat(out).extracting(r -> r.getPoint().getTimestamp()).containsExactly(EVENT, EVENT);
        assertThat(out).allSatisfy(r -> assertThat(r.isReject()).isFalse());
    }

    @Test
    void aBadMessageBecomesOneRejectAtItsReceiveTime() {
        List<ParsedRecord> out = deserialize(EnvelopeCodec.encode(MESSAGES.get(1)));
        List<ParsedRecord> garbage = deserialize(new byte[] {42, 1, 2});

        assertThat(out).hasSize(1);
        assertThat(out.get(0).getReject().getReason()).isEqualTo(RejectReason.MALFORMED);
        assertThat(out.get(0).getTimestamp()).isEqualTo(AT + 1);
        assertThat(garbage).hasSize(1);
        assertThat(garbage.get(0).getReject().getReason()).isEqualTo(RejectReason.UNKNOWN_TOPIC);
        assertThat(garbage.get(0).getTimestamp()).isEqualTo(AT);
    }

    @Test
    void theParsingSourcePathCountsLikeTheParseOperator() throws Exception {
        List<ParsedRecord> records = new ArrayList<>();
        for (Envelope message : MESSAGES) {
            records.addAll(deserialize(EnvelopeCodec.encode(message)));
        }
        VigilConfig config = VigilConfig.defaults();

        StreamExecutionEnvironment env = environment();
        Run parsed =
                run(
                        env,
                        new TelemetryWorkflow(config)
                                .buildFromParsed(
                                        env.fromData(
                                                records, TypeInformation.of(ParsedRecord.class))));
        StreamExecutionEnvironment env2 = environment();
        Run direct =
                run(
                        env2,
                        new TelemetryWorkflow(config)
                                .build(
                                        env2.fromData(
                                                MESSAGES, TypeInformation.of(Envelope.class))));

        assertThat(parsed.counter(ParseFunction.RECEIVED)).isEqualTo(5);
        assertThat(parsed.counter(ParseFunction.ACCEPTED)).isEqualTo(2);
        assertThat(parsed.counter(ParseFunction.REJECTED)).isEqualTo(3);
        assertThat(parsed.counter(ParseFunction.POINTS)).isEqualTo(3);
        for (String name :
                List.of(
                        ParseFunction.RECEIVED,
                        ParseFunction.ACCEPTED,
                        ParseFunction.REJECTED,
                        ParseFunction.POINTS)) {
            assertThat(parsed.counter(name)).as(name).isEqualTo(direct.counter(name));
        }
        assertThat(parsed.rejects)
                .extracting(Reject::getReason)
                .containsExactlyInAnyOrder(
                        RejectReason.MALFORMED,
                        RejectReason.UNKNOWN_TOPIC,
                        RejectReason.EMPTY_PAYLOAD);
        assertThat(parsed.rejects).containsExactlyInAnyOrderElementsOf(direct.rejects);
    }

    private static StreamExecutionEnvironment environment() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.getConfig().disableGenericTypes();
        return env;
    }

    private static Run run(StreamExecutionEnvironment env, TelemetryWorkflow.Streams streams)
            throws Exception {
        CloseableIterator<Reject> rejects = streams.rejects.collectAsync();
        JobExecutionResult result = env.execute("parsing source");
        List<Reject> collected = new ArrayList<>();
        try (rejects) {
            rejects.forEachRemaining(collected::add);
        }
        return new Run(result, collected);
    }

    private static final class Run {
        final JobExecutionResult result;
        final List<Reject> rejects;

        Run(JobExecutionResult result, List<Reject> rejects) {
            this.result = result;
            this.rejects = rejects;
        }

        long counter(String name) {
            Object value = result.getAccumulatorResult(name);
            return value == null ? 0 : ((Number) value).longValue();
        }
    }

    private static List<ParsedRecord> deserialize(byte[] value) {
        ParsingDeserializationSchema schema =
                new ParsingDeserializationSchema(EnvelopeParsing.of(VigilConfig.defaults()));
        schema.open(null);
        List<ParsedRecord> out = new ArrayList<>();
        schema.deserialize(
                new ConsumerRecord<>(
                        "t",
                        0,
                        0L,
                        AT,
                        TimestampType.CREATE_TIME,
                        0,
                        value.length,
                        null,
                        value,
                        new RecordHeaders(),
                        Optional.empty()),
                new Collector<>() {
                    @Override
                    public void collect(ParsedRecord record) {
                        out.add(record);
                    }

                    @Override
                    public void close() {}
                });
        return out;
    }
}
