package dev.vigil.pipeline.patterns;

import static dev.vigil.pipeline.patterns.Series.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.pipeline.config.DetectionSettings;
import dev.vigil.pipeline.model.Anomaly;
import dev.vigil.pipeline.model.AnomalyKind;
import dev.vigil.pipeline.model.ScoredPoint;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Defaults: L = 8 consecutive points; the test band is 17..23 (mean 20, σ 1). */
class LevelShiftPatternTest {

    private static final DetectionSettings SETTINGS = DetectionSettings.defaults();

    private static List<Anomaly> run(List<ScoredPoint> points) throws Exception {
        try (CepHarness h =
                new CepHarness(
                        LevelShiftPattern.pattern(SETTINGS), LevelShiftPattern.processFunction())) {
            return h.run(points);
        }
    }

    @Test
    void eightSettledPointsAboveTheBandAreALevelShift() throws Exception {
        Series s = Series.of("s1");
        List<ScoredPoint> points =
                concat(
                        s.next(20, 20.4, 19.6, 20.1, 19.9),
                        s.next(26.0, 26.2, 25.8, 26.1, 25.9, 26.0, 26.3, 25.7),
                        s.next(26.1));

        List<Anomaly> anomalies = run(points);

        assertThat(anomalies).hasSize(1);
        Anomaly a = anomalies.get(0);
        assertThat(a.getKind()).isEqualTo(AnomalyKind.LEVEL_SHIFT);
        assertThat(a.getSeriesId()).isEqualTo(Series.seriesId("s1"));
        assertThat(a.getStart()).isEqualTo(points.get(5).timestamp());
        assertThat(a.getEnd()).isEqualTo(points.get(12).timestamp());
        assertThat(a.getObserved()).isCloseTo(26.0, within(1e-9));
        assertThat(a.getExpected()).isEqualTo(20.0);
        assertThat(a.getLower()).isEqualTo(17.0);
        assertThat(a.getUpper()).isEqualTo(23.0);
        assertThat(a.getSeverity()).isCloseTo(75.0, within(1e-9));
        assertThat(a.getDescription())
                .isEqualTo(
                        "room,sensor=s1 temp: level shifted up from 20.0 to 26.0 (+6.0, 6.0σ)"
                                + " over 8 points (70 s)");
    }

    @Test
    void aShiftDownIsReportedToo() throws Exception {
        Series s = Series.of("s1");
        List<ScoredPoint> points = concat(s.next(20), s.repeat(8, 15.0));

        List<Anomaly> anomalies = run(points);

        assertThat(anomalies).hasSize(1);
        assertThat(anomalies.get(0).getObserved()).isEqualTo(15.0);
        assertThat(anomalies.get(0).getDescription())
                .startsWith(
                        "room,sensor=s1 temp: level shifted down from 20.0 to 15.0 (-5.0, 5.0σ)");
    }

    @Test
    void aNoisyExcursionIsNotANewLevel() throws Exception {
        Series s = Series.of("s1");
        // mean 30, shift 10, range 12 ≥ 10
        assertThat(run(concat(s.next(20), s.next(24, 36, 24, 36, 24, 36, 24, 36), s.next(20))))
                .isEmpty();
    }

    @Test
    void sevenPointsAreNotEnough() throws Exception {
        Series s = Series.of("s1");

        assertThat(run(concat(s.next(20), s.repeat(7, 26), s.next(20, 20)))).isEmpty();
    }

    @Test
    void onOnlyTheOutsideBandPointsAGapStillBreaksTheRun() throws Exception {
        Series s = Series.of("s1");
        List<ScoredPoint> points = concat(s.next(20), s.repeat(4, 26), s.next(20), s.repeat(4, 26));
        Patterns.OutsideBand outsideBand = new Patterns.OutsideBand();
        List<ScoredPoint> candidates = new java.util.ArrayList<>();
        for (ScoredPoint p : points) {
            if (outsideBand.filter(p)) {
                candidates.add(p);
            }
        }

        assertThat(candidates).hasSize(8); // what Patterns.detect feeds the pattern
        assertThat(run(candidates)).isEmpty();
        assertThat(
                        run(
                                concat(s.next(20), s.repeat(8, 26)).stream()
                                        .filter(outsideBand::filter)
                                        .toList()))
                .hasSize(1);
    }

    @Test
    void onePointInsideTheBandBreaksTheRun() throws Exception {
        Series s = Series.of("s1");

        assertThat(run(concat(s.next(20), s.repeat(4, 26), s.next(20), s.repeat(4, 26)))).isEmpty();
    }

    @Test
    void bothSidesAreNotOneLevel() throws Exception {
        Series s = Series.of("s1");

        assertThat(run(concat(s.next(20), s.repeat(4, 26), s.repeat(4, 14)))).isEmpty();
    }

    @Test
    void nothingDuringWarmUp() throws Exception {
        Series s = Series.of("s1").warm(false);

        assertThat(run(concat(s.next(20), s.repeat(10, 26)))).isEmpty();
    }

    @Test
    void aLongRunAtTheNewLevelFiresOnce() throws Exception {
        Series s = Series.of("s1");
        List<ScoredPoint> points = concat(s.next(20), s.repeat(40, 26));

        List<Anomaly> anomalies = run(points);

        assertThat(anomalies).hasSize(1);
        assertThat(anomalies.get(0).getEnd()).isEqualTo(points.get(8).timestamp());
    }

    @Test
    void severityGrowsWithTheShiftInSigmas() {
        assertThat(LevelShiftPattern.severity(3, 1)).isCloseTo(50.0, within(1e-9));
        assertThat(LevelShiftPattern.severity(-6, 1)).isCloseTo(75.0, within(1e-9));
        assertThat(LevelShiftPattern.severity(18, 2)).isCloseTo(100.0, within(1e-9));
        assertThat(LevelShiftPattern.severity(50, 1)).isEqualTo(100.0);
        assertThat(LevelShiftPattern.severity(0.3, 1)).isCloseTo(27.5, within(1e-9));
        assertThat(LevelShiftPattern.severity(0, 1)).isEqualTo(25.0);
        assertThat(LevelShiftPattern.severity(1, 0)).isEqualTo(100.0);
        assertThat(LevelShiftPattern.severity(Double.NaN, 1)).isEqualTo(25.0);
    }
}
