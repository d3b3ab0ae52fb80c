package dev.vigil.pipeline.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.common.model.MetricPoint;
import dev.vigil.common.model.SeriesIdentity;
import dev.vigil.pipeline.config.DetectionSettings;
import dev.vigil.pipeline.config.VigilOptions;
import dev.vigil.pipeline.fleet.SeriesSlice;
import dev.vigil.pipeline.model.Anomaly;
import dev.vigil.pipeline.model.AnomalyKind;
import dev.vigil.pipeline.model.ScoredPoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.BasicTypeInfo;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;

class ScoringFunctionTest {

    /**
     * Keyed state entries per series: "series" and, while the series reports (no watermark here),
     * "series-identity".
     */
    private static final int STATES_PER_SERIES = 2;

    private static final DetectionSettings DEFAULTS = DetectionSettings.defaults();
    private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
    private static final long STEP = 10_000L;
    private static final String[] OSLO = SeriesIdentity.sortTags("city", "Oslo");
    private static final String[] BERGEN = SeriesIdentity.sortTags("city", "Bergen");

    // ---------------------------------------------------------------- scoring

    @Test
    void scoredPointsMatchTheRunningStatsComputedDirectly() throws Exception {
        ScoringFunction fn = new ScoringFunction(DEFAULTS);
        try (var harness = open(fn)) {
            List<MetricPoint> points = noisy(OSLO, 0, 100, 20.0, 1.0, 5);
            for (MetricPoint p : points) {
                process(harness, p);
            }
            List<ScoredPoint> out = harness.extractOutputValues();
            assertThat(out).hasSize(100);

            RunningStats model = new RunningStats();
            for (int i = 0; i < points.size(); i++) {
                MetricPoint p = points.get(i);
                Score score = model.score(p.getValue(), DEFAULTS);
                ScoredPoint sp = out.get(i);
                assertThat(sp.getPoint()).isEqualTo(p);
                assertThat(sp.getSeq()).isEqualTo(i + 1);
                assertThat(sp.isWarm()).isEqualTo(i >= 30);
                assertThat(sp.getMean()).isEqualTo(score.mean());
                assertThat(sp.getStd()).isEqualTo(score.std());
                assertThat(sp.getZ()).isEqualTo(score.z());
                assertThat(sp.getP()).isEqualTo(score.p());
                assertThat(sp.getSeverity()).isEqualTo(score.severity());
                assertThat(sp.getLower()).isEqualTo(score.lower());
                assertThat(sp.getUpper()).isEqualTo(score.upper());
                assertThat(sp.getPreviousValue()).isEqualTo(Double.valueOf(model.previousValue()));
                assertThat(sp.getPreviousTimestamp()).isEqualTo(model.previousTimestamp());
                assertThat(sp.getTypicalIntervalMs()).isEqualTo(model.getTypicalIntervalMs());
                model.update(p.getValue(), p.getTimestamp(), DEFAULTS);
            }
            assertThat(fn.scoredPointCount()).isEqualTo(100);
            assertThat(sideOutput(harness, ScoringFunction.ANOMALIES)).isEmpty();
        }
    }

