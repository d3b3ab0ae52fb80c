package dev.vigil.pipeline.fleet;

import static dev.vigil.pipeline.fleet.FleetPoints.normal;
import static dev.vigil.pipeline.fleet.FleetPoints.scored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.pipeline.config.DetectionSettings;
import dev.vigil.pipeline.model.Anomaly;
import dev.vigil.pipeline.model.AnomalyKind;
import dev.vigil.pipeline.model.ScoredPoint;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Defaults: slices of 1 min, ε_device = {@value #EPSILON}, at least 2 metrics outside the band. The
 * device web-1 has three metrics (usage_user, load1, used_percent), each reporting every 10 s.
 */
class DeviceScoreFunctionTest {

    private static final DetectionSettings SETTINGS = DetectionSettings.defaults();
    private static final double EPSILON = 1e-6;
    private static final long MINUTE = 60_000L;
    private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z, a slice start

    /** The job's operator (open slices on the heap) on the heap backend. */
    private DeviceScoreOperator operator;

    private KeyedOneInputStreamOperatorTestHarness<String, SeriesSlice, Anomaly> harness;

    @BeforeEach
    void open() throws Exception {
        assertThat(SETTINGS.deviceEpsilon).isEqualTo(EPSILON);
        operator = new DeviceScoreOperator(SETTINGS);
        harness = harnessOf(operator, false);
        harness.open();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, SeriesSlice, Anomaly> harnessOf(
            OneInputStreamOperator<SeriesSlice, Anomaly> operator, boolean rocksDb)
            throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, SeriesSlice, Anomaly> h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        operator, SeriesSlice::getDevice, Types.STRING);
        h.setStateBackend(rocksDb ? new EmbeddedRocksDBStateBackend() : new HashMapStateBackend());
        return h;
    }

    /**
     * Feeds one scored point, as a one-point slice summary (what per-point input amounts to), as
     * this detector's shuffle delivers it ({@link DeviceEdgeSerializer}).
     */
    private void process(ScoredPoint p, long ts) throws Exception {
        process(harness, p, ts);
    }

    private static void process(
            KeyedOneInputStreamOperatorTestHarness<String, SeriesSlice, Anomaly> h,
            ScoredPoint p,
            long ts)
            throws Exception {
        h.processElement(
                FleetPoints.overTheWire(FleetPoints.single(p), DeviceEdgeSerializer.INSTANCE), ts);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    /**
     * One slice of web-1 starting at {@code start}: six points per metric, the 3rd of usage_user at
     * z = {@code zCpu} and of load1 at z = {@code zLoad}, the rest at their mean.
     */
    private void slice(long start, double zCpu, double zLoad) throws Exception {
        rounds(harness, start, zCpu, zLoad, 0, 6);
    }

    /** Rounds {@code [from, to)} of the six of {@link #slice}. */
    private static void rounds(
            KeyedOneInputStreamOperatorTestHarness<String, SeriesSlice, Anomaly> h,
            long start,
            double zCpu,
            double zLoad,
            int from,
            int to)
            throws Exception {
        for (int i = from; i < to; i++) {
            long ts = start + i * 10_000L;
            process(
                    h,
                    scored("web-1", "cpu", "usage_user", ts, i == 2 ? 30 + zCpu * 5 : 30, 30, 5),
                    ts);
            process(
                    h,
                    scored(
                            "web-1",
                            "system",
                            "load1",
                            ts + 1,
                            i == 2 ? 1 + zLoad * 0.1 : 1,
                            1,
                            0.1),
                    ts + 1);
            process(h, normal("web-1", "mem", "used_percent", ts + 2), ts + 2);
        }
    }

    @Test
    void severalMetricsDeviatingTogetherAreOneDeviceAnomaly() throws Exception {
        slice(T0, 6, -5.5);
        harness.processWatermark(T0 + MINUTE - 2);
        assertThat(harness.extractOutputValues()).isEmpty();

        harness.processWatermark(T0 + MINUTE - 1);

        List<Anomaly> out = harness.extractOutputValues();
        assertThat(out).hasSize(1);
        Anomaly a = out.get(0);
        assertThat(a.getKind()).isEqualTo(AnomalyKind.DEVICE);
        assertThat(a.getSeriesId()).isEqualTo(FleetPoints.seriesId("web-1", "cpu", "usage_user"));
        assertThat(a.seriesKey()).isEqualTo("cpu,host=web-1 usage_user");
        assertThat(a.getStart()).isEqualTo(T0 + 20_000);
        assertThat(a.getEnd()).isEqualTo(T0 + 20_001);
        assertThat(a.getObserved()).isEqualTo(60.0);
        assertThat(a.getExpected()).isEqualTo(30.0);
        assertThat(a.getLower()).isEqualTo(15.0);
        assertThat(a.getUpper()).isEqualTo(45.0);
        // p(6σ)·6 and p(5.5σ)·6 (Šidák), 1 for used_percent; Fisher over 3 metrics → 1.6e-12 (see
        // FleetMathTest for the formula)
        assertThat(a.getDescription())
                .isEqualTo(
                        "web-1 acting unusual: 2 of 3 metrics deviate together (usage_user z=6.0,"
                                + " load1 z=-5.5), combined p=1.6e-12");
        assertThat(a.getSeverity()).isCloseTo(100.0, within(1e-9));
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numKeyedStateEntries())
                .as("only the last deviating slice is kept")
                .isEqualTo(1);
    }

    @Test
    void infiniteDeviationsAreTheMostImprobable() throws Exception {
        long ts = T0 + 5_000;
        ScoredPoint cpu = scored("web-1", "cpu", "usage_user", ts, 60, 30, 5);
        cpu.setZ(Double.POSITIVE_INFINITY);
        process(cpu, ts);
        process(scored("web-1", "system", "load1", ts, 2, 1, 0.1), ts);
        harness.processWatermark(T0 + MINUTE);

        List<Anomaly> out = harness.extractOutputValues();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).getSeverity()).isEqualTo(100.0);
        assertThat(out.get(0).getDescription())
                .isEqualTo(
                        "web-1 acting unusual: 2 of 2 metrics deviate together (usage_user"
                                + " z=Infinity, load1 z=10.0), combined p=0");
    }

    @Test
    void oneDeviatingMetricIsNotADeviceAnomaly() throws Exception {
        slice(T0, 12, 0);
        harness.processWatermark(T0 + 2 * MINUTE);
        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void metricsOutsideTheirBandButNotImprobableEnoughAreNotFlagged() throws Exception {
        slice(T0, 3.5, 3.5);
        harness.processWatermark(T0 + 2 * MINUTE);
        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void anExcursionOverSeveralSlicesIsReportedOnce() throws Exception {
        slice(T0, 6, 6);
        slice(T0 + MINUTE, 7, 7);
        slice(T0 + 2 * MINUTE, 3.5, 0); // still deviating: the excursion goes on
        slice(T0 + 3 * MINUTE, 6, 6);
        harness.processWatermark(T0 + 4 * MINUTE);
        assertThat(harness.extractOutputValues()).hasSize(1);

        slice(T0 + 4 * MINUTE, 0, 0); // calm: the excursion is over
        slice(T0 + 5 * MINUTE, 6, 6);
        harness.processWatermark(T0 + 6 * MINUTE);

        List<Anomaly> out = harness.extractOutputValues();
        assertThat(out).hasSize(2);
        assertThat(out.get(1).getStart()).isEqualTo(T0 + 5 * MINUTE + 20_000);
    }

    @Test
    void aGapWithoutPointsEndsTheExcursion() throws Exception {
        slice(T0, 6, 6);
        slice(T0 + 2 * MINUTE, 6, 6);
        harness.processWatermark(T0 + 3 * MINUTE);
        assertThat(harness.extractOutputValues()).hasSize(2);
    }

    @Test
    void slicesAreSeparateWhenPointsOfTheNextArriveEarly() throws Exception {
        // the 2nd slice's points arrive before the 1st slice's timer fires
        slice(T0, 6, 0);
        slice(T0 + MINUTE, 0, 6);
        assertThat(operator.function().openSlices()).isEqualTo(2);
        harness.processWatermark(T0 + 2 * MINUTE);
        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    /**
     * Between checkpoints the open slices are only on the heap; a checkpoint barrier writes them to
     * the keyed state with their timers, and a job restored from it goes on exactly as one that was
     * not interrupted — the restored slice's timer is deleted when the watermark evaluates it.
     */
    @ParameterizedTest(name = "RocksDB: {0}")
    @ValueSource(booleans = {false, true})
    void aCheckpointWithOpenSlicesRestoresToTheSameAnomalies(boolean rocksDb) throws Exception {
        List<Anomaly> uninterrupted;
        try (var h = harnessOf(new DeviceScoreOperator(SETTINGS), rocksDb)) {
            h.open();
            rounds(h, T0, 6, -5.5, 0, 6);
            rounds(h, T0 + MINUTE, 0, 0, 0, 6);
            rounds(h, T0 + 2 * MINUTE, 7, 7, 0, 6);
            h.processWatermark(T0 + 3 * MINUTE);
            uninterrupted = h.extractOutputValues();
        }
        assertThat(uninterrupted).hasSize(2);

        DeviceScoreOperator first = new DeviceScoreOperator(SETTINGS);
        OperatorSubtaskState snapshot;
        try (var h = harnessOf(first, rocksDb)) {
            h.open();
            rounds(h, T0, 6, -5.5, 0, 3);
            rounds(h, T0 + MINUTE, 0, 0, 0, 1); // the next slice opens early
            assertThat(first.function().openSlices()).isEqualTo(2);
            assertThat(devicesWithSlicesInState(h)).isZero();
            assertThat(h.numEventTimeTimers()).isZero();

            h.prepareSnapshotPreBarrier(1L);
            snapshot = h.snapshot(1L, 0L);

            assertThat(devicesWithSlicesInState(h)).isEqualTo(1);
            assertThat(h.numEventTimeTimers()).as("one per open slice").isEqualTo(2);
        }
        DeviceScoreOperator restored = new DeviceScoreOperator(SETTINGS);
        try (var h = harnessOf(restored, rocksDb)) {
            h.initializeState(snapshot);
            h.open();
            assertThat(restored.function().openSlices()).isEqualTo(2);
            rounds(h, T0, 6, -5.5, 3, 6);
            rounds(h, T0 + MINUTE, 0, 0, 1, 6);
            rounds(h, T0 + 2 * MINUTE, 7, 7, 0, 6);
            h.processWatermark(T0 + 3 * MINUTE);

            assertThat(h.extractOutputValues()).isEqualTo(uninterrupted);
            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(devicesWithSlicesInState(h)).isZero();
        }
    }

    private static long devicesWithSlicesInState(
            KeyedOneInputStreamOperatorTestHarness<String, SeriesSlice, Anomaly> h) {
        AbstractStreamOperator<?> operator = (AbstractStreamOperator<?>) h.getOperator();
        KeyedStateBackend<String> backend = operator.getKeyedStateBackend();
        try (Stream<String> devices =
                backend.getKeys(DeviceScoreFunction.SLICES_STATE, VoidNamespace.INSTANCE)) {
            return devices.count();
        }
    }

    /**
     * A savepoint of the plain function (open slices in "device-slices", a timer each: vigil 0.x up
     * to round 9) restores into the operator and gives the same anomalies.
     */
    @ParameterizedTest(name = "RocksDB: {0}")
    @ValueSource(booleans = {false, true})
    void aSavepointOfThePlainFunctionRestores(boolean rocksDb) throws Exception {
        OperatorSubtaskState snapshot;
        try (var h =
                harnessOf(new KeyedProcessOperator<>(new DeviceScoreFunction(SETTINGS)), rocksDb)) {
            h.open();
            rounds(h, T0, 6, -5.5, 0, 3);
            snapshot = h.snapshot(1L, 0L);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
        }
        try (var h = harnessOf(new DeviceScoreOperator(SETTINGS), rocksDb)) {
            h.initializeState(snapshot);
            h.open();
            rounds(h, T0, 6, -5.5, 3, 6);
            h.processWatermark(T0 + MINUTE - 1);

            List<Anomaly> out = h.extractOutputValues();
            assertThat(out).hasSize(1);
            assertThat(out.get(0).getDescription())
                    .isEqualTo(
                            "web-1 acting unusual: 2 of 3 metrics deviate together (usage_user"
                                    + " z=6.0, load1 z=-5.5), combined p=1.6e-12");
            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(devicesWithSlicesInState(h)).isZero();
        }
    }

    @Test
    void coldAndLatePointsAreIgnored() throws Exception {
        ScoredPoint cold = scored("web-1", "cpu", "usage_user", T0, 90, 30, 5);
        cold.setWarm(false);
        process(cold, T0);
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numKeyedStateEntries()).isZero();

        harness.processWatermark(T0 + MINUTE);
        slice(T0, 6, 6); // its slice is closed
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void devicesAreKeyedByDeviceTagThenHostTag() {
        assertThat(FleetKeys.device(normal("web-1", "cpu", "usage_user", T0))).isEqualTo("web-1");
        assertThat(
                        FleetKeys.device(
                                new dev.vigil.common.model.MetricPoint(
                                        "environment",
                                        new String[] {"device", "dev-1", "host", "gw"},
                                        "temperature",
                                        T0,
                                        1)))
                .isEqualTo("dev-1");
        assertThat(
                        FleetKeys.device(
                                new dev.vigil.common.model.MetricPoint(
                                        "environment",
                                        new String[] {"device", "", "site", "x"},
                                        "temperature",
                                        T0,
                                        1)))
                .isNull();
        assertThat(FleetKeys.device(normal("web-1", "cpu", "usage_user", T0).getPoint()))
                .isEqualTo("web-1");
    }

    @Test
    void populationsAreTheSeriesKeyWithoutMemberTags() {
        String[] memberTags = SETTINGS.populationMemberTags;
        assertThat(memberTags).containsExactly("device", "host", "id", "city");
        assertThat(FleetKeys.population(normal("web-1", "cpu", "usage_user", T0), memberTags))
                .isEqualTo("cpu usage_user");
        ScoredPoint sensor = normal("x", "environment", "temperature", T0);
        sensor.getPoint()
                .setTags(new String[] {"city", "Pune", "device", "dev-1", "id", "D1", "site", "a"});
        assertThat(FleetKeys.population(sensor, memberTags))
                .isEqualTo("environment,site=a temperature");
        String[] collectd = {
            "host", "db-1", "plugin", "cpu", "plugin_instance", "0", "type", "percent"
        };
        ScoredPoint cpu = normal("db-1", "collectd", "value", T0);
        cpu.getPoint().setTags(collectd);
        assertThat(FleetKeys.population(cpu, memberTags))
                .isEqualTo("collectd,plugin=cpu,plugin_instance=0,type=percent value");
        assertThat(FleetKeys.metricLabel("collectd", collectd, "value", memberTags))
                .isEqualTo("cpu/0/percent");
        assertThat(
                        FleetKeys.metricLabel(
                                "collectd", new String[] {"host", "h"}, "value", memberTags))
                .isEqualTo("collectd value");
        assertThat(FleetKeys.metricLabel("cpu", collectd, "usage_user", memberTags))
                .isEqualTo("usage_user");
    }
}
