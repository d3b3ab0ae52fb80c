package dev.vigil.pipeline.patterns;

import dev.vigil.pipeline.config.DetectionSettings;
import dev.vigil.pipeline.model.Anomaly;
import dev.vigil.pipeline.model.ScoredPoint;
import dev.vigil.pipeline.patterns.Excursion.Side;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.common.typeinfo.BasicTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;

/**
 * The CEP pattern detectors over the scored stream, in event time, as one stream of anomalies.
 * (SILENCE needs no operator of its own: the scoring function detects it on the series state it has
 * loaded anyway, see {@link dev.vigil.pipeline.detect.SilenceDetector}; a savepoint that still has
 * the former {@code pattern-silence} operator restores only with {@code --allowNonRestoredState}.)
 *
 * <table>
 *   <caption>Operators (uid = name)</caption>
 *   <tr><td>{@value SustainedDeviationPattern#UID}</td><td>{@link SustainedDeviationPattern}</td></tr>
 *   <tr><td>{@value LevelShiftPattern#UID}</td><td>{@link LevelShiftPattern}</td></tr>
 *   <tr><td>{@value FlatlinePattern#UID}</td><td>{@link FlatlinePattern}</td></tr>
 * </table>
 *
 * <p>What each injected behaviour yields from these detectors (default settings: N = 4 of M = 6, L
 * = 8, flatline 10 points / 30 min; SPIKE and SILENCE come from the scoring function, not from
 * here):
 *
 * <ul>
 *   <li>a single spike: nothing (one point is fewer than N).
 *   <li>a sustained excursion (≥ 4 of 6 consecutive points beyond k·σ on one side, within 30 min):
 *       one SUSTAINED_DEVIATION per excursion; an excursion is a run that starts when the previous
 *       point was not beyond the same edge, so an episode that re-enters the band and leaves it
 *       again can be reported again.
 *   <li>a level shift (a step to a new level beyond k·σ, noise at the new level smaller than the
 *       step): one SUSTAINED_DEVIATION (its first 4 points) and one LEVEL_SHIFT (its first 8
 *       points); then the scoring function re-baselines and the new level is normal. A noisy step
 *       (range of the 8 values ≥ the shift) yields only the SUSTAINED_DEVIATION; a step to a
 *       perfectly constant value (no noise at all) is also a FLATLINE at its 10th point.
 *   <li>a stuck sensor in a varying series: one FLATLINE at the 10th equal point or, for a sparse
 *       series, at the first point 30 min after the run began (at least 3 equal points). Stuck
 *       outside the band, it is a level shift as well (see above).
 *   <li>a dropout longer than max(5 min, 5 × typical interval): nothing here; the scoring function
 *       reports one SILENCE when event time passes the deadline (none when the input just ends).
 * </ul>
 */
public final class Patterns {

    private Patterns() {}

    /** Operator uid (and name) of the filter that feeds the band patterns. */
    public static final String UID_OUTSIDE_BAND = "pattern-candidates-outside-band";

    /** Operator uid (and name) of the filter that feeds the flatline pattern. */
    public static final String UID_REPEATS = "pattern-candidates-repeats";

    /**
     * The union of the three CEP patterns over {@code scored}. The sustained-deviation and
     * level-shift patterns only ever match points outside the band, so they see only those (CEP
     * keeps per-key state for every event it is given; most points are inside the band). Both stay
     * exact on the filtered stream: their conditions use the points' own {@code seq} and {@code
     * previousValue}, not the events between them. Likewise the flatline pattern sees only repeats
     * of runs of equal values that began while the series varied ({@link
     * ScoredPoint#isRepeatOfVaryingRun()}); it is exact on those (see {@link FlatlinePattern}).
     */
    public static DataStream<Anomaly> detect(
            KeyedStream<ScoredPoint, Long> scored, DetectionSettings s) {
        KeyedStream<ScoredPoint, Long> outsideBand =
                DataStreamUtils.reinterpretAsKeyedStream(
                        scored.filter(new OutsideBand())
                                .uid(UID_OUTSIDE_BAND)
                                .name(UID_OUTSIDE_BAND),
                        ScoredPoint::seriesId,
                        BasicTypeInfo.LONG_TYPE_INFO);
        KeyedStream<ScoredPoint, Long> repeats =
                DataStreamUtils.reinterpretAsKeyedStream(
                        scored.filter(new RepeatOfVaryingRun()).uid(UID_REPEATS).name(UID_REPEATS),
                        ScoredPoint::seriesId,
                        BasicTypeInfo.LONG_TYPE_INFO);
        return SustainedDeviationPattern.detect(outsideBand, s)
                .union(
                        LevelShiftPattern.detect(outsideBand, s),
                        FlatlinePattern.detect(repeats, s));
    }

    /** Warm points outside the expected band: the only candidates of the band patterns. */
    public static final class OutsideBand implements FilterFunction<ScoredPoint> {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean filter(ScoredPoint p) {
            return Excursion.side(p) != Side.NONE;
        }
    }

    /** Repeats of a run of equal values that began while varying: the flatline's candidates. */
    public static final class RepeatOfVaryingRun implements FilterFunction<ScoredPoint> {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean filter(ScoredPoint p) {
            return p.isRepeatOfVaryingRun();
        }
    }
}