    @Test
    void firstPointsOfASeries() throws Exception {
        try (var harness = open(new ScoringFunction(DEFAULTS))) {
            process(harness, point(OSLO, T0, 19.0));
            process(harness, point(OSLO, T0 + STEP, 21.0));
            process(harness, point(OSLO, T0 + 2 * STEP, 20.0));
            List<ScoredPoint> out = harness.extractOutputValues();

            ScoredPoint first = out.get(0);
            assertThat(first.getSeq()).isEqualTo(1);
            assertThat(first.isWarm()).isFalse();
            assertThat(first.getMean()).isEqualTo(19.0);
            assertThat(first.getZ()).isZero();
            assertThat(first.getP()).isEqualTo(1.0);
            assertThat(first.getSeverity()).isZero();
            assertThat(first.getPreviousValue()).isNaN();
            assertThat(first.getPreviousTimestamp()).isEqualTo(Long.MIN_VALUE);
            assertThat(first.getTypicalIntervalMs()).isZero();

            ScoredPoint second = out.get(1);
            assertThat(second.getSeq()).isEqualTo(2);
            assertThat(second.getMean()).isEqualTo(19.0); // baseline before the point
            assertThat(second.getStd()).isEqualTo(19.0 * 1e-7); // σ floor
            assertThat(second.getPreviousValue()).isEqualTo(19.0);
            assertThat(second.getPreviousTimestamp()).isEqualTo(T0);
            assertThat(second.getTypicalIntervalMs()).isZero();

            ScoredPoint third = out.get(2);
            assertThat(third.getSeq()).isEqualTo(3);
            assertThat(third.getMean()).isEqualTo(20.0); // (19 + 21) / 2
            assertThat(third.getStd()).isEqualTo(1.0); // population σ of {19, 21}
            assertThat(third.getZ()).isZero();
            assertThat(third.getLower()).isEqualTo(17.0);
            assertThat(third.getUpper()).isEqualTo(23.0);
            assertThat(third.getTypicalIntervalMs()).isEqualTo(10_000.0);
        }
    }

    @Test
    void everyPointCarriesItsRunOfEqualValues() throws Exception {
        List<MetricPoint> input = alternating(OSLO, 0, 40, 19.0, 21.0); // warm and varying
        for (int i = 40; i < 43; i++) {
            input.add(point(OSLO, T0 + i * STEP, 20.5));
        }
        input.add(point(OSLO, T0 + 43 * STEP, 19.5));
        try (var harness = open(new ScoringFunction(DEFAULTS))) {
            input.forEach(p -> process(harness, p));
            List<ScoredPoint> out = harness.extractOutputValues();

            assertThat(out.subList(38, 44))
                    .extracting(ScoredPoint::getRunLength, ScoredPoint::isRunStartVaried)
                    .containsExactly(
                            tuple(1, true),
                            tuple(1, true),
                            tuple(1, true),
                            tuple(2, true),
                            tuple(3, true),
                            tuple(1, true));
            assertThat(out.get(0).getRunLength()).isEqualTo(1);
            assertThat(out.get(0).isRunStartVaried()).isFalse(); // not warm
        }
    }

    @Test
    void aRunKeepsTheFlagOfItsFirstPointThatBeganDuringWarmUp() throws Exception {
        List<MetricPoint> input = alternating(OSLO, 0, 29, 19.0, 21.0);
        for (int i = 29; i < 34; i++) { // point 29 is the last of the warm-up (30 points)
            input.add(point(OSLO, T0 + i * STEP, 20.5));
        }
        try (var harness = open(new ScoringFunction(DEFAULTS))) {
            input.forEach(p -> process(harness, p));
            List<ScoredPoint> out = harness.extractOutputValues();

            assertThat(out.get(29).isWarm()).isFalse();
            assertThat(out.get(33).isWarm()).isTrue();
            assertThat(out.subList(29, 34))
                    .extracting(ScoredPoint::getRunLength, ScoredPoint::isRepeatOfVaryingRun)
                    .containsExactly(
                            tuple(1, false),
                            tuple(2, false),
                            tuple(3, false),
                            tuple(4, false),
                            tuple(5, false));
        }
    }

    // ---------------------------------------------------------------- spikes

    @Test
    void noSpikeDuringWarmUp() throws Exception {
        ScoringFunction fn = new ScoringFunction(DEFAULTS);
        try (var harness = open(fn)) {
            List<MetricPoint> points = alternating(OSLO, 0, 29, 19.0, 21.0);
            points.add(point(OSLO, T0 + 29 * STEP, 1000.0)); // 30th point: 29 < 30 before it
            points.forEach(p -> process(harness, p));
            ScoredPoint last = lastOutput(harness);
            assertThat(last.isWarm()).isFalse();
            assertThat(last.getSeverity()).isEqualTo(100.0);
            assertThat(sideOutput(harness, ScoringFunction.ANOMALIES)).isEmpty();
            assertThat(fn.spikeCount()).isZero();
        }
    }

