package dev.vigil.pipeline.patterns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.pipeline.config.DetectionSettings;
import dev.vigil.pipeline.model.Anomaly;
import dev.vigil.pipeline.model.AnomalyKind;
import dev.vigil.pipeline.model.ScoredPoint;
import dev.vigil.pipeline.model.ScoredPointTypeInfo;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Defaults: gap = max(5 min, 5 × typical interval); the test series reports every 10 s. */
class SilenceFunctionTest {

    private static final DetectionSettings SETTINGS = DetectionSettings.defaults();
    private static final long MINUTE = 60_000L;

    private KeyedOneInputStreamOperatorTestHarness<Long, ScoredPoint, Anomaly> harness;

    @BeforeEach
    void open() throws Exception {
        harness = newHarness();
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static KeyedOneInputStreamOperatorTestHarness<Long, ScoredPoint, Anomaly> newHarness()
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new SilenceFunction(SETTINGS)),
                p -> p.getPoint().getSeriesId(),
                Types.LONG);
    }

    private void feed(List<ScoredPoint> points) throws Exception {
        for (ScoredPoint p : points) {
            harness.processElement(p, p.timestamp());
            harness.processWatermark(p.timestamp());
        }
    }

    @Test
    void firesExactlyWhenTheGapHasPassed() throws Exception {
        Series s = Series.of("s1");
        List<ScoredPoint> points = s.next(20.0, 21.5);
        feed(points);
        long last = points.get(1).timestamp();

        harness.processWatermark(last + 5 * MINUTE - 1);
        assertThat(harness.extractOutputValues()).isEmpty();

        harness.processWatermark(last + 5 * MINUTE);
        List<Anomaly> anomalies = harness.extractOutputValues();
        assertThat(anomalies).hasSize(1);
        Anomaly a = anomalies.get(0);
        assertThat(a.getKind()).isEqualTo(AnomalyKind.SILENCE);
        assertThat(a.getSeriesId()).isEqualTo(Series.seriesId("s1"));
        assertThat(a.getStart()).isEqualTo(last);
        assertThat(a.getEnd()).isEqualTo(last + 5 * MINUTE);
        assertThat(a.getObserved()).isEqualTo(21.5);
        assertThat(a.getExpected()).isEqualTo(21.5);
        assertThat(a.getLower()).isEqualTo(17.0);
        assertThat(a.getUpper()).isEqualTo(23.0);
        assertThat(a.getSeverity()).isEqualTo(50.0);
        assertThat(a.getDescription())
                .isEqualTo("room,sensor=s1 temp: silent for 5 min (expected a point every 10 s)");
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aSlowSeriesGetsALongerGap() throws Exception {
        Series s = Series.of("s1").every(2 * MINUTE);
        ScoredPoint p = s.next(20.0).get(0);
        feed(List.of(p));

        harness.processWatermark(p.timestamp() + 10 * MINUTE - 1);
        assertThat(harness.extractOutputValues()).isEmpty();
        harness.processWatermark(p.timestamp() + 10 * MINUTE);

        assertThat(harness.extractOutputValues())
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

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
    }

    @Test
    void aNewPointReschedulesTheTimer() throws Exception {
        Series s = Series.of("s1");
        ScoredPoint first = s.next(20.0).get(0);
        ScoredPoint second = s.after(4 * MINUTE, 20.5);
        feed(List.of(first, second));

        harness.processWatermark(first.timestamp() + 5 * MINUTE);
        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        harness.processWatermark(second.timestamp() + 5 * MINUTE);
        assertThat(harness.extractOutputValues())
                .extracting(Anomaly::getStart, Anomaly::getEnd)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                second.timestamp(), second.timestamp() + 5 * MINUTE));
    }

    @Test
    void aSeriesThatSpeedsUpGetsAnEarlierDeadlineWithOneTimer() throws Exception {
        Series s = Series.of("s1").every(2 * MINUTE); // gap 10 min
        ScoredPoint slow = s.next(20.0).get(0);
        feed(List.of(slow));
        ScoredPoint fast = s.every(10_000L).next(20.5).get(0); // gap 5 min
        feed(List.of(fast));
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        harness.processWatermark(fast.timestamp() + 5 * MINUTE);
        assertThat(harness.extractOutputValues())
                .extracting(Anomaly::getStart, Anomaly::getEnd)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                fast.timestamp(), fast.timestamp() + 5 * MINUTE));
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void pointsDoNotMoveThePendingTimerWhichFiresEarlyAndWaitsForTheDeadline() throws Exception {
        Series s = Series.of("s1");
        ScoredPoint first = s.next(20.0).get(0);
        harness.processElement(first, first.timestamp());
        ScoredPoint last = first;
        for (int i = 0; i < 59; i++) { // 10 min of points, no watermark
            last = s.next(20.0 + (i % 3)).get(0);
            harness.processElement(last, last.timestamp());
        }
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        // the timer set by the first point fires, finds newer points and moves to their deadline
        harness.processWatermark(first.timestamp() + 5 * MINUTE);
        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        // one watermark far ahead: the moved timer fires in the same advance
        harness.processWatermark(last.timestamp() + 60 * MINUTE);
        assertThat(harness.extractOutputValues())
                .extracting(Anomaly::getStart, Anomaly::getEnd)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                last.timestamp(), last.timestamp() + 5 * MINUTE));
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void anOlderPointArrivingLateDoesNotMoveTheDeadline() throws Exception {
        Series s = Series.of("s1");
        List<ScoredPoint> points = s.next(20.0, 20.1, 20.2);
        harness.processElement(points.get(0), points.get(0).timestamp());
        harness.processElement(points.get(2), points.get(2).timestamp());
        harness.processElement(points.get(1), points.get(1).timestamp());

        harness.processWatermark(points.get(2).timestamp() + 5 * MINUTE);

        assertThat(harness.extractOutputValues())
                .extracting(Anomaly::getStart, Anomaly::getObserved)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(points.get(2).timestamp(), 20.2));
    }

    @Test
    void theEndOfTheInputIsNotASilence() throws Exception {
        feed(Series.of("s1").next(20.0, 20.5));

        harness.processWatermark(Long.MAX_VALUE);

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void firesOncePerSilenceAndStartsOverWhenTheSeriesResumes() throws Exception {
        Series s = Series.of("s1");
        feed(s.next(20.0));
        ScoredPoint resumed = s.after(60 * MINUTE, 20.5);
        harness.processWatermark(resumed.timestamp() - 1);
        feed(List.of(resumed));
        harness.processWatermark(resumed.timestamp() + 5 * MINUTE);

        assertThat(harness.extractOutputValues())
                .extracting(Anomaly::getEnd)
                .containsExactly(Series.T0 + 5 * MINUTE, resumed.timestamp() + 5 * MINUTE);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void eachSeriesHasItsOwnTimer() throws Exception {
        ScoredPoint a = Series.of("a").next(20.0).get(0);
        ScoredPoint b = Series.of("b").after(10 * 1000 + MINUTE, 20.0);
        feed(List.of(a, b));

        harness.processWatermark(a.timestamp() + 5 * MINUTE);

        assertThat(harness.extractOutputValues())
                .extracting(Anomaly::getSeriesId)
                .containsExactly(Series.seriesId("a"));
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
    }

    @Test
    void theTimerSurvivesASnapshotAndRestore() throws Exception {
        ScoredPoint p = Series.of("s1").next(20.0).get(0);
        feed(List.of(p));
        OperatorSubtaskState snapshot = harness.snapshot(1L, p.timestamp() + 1);
        harness.close();

        harness = newHarness();
        harness.initializeState(snapshot);
        harness.open();
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
        harness.processWatermark(p.timestamp() + 5 * MINUTE);

        assertThat(harness.extractOutputValues())
                .extracting(Anomaly::getKind, Anomaly::getStart)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(AnomalyKind.SILENCE, p.timestamp()));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aPointWithoutATypicalIntervalUsesTheMinimumGap() throws Exception {
        ScoredPoint p = Series.of("s1").next(20.0).get(0);
        p.setTypicalIntervalMs(0);
        feed(List.of(p));

        harness.processWatermark(p.timestamp() + 5 * MINUTE);

        assertThat(harness.extractOutputValues())
                .extracting(Anomaly::getDescription)
                .containsExactly("room,sensor=s1 temp: silent for 5 min");
    }

    @Test
    void theGapAndDeadlineAreSafeForOddInput() {
        SilenceFunction fn = new SilenceFunction(SETTINGS);

        assertThat(fn.gapMs(Double.NaN)).isEqualTo(5 * MINUTE);
        assertThat(fn.gapMs(-1)).isEqualTo(5 * MINUTE);
        assertThat(fn.gapMs(Double.POSITIVE_INFINITY)).isEqualTo(5 * MINUTE);
        assertThat(fn.gapMs(2 * MINUTE)).isEqualTo(10 * MINUTE);
        assertThat(fn.silenceDeadline(Long.MAX_VALUE - 10, 0)).isEqualTo(Long.MAX_VALUE - 1);
    }

    @Test
    void theStateIsAFlinkPojo() {
        assertThat(TypeInformation.of(SilenceFunction.LastSeen.class))
                .isInstanceOf(PojoTypeInfo.class);
        assertThat(TypeInformation.of(ScoredPoint.class))
                .isInstanceOf(ScoredPointTypeInfo.class); // its own serializer, no Kryo
        assertThat(TypeInformation.of(Anomaly.class)).isInstanceOf(PojoTypeInfo.class);
    }
}
