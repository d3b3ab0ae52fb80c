package dev.vigil.pipeline.fleet;

import static dev.vigil.pipeline.fleet.FleetPoints.scored;
import static dev.vigil.pipeline.fleet.FleetPoints.single;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.common.model.MetricPoint;
import dev.vigil.pipeline.config.DetectionSettings;
import dev.vigil.pipeline.model.ScoredPoint;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Slices of 1 min (the default); cpu,host=web-1 usage_user reports every 10 s. */
class SeriesSliceFunctionTest {

    private static final long MINUTE = 60_000L;
    private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z, a slice start

    private SeriesSliceFunction function;
    private KeyedOneInputStreamOperatorTestHarness<Long, ScoredPoint, SeriesSlice> harness;

    @BeforeEach
    void open() throws Exception {
        function = new SeriesSliceFunction(DetectionSettings.defaults());
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(function), ScoredPoint::seriesId, Types.LONG);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static ScoredPoint cpu(long ts, double value) {
        return scored("web-1", "cpu", "usage_user", ts, value, 30, 5);
    }

    private void process(ScoredPoint p) throws Exception {
        harness.processElement(p, p.timestamp());
    }

    @Test
    void oneSummaryPerSeriesAndSliceAtTheSliceEnd() throws Exception {
        double[] values = {31, 29, 12, 30, 44, 33}; // z = 0.2, -0.2, -3.6, 0, 2.8, 0.6
        for (int i = 0; i < values.length; i++) {
            process(cpu(T0 + i * 10_000L, values[i]));
        }
        harness.processWatermark(T0 + MINUTE - 2);
        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        harness.processWatermark(T0 + MINUTE - 1);

        List<SeriesSlice> out = harness.extractOutputValues();
        assertThat(out).hasSize(1);
        SeriesSlice s = out.get(0);
        assertThat(s.getSeriesId()).isEqualTo(FleetPoints.seriesId("web-1", "cpu", "usage_user"));
        assertThat(s.getDevice()).isEqualTo("web-1");
        assertThat(s.getPopulation()).isEqualTo("cpu usage_user");
        assertThat(s.getSliceEnd()).isEqualTo(T0 + MINUTE);
        assertThat(s.getWarmPoints()).isEqualTo(6);
        assertThat(s.getWorstTimestamp()).isEqualTo(T0 + 20_000);
        assertThat(s.getWorstValue()).isEqualTo(12.0);
        assertThat(s.getWorstZ()).isEqualTo(-3.6);
        assertThat(s.getWorstExpected()).isEqualTo(30.0);
        assertThat(s.getWorstLower()).isEqualTo(15.0);
        assertThat(s.getWorstUpper()).isEqualTo(45.0);
        assertThat(s.getLatestTimestamp()).isEqualTo(T0 + 50_000);
        assertThat(s.getLatestValue()).isEqualTo(33.0);
        assertThat(s.getLatestStd()).isEqualTo(5.0);
        assertThat(harness.numKeyedStateEntries()).as("the slice's state is gone").isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void theFirstPointOfTheNextSliceCompletesTheOpenOne() throws Exception {
        process(cpu(T0 + 10_000, 31));
        process(cpu(T0 + 50_000, 40));
        process(cpu(T0 + MINUTE + 5_000, 29));

        List<SeriesSlice> out = harness.extractOutputValues();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).getSliceEnd()).isEqualTo(T0 + MINUTE);
        assertThat(out.get(0).getWarmPoints()).isEqualTo(2);
        assertThat(out.get(0).getWorstValue()).isEqualTo(40.0);

        harness.processWatermark(T0 + MINUTE - 1); // the first slice's timer: already sent
        assertThat(harness.extractOutputValues()).hasSize(1);