    @Test
    void oneSpikePerExcursion() throws Exception {
        ScoringFunction fn = new ScoringFunction(DEFAULTS);
        try (var harness = open(fn)) {
            alternating(OSLO, 0, 40, 19.0, 21.0).forEach(p -> process(harness, p));
            MetricPoint spike = point(OSLO, T0 + 40 * STEP, 48.2);
            process(harness, spike); // point 41: warm, z = 28.2
            for (int i = 41; i < 46; i++) {
                process(harness, point(OSLO, T0 + i * STEP, 48.2)); // still outside: no SPIKE
            }
            alternating(OSLO, 46, 4, 19.0, 21.0).forEach(p -> process(harness, p)); // back inside
            MetricPoint dip = point(OSLO, T0 + 50 * STEP, 5.0);
            process(harness, dip); // a new excursion, below

            List<Anomaly> anomalies = sideOutput(harness, ScoringFunction.ANOMALIES);
            assertThat(anomalies).hasSize(2);
            assertThat(fn.spikeCount()).isEqualTo(2);

            Anomaly a = anomalies.get(0);
            ScoredPoint scored = harness.extractOutputValues().get(40);
            assertThat(a.getKind()).isEqualTo(AnomalyKind.SPIKE);
            assertThat(a.getSeriesId()).isEqualTo(spike.getSeriesId());
            assertThat(a.getMeasurement()).isEqualTo("environment");
            assertThat(a.getField()).isEqualTo("temperature");
            assertThat(a.getTags()).containsExactly("city", "Oslo");
            assertThat(a.getStart()).isEqualTo(T0 + 40 * STEP);
            assertThat(a.getEnd()).isEqualTo(T0 + 40 * STEP);
            assertThat(a.getObserved()).isEqualTo(48.2);
            assertThat(a.getExpected()).isEqualTo(scored.getMean()).isCloseTo(20.0, within(1e-12));
            assertThat(a.getLower()).isEqualTo(scored.getLower()).isCloseTo(17.0, within(1e-12));
            assertThat(a.getUpper()).isEqualTo(scored.getUpper()).isCloseTo(23.0, within(1e-12));
            assertThat(a.getSeverity()).isEqualTo(100.0);
            assertThat(a.getDescription())
                    .isEqualTo(
                            "temperature of environment,city=Oslo: 48.2 is 28.2σ above the"
                                    + " expected 20.0 (band 17.0–23.0); detectors: robust z=21.7,"
                                    + " rate z=14.8");

            Anomaly below = anomalies.get(1);
            assertThat(below.getStart()).isEqualTo(T0 + 50 * STEP);
            assertThat(below.getObserved()).isEqualTo(5.0);
            assertThat(below.getDescription()).contains(": 5.0 is ").contains("σ below the");
        }
    }

    @Test
    void levelShiftGivesOneSpikeAndTheBandFollowsWithinLevelShiftPoints() throws Exception {
        ScoringFunction fn = new ScoringFunction(DEFAULTS);
        try (var harness = open(fn)) {
            alternating(OSLO, 0, 100, 19.0, 21.0).forEach(p -> process(harness, p));
            alternating(OSLO, 100, 40, 29.0, 31.0).forEach(p -> process(harness, p)); // +10σ
            List<ScoredPoint> out = harness.extractOutputValues();
            int shiftPoints = DEFAULTS.levelShiftPoints; // 8
            for (int i = 100; i < 140; i++) {
                ScoredPoint sp = out.get(i);
                assertThat(sp.outsideBand()).as("point %d", i).isEqualTo(i < 100 + shiftPoints);
            }
            ScoredPoint afterShift = out.get(100 + shiftPoints);
            assertThat(afterShift.getMean()).isCloseTo(30.0, within(1e-9));
            assertThat(afterShift.getLower()).isLessThan(29.0);
            assertThat(afterShift.getUpper()).isGreaterThan(31.0);
            List<Anomaly> anomalies = sideOutput(harness, ScoringFunction.ANOMALIES);
            assertThat(anomalies).hasSize(1);
            assertThat(anomalies.get(0).getStart()).isEqualTo(T0 + 100 * STEP);
        }
    }

