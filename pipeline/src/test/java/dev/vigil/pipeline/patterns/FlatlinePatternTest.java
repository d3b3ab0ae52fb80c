package dev.vigil.pipeline.patterns;

import static dev.vigil.pipeline.patterns.Series.concat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.pipeline.config.DetectionSettings;
import dev.vigil.pipeline.model.Anomaly;
import dev.vigil.pipeline.model.AnomalyKind;
import dev.vigil.pipeline.model.ScoredPoint;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/** Defaults: 10 points or 30 min; the test baseline is mean 20, σ 1. */
class FlatlinePatternTest {

    private static final DetectionSettings SETTINGS = DetectionSettings.defaults();
    private static final long MINUTE = 60_000L;

    private static List<Anomaly> run(List<ScoredPoint> points) throws Exception {
        try (CepHarness h =
                new CepHarness(
                        FlatlinePattern.pattern(SETTINGS),
                        FlatlinePattern.processFunction(SETTINGS))) {
            return h.run(points);
        }
    }

    @Test
    void tenEqualPointsAreAFlatline() throws Exception {
        Series s = Series.of("s1").every(30_000);
        List<ScoredPoint> points = concat(s.next(20.3, 19.2, 20.8), s.repeat(10, 21.0));

        List<Anomaly> anomalies = run(points);

        assertThat(anomalies).hasSize(1);
        Anomaly a = anomalies.get(0);
        assertThat(a.getKind()).isEqualTo(AnomalyKind.FLATLINE);
        assertThat(a.getSeriesId()).isEqualTo(Series.seriesId("s1"));
        assertThat(a.getStart()).isEqualTo(points.get(3).timestamp());
        assertThat(a.getEnd()).isEqualTo(points.get(12).timestamp());
        assertThat(a.getObserved()).isEqualTo(21.0);
        assertThat(a.getExpected()).isEqualTo(20.0);
        assertThat(a.getLower()).isEqualTo(17.0);
        assertThat(a.getUpper()).isEqualTo(23.0);
        assertThat(a.getSeverity()).isEqualTo(50.0);
        assertThat(a.getDescription())
                .isEqualTo("room,sensor=s1 temp: stuck at 21.0 for 10 points (4 min 30 s)");
    }

    @Test
    void aLongStuckEpisodeFiresOnce() throws Exception {
        Series s = Series.of("s1");
        List<ScoredPoint> points = concat(s.next(20.3), s.repeat(50, 21.0));

        List<Anomaly> anomalies = run(points);

        assertThat(anomalies)
                .extracting(Anomaly::getStart, Anomaly::getEnd)
                .containsExactly(
                        Tuple.tuple(points.get(1).timestamp(), points.get(10).timestamp()));
    }

    @Test
    void eachStuckEpisodeFiresOnce() throws Exception {
        Series s = Series.of("s1");
        List<ScoredPoint> points =
                concat(s.next(20.3), s.repeat(12, 21.0), s.next(19.5), s.repeat(11, 19.0));

        List<Anomaly> anomalies = run(points);

        assertThat(anomalies)
                .extracting(Anomaly::getStart, Anomaly::getEnd, Anomaly::getObserved)
                .containsExactly(
                        Tuple.tuple(points.get(1).timestamp(), points.get(10).timestamp(), 21.0),
                        Tuple.tuple(points.get(14).timestamp(), points.get(23).timestamp(), 19.0));
    }

    @Test
    void nineEqualPointsAreNotAFlatline() throws Exception {
        Series s = Series.of("s1");

        assertThat(run(concat(s.next(20.3), s.repeat(9, 21.0), s.next(20.5), s.repeat(9, 21.0))))
                .isEmpty();
    }

    @Test
    void aSeriesThatNeverVariesIsNotAFlatline() throws Exception {
        Series s = Series.of("s1").baseline(21.0, 0.0);

        assertThat(run(s.repeat(30, 21.0))).isEmpty();
    }

    @Test
    void aNegligibleStdDoesNotCountAsVarying() throws Exception {
        Series s = Series.of("s1").baseline(1000.0, 1e-7);

        assertThat(run(concat(s.next(1000.5), s.repeat(30, 1000.0)))).isEmpty();
    }

    @Test
    void aRunThatBeganDuringWarmUpIsNotJudged() throws Exception {
        Series s = Series.of("s1").warm(false);
        List<ScoredPoint> coldStart = concat(s.next(20.3), s.repeat(3, 21.0));
        s.warm(true);

        assertThat(run(concat(coldStart, s.repeat(20, 21.0)))).isEmpty();
    }

    @Test
    void aSparseSeriesFlatlinesAfterTheDuration() throws Exception {
        Series s = Series.of("s1").every(4 * MINUTE);
        List<ScoredPoint> points = concat(s.next(20.3), s.repeat(12, 21.0));

        List<Anomaly> anomalies = run(points);

        // run starts at points[1]; points[9] is the first one 30 min or more later (32 min)
        assertThat(anomalies).hasSize(1);
        assertThat(anomalies.get(0).getStart()).isEqualTo(points.get(1).timestamp());
        assertThat(anomalies.get(0).getEnd()).isEqualTo(points.get(9).timestamp());
        assertThat(anomalies.get(0).getDescription())
                .isEqualTo("room,sensor=s1 temp: stuck at 21.0 for 9 points (32 min)");
    }

    @Test
    void exactlyTheDurationIsEnough() throws Exception {
        Series s = Series.of("s1").every(15 * MINUTE);
        List<ScoredPoint> points = concat(s.next(20.3), s.repeat(4, 21.0));

        List<Anomaly> anomalies = run(points);

        assertThat(anomalies)
                .extracting(Anomaly::getEnd)
                .containsExactly(points.get(3).timestamp());
    }

    @Test
    void twoEqualPointsFarApartAreNotAFlatline() throws Exception {
        Series s = Series.of("s1").every(40 * MINUTE);

        assertThat(run(concat(s.next(20.3), s.repeat(2, 21.0), s.next(20.5)))).isEmpty();
    }

    @Test
    void theRepeatsAloneGiveTheSameAnomaliesAsTheFullStream() throws Exception {
        Series s = Series.of("s1");
        List<ScoredPoint> points =
                concat(
                        s.next(20.3, 19.1),
                        s.repeat(12, 21.0),
                        s.next(19.5),
                        s.repeat(4, 19.0),
                        s.next(20.1),
                        s.repeat(11, 20.7),
                        s.next(20.7, 19.9));
        List<ScoredPoint> repeats =
                points.stream().filter(new Patterns.RepeatOfVaryingRun()::filter).toList();

        List<Anomaly> fromAll = run(points);

        assertThat(repeats).hasSize(11 + 3 + 11);
        assertThat(fromAll)
                .extracting(Anomaly::getStart, Anomaly::getEnd)
                .containsExactly(
                        Tuple.tuple(points.get(2).timestamp(), points.get(11).timestamp()),
                        Tuple.tuple(points.get(20).timestamp(), points.get(29).timestamp()));
        assertThat(run(repeats)).isEqualTo(fromAll);
    }
}
