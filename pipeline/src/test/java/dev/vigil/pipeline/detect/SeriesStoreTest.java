package dev.vigil.pipeline.detect;

import static dev.vigil.pipeline.detect.ScoringFunctionTest.point;
import static dev.vigil.pipeline.detect.ScoringFunctionTest.process;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.common.model.MetricPoint;
import dev.vigil.common.model.SeriesIdentity;
import dev.vigil.pipeline.config.DetectionSettings;
import dev.vigil.pipeline.config.VigilOptions;
import dev.vigil.pipeline.model.Anomaly;
import dev.vigil.pipeline.model.AnomalyKind;
import dev.vigil.pipeline.model.ScoredPoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.BasicTypeInfo;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The write-back cache of series states ({@link SeriesStore}) in front of RocksDB: the scoring
 * operator gives exactly what it gives on the heap backend — with more series than the cache holds
 * (so it fills and is emptied), with SILENCE and forgetting by timers, and across a checkpoint
 * taken in the middle and restored into a new operator.
 */
class SeriesStoreTest {

    private static final long T0 = 1_767_225_600_000L;
    private static final long STEP = 10_000L;
    private static final int SERIES = 8;
    private static final int STEPS = 150;
    private static final int CACHE = 3;

    /** Series 5 stops at step 60 (SILENCE, then forgotten after the TTL). */
    private static final int QUIET_SERIES = 5;

    private static final int QUIET_FROM = 60;

    private static final DetectionSettings SETTINGS =
            DetectionSettings.withOverrides(
                    c -> {
                        c.set(VigilOptions.SERIES_CACHE, CACHE);
                        c.set(VigilOptions.SERIES_TTL, Duration.ofMinutes(20));
                    });

    @Test
    void rocksDbWithTheCacheScoresExactlyAsTheHeapBackend() throws Exception {
        Outputs heap = new Outputs();
        try (var h = harness(false)) {
            h.open();
            assertThat(function(h).seriesStore().cachedSeries()).isZero();
            run(h, 0, STEPS, heap);
            assertThat(function(h).seriesStore().cachedSeries()).isZero(); // never on the heap
        }
        assertThat(heap.anomalies)
                .extracting(Anomaly::getKind)
                .contains(AnomalyKind.SPIKE, AnomalyKind.SILENCE);

        Outputs rocks = new Outputs();
        try (var r = harness(true)) {
            r.open();
            run(r, 0, QUIET_FROM + 10, rocks);
            assertThat(function(r).seriesStore().cachedSeries()).isBetween(1, CACHE);
            assertThat(function(r).seriesStore().dirtySeries()).isPositive();
            run(r, QUIET_FROM + 10, STEPS, rocks);
            // every series forgotten: the backend is empty, the cache knows they have no state
            assertThat(keys(r)).isZero();
            assertThat(function(r).seriesStore().dirtySeries()).isZero();
        }
        assertThat(rocks.scored).hasSize(heap.scored.size()).isEqualTo(heap.scored);
        assertThat(rocks.anomalies).containsExactlyInAnyOrderElementsOf(heap.anomalies);
    }

    @Test
    void aCheckpointHoldsTheCachedStatesAndRestores() throws Exception {
        Outputs uninterrupted = new Outputs();
        try (var h = harness(false)) {
            h.open();
            run(h, 0, STEPS, uninterrupted);
        }

        Outputs checkpointed = new Outputs();
        OperatorSubtaskState snapshot;
        try (var first = harness(true)) {
            first.open();
            run(first, 0, 40, checkpointed);
            assertThat(function(first).seriesStore().dirtySeries()).isPositive();
            first.prepareSnapshotPreBarrier(1L);
            assertThat(function(first).seriesStore().dirtySeries()).isZero();
            assertThat(keys(first)).isEqualTo(SERIES);
            snapshot = first.snapshot(1L, 0L);
        }
        try (var restored = harness(true)) {
            restored.initializeState(snapshot);
            restored.open();
            run(restored, 40, STEPS, checkpointed);
        }
        assertThat(checkpointed.scored)
                .hasSize(uninterrupted.scored.size())
                .isEqualTo(uninterrupted.scored);
        assertThat(checkpointed.anomalies)
                .containsExactlyInAnyOrderElementsOf(uninterrupted.anomalies);
    }