    // ---------------------------------------------------------------- late and odd points

    @Test
    void latePointsGoToTheSideOutputUnscored() throws Exception {
        ScoringFunction fn = new ScoringFunction(DEFAULTS);
        try (var harness = open(fn)) {
            process(harness, point(OSLO, T0, 19.0));
            harness.processWatermark(T0 + 5 * STEP);
            MetricPoint late = point(OSLO, T0 + 5 * STEP - 1, 21.0);
            MetricPoint onTime = point(OSLO, T0 + 5 * STEP, 21.0); // == watermark: not late
            process(harness, late);
            process(harness, onTime);

            assertThat(sideOutput(harness, ScoringFunction.LATE_POINTS)).containsExactly(late);
            List<ScoredPoint> out = harness.extractOutputValues();
            assertThat(out)
                    .extracting(ScoredPoint::getPoint)
                    .containsExactly(out.get(0).getPoint(), onTime);
            assertThat(out.get(1).getSeq()).isEqualTo(2);
            assertThat(out.get(1).getPreviousValue()).isEqualTo(19.0);
            assertThat(fn.latePointCount()).isEqualTo(1);
            assertThat(fn.scoredPointCount()).isEqualTo(2);
        }
    }

    @Test
    void nonFiniteValuesAreDroppedWithoutThrowing() throws Exception {
        ScoringFunction fn = new ScoringFunction(DEFAULTS);
        try (var harness = open(fn)) {
            process(harness, point(OSLO, T0, 19.0));
            process(harness, point(OSLO, T0 + STEP, Double.NaN));
            process(harness, point(OSLO, T0 + 2 * STEP, Double.NEGATIVE_INFINITY));
            process(harness, point(OSLO, T0 + 3 * STEP, 21.0));
            List<ScoredPoint> out = harness.extractOutputValues();
            assertThat(out).hasSize(2);
            assertThat(out.get(1).getSeq()).isEqualTo(2);
            assertThat(out.get(1).getMean()).isEqualTo(19.0);
            assertThat(fn.invalidPointCount()).isEqualTo(2);
        }
    }

    @Test
    void seriesAreIndependent() throws Exception {
        try (var harness = open(new ScoringFunction(DEFAULTS))) {
            process(harness, point(OSLO, T0, 19.0));
            process(harness, point(BERGEN, T0, 5.0));
            process(harness, point(OSLO, T0 + STEP, 21.0));
            process(harness, point(BERGEN, T0 + STEP, 7.0));
            List<ScoredPoint> out = harness.extractOutputValues();
            assertThat(out).extracting(ScoredPoint::getSeq).containsExactly(1L, 1L, 2L, 2L);
            assertThat(out.get(2).getMean()).isEqualTo(19.0);
            assertThat(out.get(3).getMean()).isEqualTo(5.0);
            assertThat(harness.numKeyedStateEntries()).isEqualTo(2 * STATES_PER_SERIES);
        }
    }

    // ---------------------------------------------------------------- fleet slices

    @Test
    void deviceSeriesSendOneFleetSlicePerSliceAndTheLastOneWhenEventTimeMovesOn() throws Exception {
        String[] web1 = SeriesIdentity.sortTags("host", "web-1", "cpu", "cpu-total");
        try (var harness = open(new ScoringFunction(DEFAULTS))) {
            for (int i = 0; i < 12; i++) { // two 1-min slices, 10 s apart
                process(harness, new MetricPoint("cpu", web1, "usage_user", T0 + i * STEP, i));
                process(harness, point(OSLO, T0 + i * STEP, 20.0)); // no device: no slices
            }
            List<SeriesSlice> slices = sideOutput(harness, ScoringFunction.FLEET_SLICES);
            assertThat(slices).as("the first slice leaves with the next slice's point").hasSize(1);

            harness.processWatermark(T0 + 2 * 60_000L - 1);

            slices = sideOutput(harness, ScoringFunction.FLEET_SLICES);
            assertThat(slices).hasSize(2);
            assertThat(slices)
                    .extracting(SeriesSlice::getSliceEnd)
                    .containsExactly(T0 + 60_000L, T0 + 120_000L);
            SeriesSlice last = slices.get(1);
            assertThat(last.getDevice()).isEqualTo("web-1");
            assertThat(last.getPopulation()).isEqualTo("cpu,cpu=cpu-total usage_user");
            assertThat(last.getMeasurement()).isEqualTo("cpu");
            assertThat(last.getTags()).isEqualTo(web1);
            assertThat(last.getLatestTimestamp()).isEqualTo(T0 + 11 * STEP);
            assertThat(last.getLatestValue()).isEqualTo(11.0);
            assertThat(last.getWarmPoints()).as("not warm after 12 points").isZero();
            assertThat(harness.numKeyedStateEntries()).isEqualTo(2 * STATES_PER_SERIES);
        }
    }

