package dev.vigil.pipeline.patterns;

import dev.vigil.pipeline.config.DetectionSettings;
import dev.vigil.pipeline.model.Anomaly;
import dev.vigil.pipeline.model.AnomalyKind;
import dev.vigil.pipeline.model.ScoredPoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.cep.CEP;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LEVEL_SHIFT: the series settled at a new level. L ({@code pattern.level-shift.points})
 * consecutive points (strict contiguity), all beyond the band on the same side, whose spread is
 * small relative to the shift: {@code max − min of the L values < |shift|}, where {@code shift =
 * mean(L values) − first.mean} (the baseline mean before the first shifted point).
 *
 * <pre>
 * begin("first").where(starts an excursion)                       skip past last event
 *   .next("rest").where(same side as first; on the L-th point also: spread &lt; |shift|)
 *   .times(L − 1).consecutive()
 *   .within(state.series-ttl)
 * </pre>
 *
 * <p>The spread test sits in the condition of the last point, so a noisy excursion simply does not
 * match (it is a sustained deviation, not a new level). As for {@link SustainedDeviationPattern},
 * "first" must start an excursion, so a long run at the new level is reported once even if the
 * baseline does not follow; in the pipeline the scoring function re-baselines after L same-side
 * points anyway. {@code within} only bounds the life of a partial match whose series stopped
 * reporting mid-run (it is forgotten together with the series state).
 *
 * <p>Severity grows linearly with the shift in baseline standard deviations: {@code 25 +
 * (25/3)·|shift|/σ}, clamped to [25, 100] — a shift of 3σ is 50 (major), 6σ is 75 (critical), 9σ
 * and more is 100. σ = 0 (a constant series that moved) is 100. Observed = the new level (mean of
 * the L values), expected/lower/upper = the baseline before the first point.
 */
public final class LevelShiftPattern {

    public static final String UID = "pattern-level-shift";

    static final String FIRST = "first";
    static final String REST = "rest";

    private LevelShiftPattern() {}

    /** The pattern for these settings (event time is chosen by {@link #detect}). */
    public static Pattern<ScoredPoint, ScoredPoint> pattern(DetectionSettings s) {
        return Pattern.<ScoredPoint>begin(FIRST, AfterMatchSkipStrategy.skipPastLastEvent())
                .where(new Excursion.StartsExcursion())
                .next(REST)
                .where(new SettlesOnSameSide(s.levelShiftPoints))
                .times(s.levelShiftPoints - 1)
                .consecutive()
                .within(Duration.ofMillis(s.seriesTtlMs));
    }

    /** Turns a match into an anomaly. */
    public static PatternProcessFunction<ScoredPoint, Anomaly> processFunction() {
        return new EmitLevelShift();
    }

    /** Applies the pattern in event time: operator uid and name {@value #UID}. */
    public static SingleOutputStreamOperator<Anomaly> detect(
            KeyedStream<ScoredPoint, Long> scored, DetectionSettings s) {
        return CEP.pattern(scored, pattern(s))
                .inEventTime()
                .process(processFunction(), TypeInformation.of(Anomaly.class))
                .uid(UID)
                .name(UID);
    }

    /**
     * Severity of a shift of {@code shift} in a baseline of standard deviation {@code std}: 3σ →
     * 50, 6σ → 75, ≥ 9σ → 100, never below 25.
     */
    public static double severity(double shift, double std) {
        if (!(std > 0) || Double.isInfinite(std)) {
            return 100.0;
        }
        double sigmas = Math.abs(shift) / std;
        if (Double.isNaN(sigmas)) {
            return 25.0;
        }
        return Math.max(25.0, Math.min(100.0, 25.0 + sigmas * 25.0 / 3.0));
    }

    /**
     * "rest": outside the band on the side of "first"; the L-th point also requires the spread of
     * all L values to be below the shift.
     */
    static final class SettlesOnSameSide extends IterativeCondition<ScoredPoint> {
        private final int levelShiftPoints;

        SettlesOnSameSide(int levelShiftPoints) {
            this.levelShiftPoints = levelShiftPoints;
        }

        @Override
        public boolean filter(ScoredPoint p, Context<ScoredPoint> ctx) throws Exception {
            ScoredPoint first = ctx.getEventsForPattern(FIRST).iterator().next();
            if (!Excursion.continues(first, p, levelShiftPoints)) {
                // L matched points inside L consecutive positions of the series are contiguous:
                // this keeps
                // the pattern exact when it only sees the points outside the band
                // (Patterns.detect).
                return false;
            }
            List<ScoredPoint> points = new ArrayList<>(levelShiftPoints);
            points.add(first);
            ctx.getEventsForPattern(REST).forEach(points::add);
            points.add(p);
            return points.size() < levelShiftPoints || Level.of(points).isSettled();
        }
    }

    /** Mean and range of the values of a run, compared with the baseline before it. */
    static final class Level {
        final double mean;
        final double range;
        final double shift;

        private Level(double mean, double range, double shift) {
            this.mean = mean;
            this.range = range;
            this.shift = shift;
        }

        static Level of(List<ScoredPoint> points) {
            double sum = 0;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (ScoredPoint p : points) {
                sum += p.value();
                min = Math.min(min, p.value());
                max = Math.max(max, p.value());
            }
            double mean = sum / points.size();
            return new Level(mean, max - min, mean - points.get(0).getMean());
        }

        boolean isSettled() {
            return range < Math.abs(shift);
        }
    }

    /** Emits one LEVEL_SHIFT per match. */
    static final class EmitLevelShift extends PatternProcessFunction<ScoredPoint, Anomaly> {

        private static final Logger LOG = LoggerFactory.getLogger(EmitLevelShift.class);

        @Override
        public void processMatch(
                Map<String, List<ScoredPoint>> match, Context ctx, Collector<Anomaly> out) {
            try {
                out.collect(toAnomaly(match));
            } catch (RuntimeException e) {
                LOG.warn("Dropping a level-shift match that cannot be described", e);
            }
        }

        static Anomaly toAnomaly(Map<String, List<ScoredPoint>> match) {
            List<ScoredPoint> points = new ArrayList<>(match.get(FIRST));
            points.addAll(match.get(REST));
            ScoredPoint first = points.get(0);
            ScoredPoint last = points.get(points.size() - 1);
            Level level = Level.of(points);

            Anomaly a = Excursion.anomaly(AnomalyKind.LEVEL_SHIFT, first, last);
            a.setSeverity(severity(level.shift, first.getStd()));
            a.setObserved(level.mean);
            a.setDescription(describe(first, last, points.size(), level));
            return a;
        }

        private static String describe(
                ScoredPoint first, ScoredPoint last, int points, Level level) {
            String sigmas =
                    first.getStd() > 0
                            ? ", " + Describe.number(Math.abs(level.shift) / first.getStd()) + "σ"
                            : "";
            return first.getPoint().seriesKey()
                    + ": level shifted "
                    + (level.shift > 0 ? "up" : "down")
                    + " from "
                    + Describe.number(first.getMean())
                    + " to "
                    + Describe.number(level.mean)
                    + " ("
                    + (level.shift > 0 ? "+" : "")
                    + Describe.number(level.shift)
                    + sigmas
                    + ") over "
                    + points
                    + " points ("
                    + Describe.duration(last.timestamp() - first.timestamp())
                    + ")";
        }
    }
}