    @Test
    void aCacheOfZeroSeriesIsOff() throws Exception {
        DetectionSettings off =
                DetectionSettings.withOverrides(c -> c.set(VigilOptions.SERIES_CACHE, 0));
        try (var r = harness(true, off)) {
            r.open();
            process(r, point(tags(0), T0, 1.0));
            assertThat(function(r).seriesStore().cachedSeries()).isZero();
            assertThat(keys(r)).isEqualTo(1);
        }
    }

    // ---------------------------------------------------------------- the scenario

    /**
     * Steps {@code from} (inclusive) to {@code to} (exclusive): every series a noisy point per step
     * (series 5 only before {@link #QUIET_FROM}), a spike in series 2 at step 100, a watermark per
     * step; at the last step, event time moves past every series' TTL.
     */
    private static void run(
            KeyedOneInputStreamOperatorTestHarness<Long, MetricPoint, ScoredPoint> h,
            int from,
            int to,
            Outputs out)
            throws Exception {
        for (int i = from; i < to; i++) {
            long ts = T0 + i * STEP;
            SplittableRandom random = new SplittableRandom(i);
            for (int s = 0; s < SERIES; s++) {
                double noise = random.nextGaussian();
                if (s == QUIET_SERIES && i >= QUIET_FROM) {
                    continue;
                }
                double value = (s == 2 && i == 100) ? 60.0 : 10.0 * s + noise;
                process(h, point(tags(s), ts, value));
            }
            h.processWatermark(new Watermark(ts));
        }
        if (to == STEPS) {
            h.processWatermark(new Watermark(T0 + STEPS * STEP + SETTINGS.seriesTtlMs + 1));
        }
        out.scored.addAll(h.extractOutputValues());
        h.getOutput().clear();
        var anomalies = h.getSideOutput(ScoringFunction.ANOMALIES);
        if (anomalies != null) {
            out.anomalies.addAll(
                    anomalies.stream().map(StreamRecord::getValue).collect(Collectors.toList()));
            anomalies.clear();
        }
    }

    private static String[] tags(int series) {
        return SeriesIdentity.sortTags("city", "C" + series);
    }

    private static final class Outputs {
        final List<ScoredPoint> scored = new ArrayList<>();
        final List<Anomaly> anomalies = new ArrayList<>();
    }

    // ---------------------------------------------------------------- helpers

    private static KeyedOneInputStreamOperatorTestHarness<Long, MetricPoint, ScoredPoint> harness(
            boolean rocksDb) throws Exception {
        return harness(rocksDb, SETTINGS);
    }

    private static KeyedOneInputStreamOperatorTestHarness<Long, MetricPoint, ScoredPoint> harness(
            boolean rocksDb, DetectionSettings settings) throws Exception {
        var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new ScoringOperator(new ScoringFunction(settings)),
                        MetricPoint::getSeriesId,
                        BasicTypeInfo.LONG_TYPE_INFO);
        h.setStateBackend(rocksDb ? new EmbeddedRocksDBStateBackend() : new HashMapStateBackend());
        return h;
    }

    private static ScoringFunction function(
            KeyedOneInputStreamOperatorTestHarness<Long, MetricPoint, ScoredPoint> h) {
        return (ScoringFunction) ((ScoringOperator) h.getOperator()).getUserFunction();
    }

    @SuppressWarnings("unchecked")
    private static long keys(
            KeyedOneInputStreamOperatorTestHarness<Long, MetricPoint, ScoredPoint> h) {
        KeyedStateBackend<Long> backend =
                (KeyedStateBackend<Long>)
                        (KeyedStateBackend<?>) h.getOperator().getKeyedStateBackend();
        try (Stream<Long> keys =
                backend.getKeys(ScoringFunction.STATE_NAME, VoidNamespace.INSTANCE)) {
            return keys.count();
        }
    }
}