        harness.processWatermark(T0 + 2 * MINUTE - 1);
        out = harness.extractOutputValues();
        assertThat(out).hasSize(2);
        assertThat(out.get(1).getSliceEnd()).isEqualTo(T0 + 2 * MINUTE);
        assertThat(out.get(1).getWarmPoints()).isEqualTo(1);
        assertThat(out.get(1).getLatestValue()).isEqualTo(29.0);
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void aPointOfAnEarlierSliceGoesOutAloneAndCounts() throws Exception {
        process(cpu(T0 + MINUTE + 5_000, 31));
        process(cpu(T0 + 55_000, 50)); // out of order, earlier slice, not yet closed

        List<SeriesSlice> out = harness.extractOutputValues();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).getSliceEnd()).isEqualTo(T0 + MINUTE);
        assertThat(out.get(0).getWarmPoints()).isEqualTo(1);
        assertThat(out.get(0).getWorstValue()).isEqualTo(50.0);
        assertThat(singletons()).isEqualTo(1);

        harness.processWatermark(T0 + 2 * MINUTE);
        out = harness.extractOutputValues();
        assertThat(out).hasSize(2);
        assertThat(out.get(1).getSliceEnd()).isEqualTo(T0 + 2 * MINUTE);
        assertThat(out.get(1).getLatestValue()).isEqualTo(31.0);
    }

    @Test
    void aPointOfAClosedSliceGoesOutAloneWithoutState() throws Exception {
        harness.processWatermark(T0 + MINUTE - 1);
        process(cpu(T0 + 59_999, 31));

        assertThat(harness.extractOutputValues()).hasSize(1);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(singletons()).isEqualTo(1);
    }

    @Test
    void coldPointsSetTheLatestValueButAreNotWarm() throws Exception {
        ScoredPoint cold = cpu(T0 + 1_000, 31);
        cold.setWarm(false);
        process(cold);
        harness.processWatermark(T0 + MINUTE);

        SeriesSlice s = harness.extractOutputValues().get(0);
        assertThat(s.getWarmPoints()).isZero();
        assertThat(s.hasLatest()).isTrue();
        assertThat(s.getLatestValue()).isEqualTo(31.0);
        assertThat(s.getLatestStd()).as("σ of a cold series counts as 0").isZero();
    }

    @Test
    void seriesWithoutDeviceTakeNoPart() throws Exception {
        MetricPoint point =
                new MetricPoint("weather", new String[] {"city", "Oslo"}, "temp", T0, 3.0);
        ScoredPoint p = new ScoredPoint();
        p.setPoint(point);
        p.setWarm(true);
        process(p);
        harness.processWatermark(T0 + MINUTE);

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void mergingThePartsOfASliceGivesTheWholeSlice() {
        SplittableRandom random = new SplittableRandom(7);
        for (int run = 0; run < 200; run++) {
            List<ScoredPoint> points = new ArrayList<>();
            for (int i = 0; i < 1 + random.nextInt(12); i++) {
                ScoredPoint p = cpu(T0 + random.nextInt(60_000), 30 + random.nextGaussian() * 10);
                p.setWarm(random.nextInt(4) > 0);
                points.add(p);
            }
            SeriesSlice whole = single(points.get(0));
            points.subList(1, points.size()).forEach(whole::observe);
            SeriesSlice merged = single(points.get(0));
            int cut = random.nextInt(points.size());
            for (int i = 1; i < points.size(); i++) {
                if (i <= cut) {
                    merged.observe(points.get(i));
                }
            }
            if (cut + 1 < points.size()) {
                SeriesSlice rest = single(points.get(cut + 1));
                points.subList(cut + 2, points.size()).forEach(rest::observe);
                merged.merge(rest);
            }
            assertThat(merged.getWarmPoints()).isEqualTo(whole.getWarmPoints());
            assertThat(Math.abs(merged.getWorstZ())).isEqualTo(Math.abs(whole.getWorstZ()));
            assertThat(merged.getLatestTimestamp()).isEqualTo(whole.getLatestTimestamp());
        }
    }

    private long singletons() {
        return function.singletonCount();
    }
}
