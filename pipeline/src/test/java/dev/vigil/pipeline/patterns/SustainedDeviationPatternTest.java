package dev.vigil.pipeline.patterns;

import static dev.vigil.pipeline.patterns.Series.concat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.pipeline.config.DetectionSettings;
import dev.vigil.pipeline.model.Anomaly;
import dev.vigil.pipeline.model.AnomalyKind;
import dev.vigil.pipeline.model.ScoredPoint;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Defaults: N = 4 of M = 6 within 30 min; the test band is 17..23 (mean 20, σ 1). */
class SustainedDeviationPatternTest {

    private static final DetectionSettings SETTINGS = DetectionSettings.defaults();

    private static List<Anomaly> run(List<ScoredPoint> points) throws Exception {
        try (CepHarness h =
                new CepHarness(
                        SustainedDeviationPattern.pattern(SETTINGS),
                        SustainedDeviationPattern.processFunction())) {
            return h.run(points);
        }
    }

    @Test
    void fourOfFivePointsAboveTheBandAreOneSustainedDeviation() throws Exception {
        Series s = Series.of("s1");
        List<ScoredPoint> points = s.next(20, 20.5, 19.5, 25, 20, 26, 27, 25.5, 20.3, 19.8);

        List<Anomaly> anomalies = run(points);

        assertThat(anomalies).hasSize(1);
        Anomaly a = anomalies.get(0);
        assertThat(a.getKind()).isEqualTo(AnomalyKind.SUSTAINED_DEVIATION);
        assertThat(a.getSeriesId()).isEqualTo(Series.seriesId("s1"));
        assertThat(a.getStart()).isEqualTo(points.get(3).timestamp());
        assertThat(a.getEnd()).isEqualTo(points.get(7).timestamp());
        assertThat(a.getSeverity()).isEqualTo(70.0);
        assertThat(a.getObserved()).isEqualTo(25.875);
        assertThat(a.getExpected()).isEqualTo(20.0);
        assertThat(a.getLower()).isEqualTo(17.0);
        assertThat(a.getUpper()).isEqualTo(23.0);
        assertThat(a.getDescription())
                .isEqualTo(
                        "room,sensor=s1 temp: 4 of 5 points above the band"
                                + " (mean 25.9 vs expected 20.0) over 40 s");
    }

    @Test
    void belowTheBandWithLowPointSeveritiesIsAtLeastMinor() throws Exception {
        Series s = Series.of("s1").severity(5);
        List<ScoredPoint> points = s.next(20, 16, 15, 14, 16.5, 20);

        List<Anomaly> anomalies = run(points);

        assertThat(anomalies).hasSize(1);
        Anomaly a = anomalies.get(0);
        assertThat(a.getStart()).isEqualTo(points.get(1).timestamp());
        assertThat(a.getEnd()).isEqualTo(points.get(4).timestamp());
        assertThat(a.getSeverity()).isEqualTo(25.0);
        assertThat(a.getObserved()).isEqualTo(15.375);
        assertThat(a.getDescription())
                .isEqualTo(
                        "room,sensor=s1 temp: 4 of 4 points below the band"
                                + " (mean 15.4 vs expected 20.0) over 30 s");
    }

    @Test
    void threeOfSixIsNotEnough() throws Exception {
        Series s = Series.of("s1");

        assertThat(run(s.next(20, 25, 20, 26, 20, 27, 20, 20, 20, 20))).isEmpty();
    }

    @Test
    void fourDeviatingPointsSpreadOverSevenPointsAreNotEnough() throws Exception {
        Series s = Series.of("s1");

        assertThat(run(s.next(20, 25, 20, 26, 20, 27, 20, 25.5, 20, 20))).isEmpty();
    }

    @Test
    void alternatingSidesDoNotCount() throws Exception {
        Series s = Series.of("s1");

        assertThat(run(s.next(20, 25, 15, 25, 15, 25, 15, 20))).isEmpty();
    }

    @Test
    void pointsFurtherApartThanWithinDoNotMatch() throws Exception {
        Series s = Series.of("s1").every(10 * 60_000L);
        // 4 consecutive deviating points, first to last 30 min: within(30 min) requires less
        assertThat(run(s.next(20, 25, 26, 27, 25, 20))).isEmpty();
    }

    @Test
    void pointsJustInsideWithinMatch() throws Exception {
        Series s = Series.of("s1").every(10 * 60_000L - 1);

        List<ScoredPoint> points = s.next(20, 25, 26, 27, 25, 20);
        List<Anomaly> anomalies = run(points);

        assertThat(anomalies)
                .extracting(Anomaly::getEnd)
                .containsExactly(points.get(4).timestamp());
    }

    @Test
    void nothingDuringWarmUp() throws Exception {
        Series s = Series.of("s1").warm(false);

        assertThat(run(s.next(20, 25, 26, 27, 25, 26, 27, 20))).isEmpty();
    }

    @Test
    void aLongContiguousEpisodeFiresOnce() throws Exception {
        Series s = Series.of("s1");
        List<ScoredPoint> points = concat(s.next(20), s.repeat(30, 26), s.next(20, 20));

        List<Anomaly> anomalies = run(points);

        assertThat(anomalies).hasSize(1);
        assertThat(anomalies.get(0).getStart()).isEqualTo(points.get(1).timestamp());
        assertThat(anomalies.get(0).getEnd()).isEqualTo(points.get(4).timestamp());
    }

    @Test
    void aNewExcursionAfterReturningToTheBandFiresAgain() throws Exception {
        Series s = Series.of("s1");
        List<ScoredPoint> points =
                concat(s.next(20), s.repeat(6, 26), s.next(20), s.repeat(4, 14), s.next(20));

        List<Anomaly> anomalies = run(points);

        assertThat(anomalies)
                .extracting(Anomaly::getStart, Anomaly::getEnd)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                points.get(1).timestamp(), points.get(4).timestamp()),
                        org.assertj.core.groups.Tuple.tuple(
                                points.get(8).timestamp(), points.get(11).timestamp()));
    }

    @Test
    void seriesAreMatchedSeparately() throws Exception {
        Series a = Series.of("a");
        Series b = Series.of("b");
        List<ScoredPoint> points =
                concat(
                        a.next(25),
                        b.next(25),
                        a.next(26),
                        b.next(20),
                        a.next(27),
                        b.next(26),
                        a.next(25),
                        b.next(20));

        List<Anomaly> anomalies = run(points);

        assertThat(anomalies)
                .extracting(Anomaly::getSeriesId)
                .containsExactly(Series.seriesId("a"));
    }
}
