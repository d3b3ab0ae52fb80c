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
import org.junit.jupiter.api.Test;

/**
 * The slice summaries (pure logic; see {@code ScoringFunctionTest} for the operator that closes
 * them by the watermark and before checkpoint barriers). Slices of 1 min (the default);
 * cpu,host=web-1 usage_user reports every 10 s.
 */
class FleetSlicerTest {

    private static final long MINUTE = 60_000L;
    private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z, a slice start
    private static final long NO_WATERMARK = Long.MIN_VALUE;

    private final FleetSlicer slicer = new FleetSlicer(DetectionSettings.defaults());
    private final List<SeriesSlice> out = new ArrayList<>();

    private static ScoredPoint cpu(long ts, double value) {
        return cpu("web-1", ts, value);
    }

    private static ScoredPoint cpu(String host, long ts, double value) {
        return scored(host, "cpu", "usage_user", ts, value, 30, 5);
    }

    private void observe(ScoredPoint p) {
        slicer.observe(p, NO_WATERMARK, out::add);
    }

    @Test
    void oneOpenSliceFoldsAllPointsOfItsSliceUntilTheWatermarkReachesItsEnd() {
        double[] values = {31, 29, 12, 30, 44, 33}; // z = 0.2, -0.2, -3.6, 0, 2.8, 0.6
        for (int i = 0; i < values.length; i++) {
            observe(cpu(T0 + i * 10_000L, values[i]));
        }
        assertThat(out).isEmpty();
        assertThat(slicer.openSliceCount()).isEqualTo(1);

        slicer.closeUpTo(T0 + MINUTE - 2, out::add);
        assertThat(out).isEmpty();
        slicer.closeUpTo(T0 + MINUTE - 1, out::add);

        assertThat(out).hasSize(1);
        assertThat(slicer.openSliceCount()).isZero();
        SeriesSlice s = out.get(0);
        assertThat(s.getSeriesId()).isEqualTo(FleetPoints.seriesId("web-1", "cpu", "usage_user"));
        assertThat(s.getMeasurement()).isEqualTo("cpu");
        assertThat(s.getField()).isEqualTo("usage_user");
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
    }

    @Test
    void theFirstPointOfTheNextSliceSendsTheOpenOne() {
        observe(cpu(T0 + 10_000, 31));
        observe(cpu(T0 + 50_000, 40));
        observe(cpu(T0 + MINUTE + 5_000, 29));

        assertThat(out).hasSize(1);
        assertThat(out.get(0).getSliceEnd()).isEqualTo(T0 + MINUTE);
        assertThat(out.get(0).getWarmPoints()).isEqualTo(2);
        assertThat(out.get(0).getWorstValue()).isEqualTo(40.0);
        assertThat(out.get(0).getDevice()).isEqualTo("web-1");
        assertThat(slicer.openSliceCount()).isEqualTo(1);

        slicer.closeAll(out::add);
        assertThat(out).hasSize(2);
        assertThat(out.get(1).getSliceEnd()).isEqualTo(T0 + 2 * MINUTE);
        assertThat(out.get(1).getLatestValue()).isEqualTo(29.0);
        // the next slice takes the identity, keys and encoded names of the open one instead of
        // building them again, and its device is still the instance of its tag (for the device
        // shuffle's serializer)
        assertThat(out.get(1).getDevice()).isEqualTo("web-1").isSameAs(out.get(1).getTags()[1]);
        assertThat(out.get(1).getPopulation())
                .isEqualTo("cpu usage_user")
                .isSameAs(out.get(0).getPopulation());
        assertThat(out.get(1).getTags()).isSameAs(out.get(0).getTags());
        assertThat(out.get(0).encodedNames()).isNotNull();
        assertThat(out.get(1).encodedNames()).isSameAs(out.get(0).encodedNames());
    }

    @Test
    void aPointOfAnEarlierSliceGoesOutAlone() {
        observe(cpu(T0 + MINUTE + 5_000, 31));
        observe(cpu(T0 + 55_000, 50)); // out of order, earlier slice, not yet closed

        assertThat(out).hasSize(1);
        assertThat(out.get(0).getSliceEnd()).isEqualTo(T0 + MINUTE);
        assertThat(out.get(0).getWarmPoints()).isEqualTo(1);
        assertThat(out.get(0).getWorstValue()).isEqualTo(50.0);
        assertThat(out.get(0).getDevice()).isEqualTo("web-1");
        slicer.closeAll(out::add);
        assertThat(out).hasSize(2);
        assertThat(out.get(1).getSliceEnd()).isEqualTo(T0 + 2 * MINUTE);
        assertThat(out.get(1).getLatestValue()).isEqualTo(31.0);
    }

    @Test
    void aPointOfAClosedSliceGoesOutAlone() {
        slicer.observe(cpu(T0 + 59_999, 31), T0 + MINUTE - 1, out::add);

        assertThat(out).hasSize(1);
        assertThat(out.get(0).getLatestValue()).isEqualTo(31.0);
        assertThat(slicer.openSliceCount()).isZero();
    }

