package dev.vigil.pipeline.detect;

import static dev.vigil.pipeline.detect.ScoringFunctionTest.point;
import static dev.vigil.pipeline.detect.ScoringFunctionTest.process;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.common.model.MetricPoint;
import dev.vigil.common.model.SeriesIdentity;
import dev.vigil.pipeline.config.DetectionSettings;
import dev.vigil.pipeline.model.Anomaly;
import dev.vigil.pipeline.model.AnomalyKind;
import dev.vigil.pipeline.model.ScoredPoint;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.BasicTypeInfo;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A savepoint of the scoring operator written by 0.x round 5 (state "series-state" with Flink state
 * TTL, a processing-time cleanup timer per series) restores into the current operator (state
 * "series", one event-time timer per series) and then behaves exactly as if the current code had
 * run from the start. The fixtures {@code savepoints/scoring-round5-{heap,rocksdb}.snapshot} were
 * written with {@link OperatorSnapshotUtil} by the round-5 code (commit 5ff0cac) from {@link
 * #prefix()}, then a watermark at {@link #SNAPSHOT_WATERMARK} (Bergen is silent by then: its
 * SILENCE was reported, its timer gone; Oslo's timer pending), at processing time 0.
 */
class ScoringStateMigrationTest {

    private static final long T0 = 1_767_225_600_000L;
    private static final long STEP = 10_000L;
    private static final long SNAPSHOT_WATERMARK = T0 + 60 * STEP;
    private static final long TTL = DetectionSettings.defaults().seriesTtlMs;
    private static final String[] OSLO = SeriesIdentity.sortTags("city", "Oslo");
    private static final String[] BERGEN = SeriesIdentity.sortTags("city", "Bergen");

    @ParameterizedTest
    @ValueSource(strings = {"heap", "rocksdb"})
    void aRound5SavepointRestoresAndContinuesExactlyAsAnUninterruptedRun(String backend)
            throws Exception {
        Outputs expected = new Outputs();
        try (var uninterrupted = harness(backend)) {
            uninterrupted.open();
            prefix().forEach(p -> process(uninterrupted, p));
            uninterrupted.processWatermark(new Watermark(SNAPSHOT_WATERMARK));
            uninterrupted.getOutput().clear();
            uninterrupted.getSideOutput(ScoringFunction.ANOMALIES).clear(); // Bergen's SILENCE
            runSuffix(uninterrupted, expected);
        }
        assertThat(expected.anomalies)
                .extracting(Anomaly::getKind)
                .contains(AnomalyKind.SPIKE, AnomalyKind.SILENCE);

        Outputs actual = new Outputs();
        try (var restored = harness(backend)) {
            restored.initializeState(fixture(backend));
            restored.open();
            assertThat(legacyKeys(restored)).isZero();
            assertThat(keys(restored, ScoringFunction.STATE_NAME)).isEqualTo(2);
            // Oslo's SILENCE deadline (restored) and Bergen's new forgetting timer
            assertThat(restored.numEventTimeTimers()).isEqualTo(2);
            // round 5's cleanup timers: they fire within the TTL and do nothing
            assertThat(restored.numProcessingTimeTimers()).isEqualTo(2);
            restored.setProcessingTime(TTL + 1);
            assertThat(restored.numProcessingTimeTimers()).isZero();
            assertThat(restored.getOutput()).isEmpty();

            runSuffix(restored, actual);
            // a checkpoint with the (empty) legacy state, which is never written again
            OperatorSubtaskState afterMigration = restored.snapshot(2L, 0L);
            assertThat(afterMigration.getStateSize()).isPositive();

            restored.processWatermark(new Watermark(T0 + 200 * STEP + TTL));
            assertThat(keys(restored, ScoringFunction.STATE_NAME)).isZero();
            assertThat(keys(restored, ScoringFunction.IDENTITY_STATE_NAME)).isZero();
            assertThat(restored.numEventTimeTimers()).isZero();
        }
        assertThat(actual.scored).hasSize(expected.scored.size()).isEqualTo(expected.scored);
        // Oslo's 121st point last: its state was written back on every point (RocksDB)
        assertThat(actual.scored.get(actual.scored.size() - 1).getSeq()).isEqualTo(121);
        // two SILENCEs at the same time: their order is the timer queue's, per backend
        assertThat(actual.anomalies).containsExactlyInAnyOrderElementsOf(expected.anomalies);
        assertThat(actual.anomalies).hasSize(3);
    }

    @Test
    void legacyEntriesWhoseTtlExpiredAreDropped() throws Exception {
        try (var restored = harness("heap")) {
            restored.setStateTtlProcessingTime(TTL); // round 5's Flink TTL, in processing time
            restored.initializeState(fixture("heap"));
            restored.open();
            assertThat(legacyKeys(restored)).isZero();
            assertThat(restored.numKeyedStateEntries()).isZero();
        }
    }

    @Test
    void aSavepointOfTheCurrentLayoutRestoresAsItWas() throws Exception {
        OperatorSubtaskState current;
        try (var first = harness("heap")) {
            first.open();
            prefix().forEach(p -> process(first, p));
            current = first.snapshot(1L, 0L);
        }
        try (var restored = harness("heap")) {
            restored.initializeState(current);
            restored.open();
            assertThat(legacyKeys(restored)).isZero();
            assertThat(keys(restored, ScoringFunction.STATE_NAME)).isEqualTo(2);
            assertThat(keys(restored, ScoringFunction.IDENTITY_STATE_NAME)).isEqualTo(2);
            assertThat(restored.numEventTimeTimers()).isEqualTo(2);
            assertThat(restored.numProcessingTimeTimers()).isZero();
        }
    }

    // ---------------------------------------------------------------- the scenario

    /** The points the fixtures were written from: Bergen until 30 · STEP, Oslo until 60 · STEP. */
    static List<MetricPoint> prefix() {
        SplittableRandom random = new SplittableRandom(5);
        List<MetricPoint> points = new ArrayList<>();
        for (int i = 0; i <= 60; i++) {
            long ts = T0 + i * STEP;
            if (i <= 30) {
                points.add(point(BERGEN, ts, 5.0 + 0.5 * random.nextGaussian()));
            }
            points.add(point(OSLO, ts, 20.0 + random.nextGaussian()));
        }
        return points;
    }

    /**
     * After the snapshot: Oslo goes on with a spike at 90 · STEP until 120 · STEP, Bergen comes
     * back at 100 · STEP; then event time moves past both series' SILENCE deadlines.
     */
    private static void runSuffix(
            KeyedOneInputStreamOperatorTestHarness<Long, MetricPoint, ScoredPoint> harness,
            Outputs out)
            throws Exception {
        SplittableRandom random = new SplittableRandom(6);
        for (int i = 61; i <= 120; i++) {
            long ts = T0 + i * STEP;
            if (i >= 100) {
                process(harness, point(BERGEN, ts, 5.0 + 0.5 * random.nextGaussian()));
            }
            process(harness, point(OSLO, ts, i == 90 ? 40.0 : 20.0 + random.nextGaussian()));
            harness.processWatermark(new Watermark(ts));
        }
        harness.processWatermark(new Watermark(T0 + 200 * STEP));
        out.scored.addAll(harness.extractOutputValues());
        var anomalies = harness.getSideOutput(ScoringFunction.ANOMALIES);
        if (anomalies != null) {
            out.anomalies.addAll(
                    anomalies.stream().map(StreamRecord::getValue).collect(Collectors.toList()));
        }
    }

    private static final class Outputs {
        final List<ScoredPoint> scored = new ArrayList<>();
        final List<Anomaly> anomalies = new ArrayList<>();
    }

    // ---------------------------------------------------------------- helpers

    private static KeyedOneInputStreamOperatorTestHarness<Long, MetricPoint, ScoredPoint> harness(
            String backend) throws Exception {
        var harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new ScoringOperator(new ScoringFunction(DetectionSettings.defaults())),
                        MetricPoint::getSeriesId,
                        BasicTypeInfo.LONG_TYPE_INFO);
        StateBackend stateBackend =
                "rocksdb".equals(backend)
                        ? new EmbeddedRocksDBStateBackend()
                        : new HashMapStateBackend();
        harness.setStateBackend(stateBackend);
        return harness;
    }

    private OperatorSubtaskState fixture(String backend) throws Exception {
        return OperatorSnapshotUtil.readStateHandle(
                resource("/savepoints/scoring-round5-" + backend + ".snapshot").toString());
    }

    private Path resource(String name) throws URISyntaxException {
        return Paths.get(getClass().getResource(name).toURI());
    }

    @SuppressWarnings("unchecked")
    private static KeyedStateBackend<Long> backend(
            KeyedOneInputStreamOperatorTestHarness<Long, MetricPoint, ScoredPoint> harness) {
        return (KeyedStateBackend<Long>)
                (KeyedStateBackend<?>) harness.getOperator().getKeyedStateBackend();
    }

    private static long keys(
            KeyedOneInputStreamOperatorTestHarness<Long, MetricPoint, ScoredPoint> harness,
            String state) {
        try (Stream<Long> keys = backend(harness).getKeys(state, VoidNamespace.INSTANCE)) {
            return keys.count();
        }
    }

    private static long legacyKeys(
            KeyedOneInputStreamOperatorTestHarness<Long, MetricPoint, ScoredPoint> harness) {
        return keys(harness, ScoringFunction.LEGACY_STATE_NAME);
    }
}