    @Test
    void aSilentSeriesOpenSliceLeavesWhenTheWatermarkReachesTheSliceEnd() throws Exception {
        DetectionSettings shortGap =
                DetectionSettings.withOverrides(
                        c -> c.set(VigilOptions.SILENCE_MIN_GAP, Duration.ofSeconds(15)));
        String[] web1 = SeriesIdentity.sortTags("host", "web-1");
        try (var harness = open(new ScoringFunction(shortGap))) {
            process(harness, new MetricPoint("cpu", web1, "usage_user", T0, 1.0));
            process(harness, new MetricPoint("cpu", web1, "usage_user", T0 + 5_000, 2.0));

            harness.processWatermark(T0 + 20_000); // the silence (gap 15 s), long before slice end

            assertThat(sideOutput(harness, ScoringFunction.ANOMALIES))
                    .extracting(Anomaly::getKind)
                    .containsExactly(AnomalyKind.SILENCE);
            assertThat(sideOutput(harness, ScoringFunction.FLEET_SLICES)).isEmpty();

            harness.processWatermark(T0 + 60_000 - 2);
            assertThat(sideOutput(harness, ScoringFunction.FLEET_SLICES)).isEmpty();
            harness.processWatermark(T0 + 60_000 - 1); // the slice's last millisecond

            List<SeriesSlice> slices = sideOutput(harness, ScoringFunction.FLEET_SLICES);
            assertThat(slices).hasSize(1);
            assertThat(slices.get(0).getLatestValue()).isEqualTo(2.0);
            assertThat(slices.get(0).getDevice()).isEqualTo("web-1");
            assertThat(harness.numEventTimeTimers())
                    .as("no timer per slice: only the one that forgets the silent series")
                    .isEqualTo(1);
        }
    }

    /**
     * Open slices are not in the checkpoint: they leave before the barrier, and the rest of the
     * slice follows as a second part (the detectors merge parts; see FleetSlicerTest).
     */
    @Test
    void openFleetSlicesLeaveBeforeEveryCheckpointBarrier() throws Exception {
        String[] web1 = SeriesIdentity.sortTags("host", "web-1");
        String[] web2 = SeriesIdentity.sortTags("host", "web-2");
        ScoringFunction fn = new ScoringFunction(DEFAULTS);
        try (var harness = open(fn)) {
            process(harness, new MetricPoint("cpu", web1, "usage_user", T0, 1.0));
            process(harness, new MetricPoint("cpu", web2, "usage_user", T0, 5.0));
            process(harness, new MetricPoint("cpu", web1, "usage_user", T0 + STEP, 2.0));
            assertThat(fn.openFleetSlices()).isEqualTo(2);

            harness.prepareSnapshotPreBarrier(1L);

            List<SeriesSlice> first = sideOutput(harness, ScoringFunction.FLEET_SLICES);
            assertThat(first)
                    .extracting(SeriesSlice::getDevice, SeriesSlice::getLatestValue)
                    .containsExactlyInAnyOrder(tuple("web-1", 2.0), tuple("web-2", 5.0));
            assertThat(fn.openFleetSlices()).isZero();
            OperatorSubtaskState snapshot = harness.snapshot(1L, T0 + STEP);

            try (var restored = harness(new ScoringFunction(DEFAULTS))) {
                restored.initializeState(snapshot);
                restored.open();
                process(restored, new MetricPoint("cpu", web1, "usage_user", T0 + 2 * STEP, 3.0));
                restored.processWatermark(T0 + 60_000 - 1);

                List<SeriesSlice> rest = sideOutput(restored, ScoringFunction.FLEET_SLICES);
                assertThat(rest)
                        .extracting(SeriesSlice::getDevice, SeriesSlice::getLatestValue)
                        .containsExactly(tuple("web-1", 3.0));
                assertThat(rest.get(0).getSliceEnd()).isEqualTo(first.get(0).getSliceEnd());
            }
        }
    }