    @Test
    void theWatermarkClosesOnlyTheSlicesItHasReached() {
        observe(cpu("web-1", T0 + 10_000, 31));
        observe(cpu("web-2", T0 + MINUTE + 10_000, 32)); // a series ahead of the other
        observe(cpu("web-3", T0 + 20_000, 33));

        slicer.closeUpTo(T0 + MINUTE - 1, out::add);

        assertThat(out)
                .extracting(SeriesSlice::getDevice)
                .containsExactlyInAnyOrder("web-1", "web-3");
        assertThat(slicer.openSliceCount()).isEqualTo(1);
        observe(cpu("web-2", T0 + MINUTE + 20_000, 34));
        slicer.closeUpTo(T0 + 2 * MINUTE - 1, out::add);
        assertThat(out).hasSize(3);
        assertThat(out.get(2).getDevice()).isEqualTo("web-2");
        assertThat(out.get(2).getLatestValue()).isEqualTo(34.0);
    }

    @Test
    void manySeriesEachKeepTheirOwnOpenSlice() {
        int series = 5_000; // the table grows from 64 entries
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < series; i++) {
                observe(cpu("web-" + i, T0 + round * 10_000L, i + round));
            }
        }
        assertThat(slicer.openSliceCount()).isEqualTo(series);

        slicer.closeAll(out::add);

        assertThat(out).hasSize(series);
        assertThat(out).allSatisfy(s -> assertThat(s.getWarmPoints()).isEqualTo(3));
        assertThat(out)
                .allSatisfy(
                        s ->
                                assertThat(s.getLatestValue())
                                        .isEqualTo(
                                                Integer.parseInt(s.getDevice().substring(4)) + 2));
        assertThat(slicer.openSliceCount()).isZero();
    }

    @Test
    void coldPointsSetTheLatestValueButAreNotWarm() {
        ScoredPoint cold = cpu(T0 + 1_000, 31);
        cold.setWarm(false);
        observe(cold);
        slicer.closeAll(out::add);

        SeriesSlice s = out.get(0);
        assertThat(s.getWarmPoints()).isZero();
        assertThat(s.hasLatest()).isTrue();
        assertThat(s.getLatestValue()).isEqualTo(31.0);
        assertThat(s.getLatestStd()).as("σ of a cold series counts as 0").isZero();
    }

    @Test
    void seriesWithoutDeviceTakeNoPart() {
        MetricPoint point =
                new MetricPoint("weather", new String[] {"city", "Oslo"}, "temp", T0, 3.0);
        ScoredPoint p = new ScoredPoint();
        p.setPoint(point);
        p.setWarm(true);
        observe(p);
        slicer.closeAll(out::add);

        assertThat(out).isEmpty();
        assertThat(slicer.openSliceCount()).isZero();
        assertThat(slicer.identified(new SeriesSlice(), point)).isNull();
    }

    /**
     * What the detectors make of a series' slice sent in two parts (either order) equals what they
     * make of it sent whole: DEVICE's worst point and point count, POPULATION's latest point.
     */
    @Test
    void theDetectorsMergeThePartsOfASliceIntoTheWholeSlice() {
        SplittableRandom random = new SplittableRandom(7);
        for (int run = 0; run < 200; run++) {
            List<ScoredPoint> points = new ArrayList<>();
            int n = 2 + random.nextInt(11);
            for (int i = 0; i < n; i++) { // distinct timestamps, arriving in any order
                long ts = T0 + i * 5_000L + random.nextInt(5_000);
                ScoredPoint p = cpu(ts, 30 + random.nextGaussian() * 10);
                p.setWarm(random.nextInt(4) > 0);
                points.add(random.nextInt(points.size() + 1), p);
            }
            int cut = 1 + random.nextInt(n - 1);
            SeriesSlice whole = summary(points);
            SeriesSlice first = summary(points.subList(0, cut));
            SeriesSlice rest = summary(points.subList(cut, n));
            boolean restFirst = random.nextBoolean();
            List<SeriesSlice> parts = restFirst ? List.of(rest, first) : List.of(first, rest);

            assertThat(deviceView(parts)).isEqualTo(deviceView(List.of(whole)));
            assertThat(populationView(parts)).isEqualTo(populationView(List.of(whole)));
        }
    }

    private static SeriesSlice summary(List<ScoredPoint> points) {
        SeriesSlice s = single(points.get(0));
        points.subList(1, points.size()).forEach(s::observe);
        return s;
    }

    /** DEVICE's metric entry from the summaries, as {@code DeviceScoreFunction} builds it. */
    private static List<MetricDeviation> deviceView(List<SeriesSlice> summaries) {
        DeviceSlice slice = new DeviceSlice();
        summaries.stream().filter(s -> s.getWarmPoints() > 0).forEach(slice::observe);
        return List.of(slice.getMetrics());
    }

    /** POPULATION's member from the summaries, as {@code PopulationFunction} builds it. */
    private static PopulationMember populationView(List<SeriesSlice> summaries) {
        PopulationMember member = PopulationMember.of(summaries.get(0));
        summaries.subList(1, summaries.size()).forEach(member::observe);
        return member;
    }
}
