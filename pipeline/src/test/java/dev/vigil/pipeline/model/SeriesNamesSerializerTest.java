package dev.vigil.pipeline.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.common.model.MetricPoint;
import dev.vigil.common.model.SeriesIdentity;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/**
 * {@link SeriesNamesSerializer}: the names of a series survive, its id is recomputed, time and
 * value are dropped; state written by {@link MetricPointSerializer} (round 4) migrates on restore.
 */
class SeriesNamesSerializerTest {

    private static final long T0 = 1_767_225_600_000L;

    @Test
    void namesRoundTripAndTheIdIsRecomputed() throws Exception {
        for (MetricPoint p :
                List.of(
                        new MetricPoint(
                                "cpu",
                                SeriesIdentity.sortTags("host", "web-1", "cpu", "cpu-total"),
                                "usage_user",
                                T0,
                                42.5),
                        new MetricPoint(
                                "température", new String[] {"ville", "Zürich 🌡"}, "v", T0, 1),
                        new MetricPoint("bare", new String[0], "value", T0, -3))) {
            MetricPoint back = roundTrip(SeriesNamesSerializer.INSTANCE, p);
            assertThat(back.getMeasurement()).isEqualTo(p.getMeasurement());
            assertThat(back.getField()).isEqualTo(p.getField());
            assertThat(back.getTags()).isEqualTo(p.getTags());
            assertThat(back.getSeriesId()).isEqualTo(p.getSeriesId());
            assertThat(back.getTimestamp()).isZero();
            assertThat(back.getValue()).isZero();
        }
        MetricPoint noTags = new MetricPoint();
        noTags.setMeasurement("m");
        noTags.setField("f");
        assertThat(roundTrip(SeriesNamesSerializer.INSTANCE, noTags).getTags()).isNull();
    }

    @Test
    void twentySevenBytesLessThanAWholePoint() throws Exception {
        MetricPoint p =
                new MetricPoint(
                        "cpu", SeriesIdentity.sortTags("host", "web-1"), "usage_user", T0, 42.5);
        assertThat(
                        bytes(MetricPointSerializer.INSTANCE, p)
                                - bytes(SeriesNamesSerializer.INSTANCE, p))
                .as("timestamp, value and id (24 bytes), tag count as a 1-byte varint (3)")
                .isEqualTo(27);
    }

    /**
     * A round-4 snapshot of "series-identity" (whole points) restores into the names-only state.
     */
    @Test
    void stateWrittenAsWholePointsMigratesOnRestore() throws Exception {
        MetricPoint web1 =
                new MetricPoint("cpu", SeriesIdentity.sortTags("host", "web-1"), "usage", T0, 7.0);
        MetricPoint oslo =
                new MetricPoint("weather", new String[] {"city", "Oslo"}, "temp", T0, -2.0);
        OperatorSubtaskState snapshot;
        try (var before = harness(new IdentityFunction(MetricPointSerializer.INSTANCE))) {
            before.open();
            before.processElement(web1, T0);
            before.processElement(oslo, T0);
            snapshot = before.snapshot(1L, T0);
        }

        try (var after = harness(new IdentityFunction(SeriesNamesSerializer.INSTANCE))) {
            after.initializeState(snapshot);
            after.open();
            after.processElement(web1, T0 + 1);
            after.processElement(oslo, T0 + 1);

            List<String> read = new ArrayList<>(after.extractOutputValues());
            assertThat(read)
                    .containsExactly(
                            "cpu,host=web-1 usage " + web1.getSeriesId(),
                            "weather,city=Oslo temp " + oslo.getSeriesId());
        }
    }

    /** Emits the identity kept for the point's series (or "none"), then keeps the point. */
    private static final class IdentityFunction
            extends KeyedProcessFunction<Long, MetricPoint, String> {
        private final TypeSerializer<MetricPoint> serializer;
        private transient ValueState<MetricPoint> identity;

        IdentityFunction(TypeSerializer<MetricPoint> serializer) {
            this.serializer = serializer;
        }

        @Override
        public void open(OpenContext openContext) {
            identity =
                    getRuntimeContext()
                            .getState(new ValueStateDescriptor<>("series-identity", serializer));
        }

        @Override
        public void processElement(MetricPoint p, Context ctx, Collector<String> out)
                throws Exception {
            MetricPoint kept = identity.value();
            if (kept != null) {
                out.collect(kept.seriesKey() + " " + kept.getSeriesId());
            }
            identity.update(p);
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<Long, MetricPoint, String> harness(
            IdentityFunction fn) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(fn), MetricPoint::getSeriesId, Types.LONG);
    }

    private static MetricPoint roundTrip(TypeSerializer<MetricPoint> s, MetricPoint p)
            throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        s.serialize(p, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        MetricPoint back = s.deserialize(in);
        assertThat(in.available()).isZero();
        return back;
    }

    private static int bytes(TypeSerializer<MetricPoint> s, MetricPoint p) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        s.serialize(p, out);
        return out.length();
    }
}
