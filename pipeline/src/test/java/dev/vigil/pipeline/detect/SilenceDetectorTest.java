package dev.vigil.pipeline.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.vigil.common.model.MetricPoint;
import dev.vigil.pipeline.config.DetectionSettings;
import dev.vigil.pipeline.config.VigilOptions;
import dev.vigil.pipeline.model.Anomaly;
import dev.vigil.pipeline.model.AnomalyKind;
import dev.vigil.pipeline.model.ScoredPoint;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SILENCE, detected by {@link ScoringFunction} with {@link SilenceDetector}, fed raw points: the
 * band and typical interval of a point are the scoring function's own. Defaults: gap = max(5 min, 5
 * × typical interval); a series reports every 10 s unless said otherwise.
 */
class SilenceDetectorTest {

    private static final DetectionSettings SETTINGS = DetectionSettings.defaults();
    private static final long T0 = 1_700_000_000_000L;
    private static final long MINUTE = 60_000L;

    private ScoringFunction fn;
    private KeyedOneInputStreamOperatorTestHarness<Long, MetricPoint, ScoredPoint> harness;

    @BeforeEach
    void open() throws Exception {
        fn = new ScoringFunction(SETTINGS);
        harness = newHarness(fn);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static KeyedOneInputStreamOperatorTestHarness<Long, MetricPoint, ScoredPoint>
            newHarness(ScoringFunction fn) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new ScoringOperator(fn), MetricPoint::getSeriesId, Types.LONG);
    }

    /** Each point, then a watermark at its time (the points are never late). */
    private void feed(List<MetricPoint> points) throws Exception {
        for (MetricPoint p : points) {
            harness.processElement(p, p.getTimestamp());
            harness.processWatermark(p.getTimestamp());
        }
    }

    private List<Anomaly> anomalies() {
        var records = harness.getSideOutput(ScoringFunction.ANOMALIES);
        return records == null
                ? new ArrayList<>()
                : records.stream().map(StreamRecord::getValue).collect(Collectors.toList());
    }

    private ScoredPoint lastScored() {
        List<ScoredPoint> out = harness.extractOutputValues();
        return out.get(out.size() - 1);
    }

    @Test
    void firesExactlyWhenTheGapHasPassed() throws Exception {
        Series s = Series.of("s1");
        List<MetricPoint> points = s.next(19.0, 21.0, 21.5); // band of the third: 20 ± 3·1
        feed(points);
        long last = points.get(2).getTimestamp();
        assertThat(lastScored().getTypicalIntervalMs()).isEqualTo(10_000.0);

        harness.processWatermark(last + 5 * MINUTE - 1);
        assertThat(anomalies()).isEmpty();

        harness.processWatermark(last + 5 * MINUTE);
        List<Anomaly> anomalies = anomalies();
        assertThat(anomalies).hasSize(1);
        Anomaly a = anomalies.get(0);
        assertThat(a.getKind()).isEqualTo(AnomalyKind.SILENCE);
        assertThat(a.getSeriesId()).isEqualTo(Series.seriesId("s1"));
        assertThat(a.getMeasurement()).isEqualTo("room");
        assertThat(a.getTags()).containsExactly("sensor", "s1");
        assertThat(a.getField()).isEqualTo("temp");
        assertThat(a.getStart()).isEqualTo(last);
        assertThat(a.getEnd()).isEqualTo(last + 5 * MINUTE);
        assertThat(a.getObserved()).isEqualTo(21.5);
        assertThat(a.getExpected()).isEqualTo(21.5);
        assertThat(a.getLower()).isEqualTo(17.0);
        assertThat(a.getUpper()).isEqualTo(23.0);
        assertThat(a.getSeverity()).isEqualTo(50.0);
        assertThat(a.getDescription())
                .isEqualTo("room,sensor=s1 temp: silent for 5 min (expected a point every 10 s)");
        assertThat(fn.silenceCount()).isEqualTo(1);
        // the baseline stays until the series is forgotten (state.series-ttl after its last point,
        // the timer's new time); the identity is gone
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
    }

    @Test
    void aSlowSeriesGetsALongerGap() throws Exception {
        Series s = Series.of("s1").every(2 * MINUTE);
        List<MetricPoint> points = s.next(20.0, 20.5, 19.5);
        feed(points);
        MetricPoint p = points.get(2);
        assertThat(lastScored().getTypicalIntervalMs()).isEqualTo(2.0 * MINUTE);

        harness.processWatermark(p.getTimestamp() + 10 * MINUTE - 1);
        assertThat(anomalies()).isEmpty();
        harness.processWatermark(p.getTimestamp() + 10 * MINUTE);

        assertThat(anomalies())
                .extracting(Anomaly::getDescription)
                .containsExactly(
                        "room,sensor=s1 temp: silent for 10 min (expected a point every 2 min)");
    }

    @Test
    void doesNotFireWhilePointsKeepComing() throws Exception {
        Series s = Series.of("s1");
        for (int i = 0; i < 360; i++) {
            feed(s.next(20.0 + (i % 3)));
        }

        assertThat(anomalies()).isEmpty();
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2); // series, series-identity
    }

    @Test
    void aNewPointReschedulesTheTimer() throws Exception {
        Series s = Series.of("s1");
        MetricPoint first = s.next(20.0).get(0);
        MetricPoint second = s.after(4 * MINUTE, 20.5);
        feed(List.of(first, second));

        harness.processWatermark(first.getTimestamp() + 5 * MINUTE);
        assertThat(anomalies()).isEmpty();
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        harness.processWatermark(second.getTimestamp() + 5 * MINUTE);
        assertThat(anomalies())
                .extracting(Anomaly::getStart, Anomaly::getEnd)
                .containsExactly(tuple(second.getTimestamp(), second.getTimestamp() + 5 * MINUTE));
    }

    @Test
    void aSeriesThatSpeedsUpGetsAnEarlierDeadlineWithOneTimer() throws Exception {
        Series s = Series.of("s1").every(2 * MINUTE);
        // typical interval 2 min (gap 10 min); the first point's timer (5 min) has moved to the
        // fourth point's deadline when the watermark passed it
        feed(s.next(20.0, 20.5, 19.5, 20.0));
        assertThat(lastScored().getTypicalIntervalMs()).isEqualTo(2.0 * MINUTE);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
        List<MetricPoint> fast = s.every(10_000L).next(20.5, 19.5, 20.0, 20.5, 19.5);
        feed(fast); // the typical interval falls to < 1 min: gap 5 min
        MetricPoint last = fast.get(fast.size() - 1);
        assertThat(lastScored().getTypicalIntervalMs()).isLessThan(1.0 * MINUTE);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        harness.processWatermark(last.getTimestamp() + 5 * MINUTE);
        assertThat(anomalies())
                .extracting(Anomaly::getStart, Anomaly::getEnd)
                .containsExactly(tuple(last.getTimestamp(), last.getTimestamp() + 5 * MINUTE));
        assertThat(harness.numEventTimeTimers()).isEqualTo(1); // the one that forgets it
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
    }

    @Test
    void pointsDoNotMoveThePendingTimerWhichFiresEarlyAndWaitsForTheDeadline() throws Exception {
        Series s = Series.of("s1");
        MetricPoint first = s.next(20.0).get(0);
        harness.processElement(first, first.getTimestamp());
        MetricPoint last = first;
        for (int i = 0; i < 59; i++) { // 10 min of points, no watermark
            last = s.next(20.0 + (i % 3)).get(0);
            harness.processElement(last, last.getTimestamp());
        }
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        // the timer set by the first point fires, finds newer points and moves to their deadline
        harness.processWatermark(first.getTimestamp() + 5 * MINUTE);
        assertThat(anomalies()).isEmpty();
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        // one watermark far ahead: the moved timer fires in the same advance
        harness.processWatermark(last.getTimestamp() + 60 * MINUTE);
        assertThat(anomalies())
                .extracting(Anomaly::getStart, Anomaly::getEnd)
                .containsExactly(tuple(last.getTimestamp(), last.getTimestamp() + 5 * MINUTE));
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
    }

    @Test
    void anOlderPointArrivingLateDoesNotMoveTheDeadline() throws Exception {
        Series s = Series.of("s1");
        List<MetricPoint> points = s.next(20.0, 20.1, 20.2);
        harness.processElement(points.get(0), points.get(0).getTimestamp());
        harness.processElement(points.get(2), points.get(2).getTimestamp());
        harness.processElement(points.get(1), points.get(1).getTimestamp()); // scored, not newest

        harness.processWatermark(points.get(2).getTimestamp() + 5 * MINUTE);

        assertThat(harness.extractOutputValues()).hasSize(3);
        assertThat(anomalies())
                .extracting(Anomaly::getStart, Anomaly::getObserved)
                .containsExactly(tuple(points.get(2).getTimestamp(), 20.2));
    }

    @Test
    void theEndOfTheInputIsNotASilence() throws Exception {
        feed(Series.of("s1").next(20.0, 20.5));

        harness.processWatermark(Long.MAX_VALUE);

        assertThat(anomalies()).isEmpty();
        assertThat(fn.silenceCount()).isZero();
        // the end of the input forgets every series (its timer at last point + TTL fires too)
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void firesOncePerSilenceAndWatchesAgainWhenTheSeriesResumesWithItsBaseline() throws Exception {
        Series s = Series.of("s1");
        feed(s.next(20.0));
        MetricPoint resumed = s.after(60 * MINUTE, 20.5);
        harness.processWatermark(resumed.getTimestamp() - 1);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        feed(List.of(resumed));
        assertThat(lastScored().getSeq()).isEqualTo(2); // a silence does not reset the scoring
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
        harness.processWatermark(resumed.getTimestamp() + 5 * MINUTE);

        assertThat(anomalies())
                .extracting(Anomaly::getEnd, Anomaly::getDescription)
                .containsExactly(
                        tuple(T0 + 5 * MINUTE, "room,sensor=s1 temp: silent for 5 min"),
                        tuple(
                                resumed.getTimestamp() + 5 * MINUTE,
                                "room,sensor=s1 temp: silent for 5 min"));
        assertThat(fn.silenceCount()).isEqualTo(2);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
    }

    @Test
    void eachSeriesHasItsOwnTimer() throws Exception {
        MetricPoint a = Series.of("a").next(20.0).get(0);
        MetricPoint b = Series.of("b").after(10 * 1000 + MINUTE, 20.0);
        feed(List.of(a, b));

        harness.processWatermark(a.getTimestamp() + 5 * MINUTE);

        assertThat(anomalies())
                .extracting(Anomaly::getSeriesId)
                .containsExactly(Series.seriesId("a"));
        assertThat(harness.numEventTimeTimers()).isEqualTo(2); // b's deadline, a's forgetting
    }

    @Test
    void theTimerSurvivesASnapshotAndRestore() throws Exception {
        MetricPoint p = Series.of("s1").next(20.0).get(0);
        feed(List.of(p));
        OperatorSubtaskState snapshot = harness.snapshot(1L, p.getTimestamp() + 1);
        harness.close();

        fn = new ScoringFunction(SETTINGS);
        harness = newHarness(fn);
        harness.initializeState(snapshot);
        harness.open();
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
        harness.processWatermark(p.getTimestamp() + 5 * MINUTE);

        assertThat(anomalies())
                .extracting(Anomaly::getKind, Anomaly::getStart, Anomaly::getDescription)
                .containsExactly(
                        tuple(
                                AnomalyKind.SILENCE,
                                p.getTimestamp(),
                                "room,sensor=s1 temp: silent for 5 min"));
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
    }

    @Test
    void aPointWithoutATypicalIntervalUsesTheMinimumGap() throws Exception {
        MetricPoint p = Series.of("s1").next(20.0).get(0); // a first point has no interval yet
        feed(List.of(p));
        assertThat(lastScored().getTypicalIntervalMs()).isZero();

        harness.processWatermark(p.getTimestamp() + 5 * MINUTE);

        assertThat(anomalies())
                .extracting(Anomaly::getDescription)
                .containsExactly("room,sensor=s1 temp: silent for 5 min");
    }

    @Test
    void aSilentSeriesIsForgottenTheTtlAfterItsLastPointInEventTime() throws Exception {
        long ttl = SETTINGS.seriesTtlMs;
        Series s = Series.of("s1");
        List<MetricPoint> points = s.next(20.0, 20.5);
        feed(points);
        long last = points.get(1).getTimestamp();
        harness.setProcessingTime(10 * ttl); // wall time plays no part
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
        assertThat(harness.numProcessingTimeTimers()).isZero();

        harness.processWatermark(last + 5 * MINUTE); // SILENCE; the timer moves to last + TTL
        assertThat(anomalies()).hasSize(1);
        harness.processWatermark(last + ttl - 1);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
        harness.processWatermark(last + ttl);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(anomalies()).hasSize(1);

        // back after that: a fresh baseline, watched again
        feed(List.of(s.after(ttl + MINUTE, 30.0)));
        assertThat(lastScored().getSeq()).isEqualTo(1);
        assertThat(lastScored().getMean()).isEqualTo(30.0);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
    }

    @Test
    void aSeriesBackBeforeTheTtlKeepsItsBaselineAndIsNotForgottenAtTheOldTime() throws Exception {
        long ttl = SETTINGS.seriesTtlMs;
        Series s = Series.of("s1");
        List<MetricPoint> points = s.next(20.0, 20.5);
        feed(points);
        long last = points.get(1).getTimestamp();
        harness.processWatermark(last + 5 * MINUTE); // silent: forgotten at last + TTL unless...
        MetricPoint back = s.after(ttl / 2, 21.0);
        feed(List.of(back)); // ...it comes back: the timer is its SILENCE deadline again
        assertThat(lastScored().getSeq()).isEqualTo(3);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        harness.processWatermark(last + ttl);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1); // silent again, not forgotten
        assertThat(anomalies())
                .extracting(Anomaly::getStart)
                .containsExactly(last, back.getTimestamp());
        harness.processWatermark(back.getTimestamp() + ttl);
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void aTtlShorterThanTheGapForgetsTheSeriesRightAfterItsSilence() throws Exception {
        harness.close();
        DetectionSettings shortTtl =
                DetectionSettings.withOverrides(
                        c -> c.set(VigilOptions.SERIES_TTL, java.time.Duration.ofMinutes(1)));
        fn = new ScoringFunction(shortTtl);
        harness = newHarness(fn);
        harness.open();
        List<MetricPoint> points = Series.of("s1").next(20.0, 20.5);
        feed(points);

        harness.processWatermark(points.get(1).getTimestamp() + 5 * MINUTE);

        assertThat(anomalies()).hasSize(1);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void theGapAndDeadlineAreSafeForOddInput() {
        SilenceDetector detector = new SilenceDetector(SETTINGS);

        assertThat(detector.gapMs(Double.NaN)).isEqualTo(5 * MINUTE);
        assertThat(detector.gapMs(-1)).isEqualTo(5 * MINUTE);
        assertThat(detector.gapMs(Double.POSITIVE_INFINITY)).isEqualTo(5 * MINUTE);
        assertThat(detector.gapMs(2 * MINUTE)).isEqualTo(10 * MINUTE);
        assertThat(detector.deadline(Long.MAX_VALUE - 10, 0)).isEqualTo(Long.MAX_VALUE - 1);
    }

    @Test
    void theStatesAndAnomaliesAreSerializedWithoutKryo() {
        assertThat(TypeInformation.of(MetricPoint.class)).isNotInstanceOf(GenericTypeInfo.class);
        assertThat(TypeInformation.of(Anomaly.class)).isInstanceOf(PojoTypeInfo.class);
    }

    /** Raw points of one series ({@code room,sensor=<name> temp}), 10 s apart from {@link #T0}. */
    private static final class Series {
        private final String sensor;
        private long intervalMs = 10_000L;
        private long lastTs;

        private Series(String sensor) {
            this.sensor = sensor;
            this.lastTs = T0 - intervalMs;
        }

        static Series of(String sensor) {
            return new Series(sensor);
        }

        static long seriesId(String sensor) {
            return point(sensor, 0, 0).getSeriesId();
        }

        private static MetricPoint point(String sensor, long ts, double value) {
            return new MetricPoint("room", new String[] {"sensor", sensor}, "temp", ts, value);
        }

        /** Spacing of the following points. */
        Series every(long intervalMs) {
            this.intervalMs = intervalMs;
            return this;
        }

        List<MetricPoint> next(double... values) {
            List<MetricPoint> points = new ArrayList<>();
            for (double v : values) {
                points.add(after(intervalMs, v));
            }
            return points;
        }

        MetricPoint after(long gapMs, double value) {
            lastTs += gapMs;
            return point(sensor, lastTs, value);
        }
    }
}