    // ---------------------------------------------------------------- state

    @Test
    void restoredFromASnapshotGivesExactlyTheSameOutputs() throws Exception {
        List<MetricPoint> points = new ArrayList<>();
        points.addAll(noisy(OSLO, 0, 120, 20.0, 1.0, 1));
        points.addAll(noisy(BERGEN, 0, 120, 5.0, 0.5, 2));
        points.add(point(OSLO, T0 + 120 * STEP, 60.0)); // spike
        points.addAll(noisy(OSLO, 121, 40, 30.0, 1.0, 3)); // level shift
        points.addAll(noisy(BERGEN, 120, 80, 5.0, 0.5, 4));
        int split = 200; // inside the Bergen series, before the Oslo spike

        List<ScoredPoint> expectedScored;
        List<Anomaly> expectedAnomalies;
        try (var uninterrupted = open(new ScoringFunction(DEFAULTS))) {
            points.forEach(p -> process(uninterrupted, p));
            expectedScored = uninterrupted.extractOutputValues();
            expectedAnomalies = sideOutput(uninterrupted, ScoringFunction.ANOMALIES);
        }
        assertThat(expectedAnomalies).isNotEmpty();

        OperatorSubtaskState snapshot;
        List<ScoredPoint> scored = new ArrayList<>();
        List<Anomaly> anomalies = new ArrayList<>();
        try (var before = open(new ScoringFunction(DEFAULTS))) {
            points.subList(0, split).forEach(p -> process(before, p));
            snapshot = before.snapshot(1L, T0);
            scored.addAll(before.extractOutputValues());
            anomalies.addAll(sideOutput(before, ScoringFunction.ANOMALIES));
        }
        try (var after = harness(new ScoringFunction(DEFAULTS))) {
            after.initializeState(snapshot);
            after.open();
            assertThat(after.numKeyedStateEntries()).isEqualTo(2 * STATES_PER_SERIES);
            points.subList(split, points.size()).forEach(p -> process(after, p));
            scored.addAll(after.extractOutputValues());
            anomalies.addAll(sideOutput(after, ScoringFunction.ANOMALIES));
        }
        assertThat(scored).hasSize(points.size()).isEqualTo(expectedScored);
        assertThat(anomalies).isEqualTo(expectedAnomalies);
    }

