package dev.vigil.pipeline.fleet;

import static dev.vigil.pipeline.fleet.FleetPoints.normal;
import static dev.vigil.pipeline.fleet.FleetPoints.scored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.vigil.pipeline.config.DetectionSettings;
import dev.vigil.pipeline.model.Anomaly;
import dev.vigil.pipeline.model.AnomalyKind;
import dev.vigil.pipeline.model.ScoredPoint;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link Fleet#detect} in a job (the slices crossing both shuffles serialized, with their own
 * serializers) finds exactly the anomalies its two detectors find when they are handed the full
 * slices directly: a DEVICE anomaly of web-1 and a POPULATION anomaly of h3, among slices the
 * device shuffle drops (web-1 not yet warm). Parallelism 1: with two senders, a detector may see
 * the next slice of one sender before the other's watermark closes the slice (as in the job), and
 * the population detector would then compare values of different slices — the test compares the
 * wiring, not that race. A keyed shuffle is a network edge (serialized) at any parallelism.
 */
class FleetTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(1)
                            .build());

    private static final DetectionSettings SETTINGS = DetectionSettings.defaults();
    private static final long MINUTE = 60_000L;
    private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z, a slice start
    private static final int SLICES = 8;
    private static final int ODD_SLICE = 6;
    private static final double[] LEVELS = {20, 21, 22, 23, 24, 25};

    @Test
    void theJobFindsWhatTheDetectorsFindOnTheFullSlices() throws Exception {
        List<List<SeriesSlice>> slices = slices();

        List<Anomaly> expected = detectedDirectly(slices);
        List<Anomaly> actual = detectedInAJob(slices);

        assertThat(expected)
                .extracting(Anomaly::getKind, Anomaly::seriesKey)
                .containsExactlyInAnyOrder(
                        tuple(AnomalyKind.DEVICE, "cpu,host=web-1 usage_user"),
                        tuple(AnomalyKind.POPULATION, "cpu,host=h3 usage_user"));
        assertThat(actual).containsExactlyInAnyOrderElementsOf(expected);
    }

    /**
     * Per slice, what the scoring operator's slicer emits: hosts h1–h6 of cpu usage_user at their
     * levels (h3 far off in slice {@value #ODD_SLICE}), web-1's usage_user, load1 and used_percent
     * at their means except two points at 6σ and −5.5σ in slice {@value #ODD_SLICE}; in the first
     * slice web-1's points are not warm yet.
     */
    private static List<List<SeriesSlice>> slices() {
        List<List<SeriesSlice>> slices = new ArrayList<>();
        for (int i = 0; i < SLICES; i++) {
            FleetSlicer slicer = new FleetSlicer(SETTINGS);
            List<SeriesSlice> out = new ArrayList<>();
            long start = T0 + i * MINUTE;
            for (int h = 1; h <= LEVELS.length; h++) {
                double v = h == 3 && i == ODD_SLICE ? 60.0 : LEVELS[h - 1];
                ScoredPoint p = scored("h" + h, "cpu", "usage_user", start + 30_000, v, v, 1);
                slicer.observe(p, Long.MIN_VALUE, out::add);
            }
            boolean odd = i == ODD_SLICE;
            for (int k = 0; k < 6; k++) {
                long ts = start + k * 10_000L;
                boolean spike = odd && k == 2;
                List<ScoredPoint> points =
                        List.of(
                                scored("web-1", "cpu", "usage_user", ts, spike ? 60 : 30, 30, 5),
                                scored(
                                        "web-1",
                                        "system",
                                        "load1",
                                        ts + 1,
                                        spike ? 0.45 : 1,
                                        1,
                                        0.1),
                                normal("web-1", "mem", "used_percent", ts + 2));
                for (ScoredPoint p : points) {
                    p.setWarm(i > 0);
                    slicer.observe(p, Long.MIN_VALUE, out::add);
                }
            }
            slicer.closeAll(out::add);
            slices.add(out);
        }
        return slices;
    }

    private static List<Anomaly> detectedDirectly(List<List<SeriesSlice>> slices) throws Exception {
        List<Anomaly> anomalies = new ArrayList<>();
        try (KeyedOneInputStreamOperatorTestHarness<String, SeriesSlice, Anomaly> devices =
                        harness(
                                new KeyedProcessOperator<>(new DeviceScoreFunction(SETTINGS)),
                                true);
                KeyedOneInputStreamOperatorTestHarness<String, SeriesSlice, Anomaly> populations =
                        harness(
                                new KeyedProcessOperator<>(new PopulationFunction(SETTINGS)),
                                false)) {
            devices.open();
            populations.open();
            for (List<SeriesSlice> slice : slices) {
                for (SeriesSlice s : slice) {
                    devices.processElement(s, s.getSliceEnd() - 1);
                    populations.processElement(s, s.getSliceEnd() - 1);
                }
                long end = slice.get(0).getSliceEnd();
                devices.processWatermark(end - 1);
                populations.processWatermark(end - 1);
            }
            anomalies.addAll(devices.extractOutputValues());
            anomalies.addAll(populations.extractOutputValues());
        }
        return anomalies;
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, SeriesSlice, Anomaly> harness(
            KeyedProcessOperator<String, SeriesSlice, Anomaly> operator, boolean byDevice)
            throws Exception {
        return byDevice
                ? new KeyedOneInputStreamOperatorTestHarness<>(
                        operator, SeriesSlice::getDevice, Types.STRING)
                : new KeyedOneInputStreamOperatorTestHarness<>(
                        operator, SeriesSlice::getPopulation, Types.STRING);
    }

    /**
     * The slices in a job, each slice followed by a tick (a slice neither detector takes) after
     * which the watermark passes the slice's end.
     */
    private static List<Anomaly> detectedInAJob(List<List<SeriesSlice>> slices) throws Exception {
        List<SeriesSlice> input = new ArrayList<>();
        for (List<SeriesSlice> slice : slices) {
            input.addAll(slice);
            SeriesSlice tick = new SeriesSlice();
            tick.setSliceEnd(slice.get(0).getSliceEnd() + 1);
            input.add(tick);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.getConfig().disableGenericTypes();
        DataStream<SeriesSlice> stream =
                env.fromData(input, SeriesSliceSerializer.SeriesSliceTypeInfo.INSTANCE)
                        .assignTimestampsAndWatermarks(
                                WatermarkStrategy.<SeriesSlice>forGenerator(c -> new AfterTicks())
                                        .withTimestampAssigner((s, t) -> s.getSliceEnd() - 1));
        List<Anomaly> anomalies = new ArrayList<>();
        try (CloseableIterator<Anomaly> it =
                Fleet.detect(stream, SETTINGS).executeAndCollect("fleet")) {
            it.forEachRemaining(anomalies::add);
        }
        return anomalies;
    }

    /** A watermark at the timestamp of each tick, none otherwise. */
    private static final class AfterTicks implements WatermarkGenerator<SeriesSlice> {
        @Override
        public void onEvent(SeriesSlice s, long timestamp, WatermarkOutput out) {
            if (!s.hasLatest()) {
                out.emitWatermark(new Watermark(timestamp - 1));
            }
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput out) {}
    }
}