    @Test
    void aQuietSeriesIsForgottenTheTtlAfterItsLastPointInEventTimeWithOneTimerPerSeries()
            throws Exception {
        long ttl = Duration.ofDays(7).toMillis();
        DetectionSettings s =
                DetectionSettings.withOverrides(
                        c -> c.set(VigilOptions.SERIES_TTL, Duration.ofMillis(ttl)));
        try (var harness = open(new ScoringFunction(s))) {
            alternating(OSLO, 0, 10, 19.0, 21.0).forEach(p -> process(harness, p));
            process(harness, point(BERGEN, T0 + 10 * STEP, 5.0));
            assertThat(harness.numKeyedStateEntries()).isEqualTo(2 * STATES_PER_SERIES);
            assertThat(harness.numEventTimeTimers()).isEqualTo(2); // one per series
            assertThat(harness.numProcessingTimeTimers()).isZero();

            // both silent: their timers now forget them, Oslo (last point 9 · STEP) first
            harness.processWatermark(T0 + 10 * STEP + Duration.ofMinutes(5).toMillis());
            assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
            assertThat(harness.numEventTimeTimers()).isEqualTo(2);
            OperatorSubtaskState silent = harness.snapshot(1L, 0L);

            harness.processWatermark(T0 + 9 * STEP + ttl);
            assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
            assertThat(harness.numEventTimeTimers()).isEqualTo(1);
            harness.processWatermark(T0 + 10 * STEP + ttl);
            assertThat(harness.numKeyedStateEntries()).isZero();
            assertThat(harness.numEventTimeTimers()).isZero();

            // Oslo starts over with a fresh baseline and a new timer
            process(harness, point(OSLO, T0 + 11 * STEP + ttl, 30.0));
            ScoredPoint restart = lastOutput(harness);
            assertThat(restart.getSeq()).isEqualTo(1);
            assertThat(restart.getMean()).isEqualTo(30.0);
            assertThat(restart.getPreviousValue()).isNaN();
            assertThat(harness.numKeyedStateEntries()).isEqualTo(STATES_PER_SERIES);
            assertThat(harness.numEventTimeTimers()).isEqualTo(1);

            // the forgetting timers are in the checkpoint
            try (var restored = harness(new ScoringFunction(s))) {
                restored.initializeState(silent);
                restored.open();
                assertThat(restored.numKeyedStateEntries()).isEqualTo(2);
                restored.processWatermark(T0 + 10 * STEP + ttl);
                assertThat(restored.numKeyedStateEntries()).isZero();
                assertThat(restored.numEventTimeTimers()).isZero();
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private static KeyedOneInputStreamOperatorTestHarness<Long, MetricPoint, ScoredPoint> harness(
            ScoringFunction fn) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new ScoringOperator(fn), MetricPoint::getSeriesId, BasicTypeInfo.LONG_TYPE_INFO);
    }

    private static KeyedOneInputStreamOperatorTestHarness<Long, MetricPoint, ScoredPoint> open(
            ScoringFunction fn) throws Exception {
        var harness = harness(fn);
        harness.open();
        return harness;
    }

    /**
     * Processes {@code p} at its event time; an exception fails the test (shared by tests here).
     */
    static void process(
            KeyedOneInputStreamOperatorTestHarness<Long, MetricPoint, ScoredPoint> harness,
            MetricPoint p) {
        try {
            harness.processElement(p, p.getTimestamp());
        } catch (Exception e) {
            throw new AssertionError("operator threw on " + p, e);
        }
    }

    private static ScoredPoint lastOutput(
            KeyedOneInputStreamOperatorTestHarness<Long, MetricPoint, ScoredPoint> harness) {
        List<ScoredPoint> out = harness.extractOutputValues();
        return out.get(out.size() - 1);
    }

    private static <T> List<T> sideOutput(
            KeyedOneInputStreamOperatorTestHarness<Long, MetricPoint, ScoredPoint> harness,
            OutputTag<T> tag) {
        var records = harness.getSideOutput(tag);
        if (records == null) {
            return new ArrayList<>();
        }
        return records.stream().map(StreamRecord::getValue).collect(Collectors.toList());
    }

    static MetricPoint point(String[] tags, long timestamp, double value) {
        return new MetricPoint("environment", tags, "temperature", timestamp, value);
    }

    private static List<MetricPoint> alternating(
            String[] tags, int fromIndex, int n, double a, double b) {
        List<MetricPoint> points = new ArrayList<>();
        for (int i = fromIndex; i < fromIndex + n; i++) {
            points.add(point(tags, T0 + i * STEP, i % 2 == 0 ? a : b));
        }
        return points;
    }

    private static List<MetricPoint> noisy(
            String[] tags, int fromIndex, int n, double mean, double sigma, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<MetricPoint> points = new ArrayList<>();
        for (int i = fromIndex; i < fromIndex + n; i++) {
            points.add(point(tags, T0 + i * STEP, mean + sigma * random.nextGaussian()));
        }
        return points;
    }
}
