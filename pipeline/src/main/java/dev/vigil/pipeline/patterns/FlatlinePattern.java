package dev.vigil.pipeline.patterns;

import dev.vigil.pipeline.config.DetectionSettings;
import dev.vigil.pipeline.model.Anomaly;
import dev.vigil.pipeline.model.AnomalyKind;
import dev.vigil.pipeline.model.ScoredPoint;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.cep.CEP;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FLATLINE (stuck sensor): the value stops changing for N points ({@code pattern.flatline.points})
 * or for a duration T ({@code pattern.flatline.duration}), whichever comes first, in a series that
 * normally varies. One stuck episode fires exactly once, on the point where N or T is reached.
 *
 * <pre>
 * begin("start").where(warm AND varies AND value != previous value)      no skip
 *   .next("stuck").where(value == start.value AND run not yet crossed)
 *   .oneOrMore().consecutive()
 *   .within(2·T)
 * </pre>
 *
 * <ul>
 *   <li>"start" is the first point of a run of equal values (its previous value differs), after
 *       warm-up, with a baseline that varies: {@code std > 1e-9·max(1, |mean|)}. So a run has one
 *       start, and a series that has always been constant never flatlines.
 *   <li>With NO_SKIP the looping "stuck" state emits a match on every accepted point: (start, s1),
 *       (start, s1, s2), …. The "stuck" condition refuses a point once the run so far has
 *       <em>crossed</em> (N points, or T with at least {@value #MIN_POINTS_FOR_DURATION} points),
 *       so the crossing match is the last one of the run and the process function emits only when a
 *       match crosses: exactly one anomaly per episode, and at most N matches of at most N points
 *       are materialized per run. The point after the crossing ends the partial match (strict
 *       contiguity) and cannot start a new run (its previous value is equal).
 *   <li>The duration criterion needs at least 3 equal points: two equal samples of a sparse series
 *       are not yet a stuck sensor.
 *   <li>{@code within(2·T)} bounds the life of a partial match, e.g. when the series stops
 *       reporting mid-run. Consequence: a run must cross within 2·T; a series reporting less often
 *       than once per T is not judged.
 * </ul>
 *
 * <p>The anomaly: start = ts of the first point of the run, end = ts of the crossing point,
 * observed = the stuck value, expected/lower/upper = baseline before the run, severity {@value
 * #SEVERITY} (major): a stuck sensor is a broken data source, always worth a look, never a page on
 * its own.
 */
public final class FlatlinePattern {

    public static final String UID = "pattern-flatline";
    public static final double SEVERITY = 50.0;
    public static final int MIN_POINTS_FOR_DURATION = 3;

    /** A baseline varies when {@code std > VARIES_RELATIVE · max(1, |mean|)}. */
    static final double VARIES_RELATIVE = 1e-9;

    static final String START = "start";
    static final String STUCK = "stuck";

    private FlatlinePattern() {}

    /** The pattern for these settings (event time is chosen by {@link #detect}). */
    public static Pattern<ScoredPoint, ScoredPoint> pattern(DetectionSettings s) {
        Crossing crossing = new Crossing(s.flatlinePoints, s.flatlineDurationMs);
        return Pattern.<ScoredPoint>begin(START, AfterMatchSkipStrategy.noSkip())
                .where(new RunStartsWhileVarying())
                .next(STUCK)
                .where(new StillStuck(crossing))
                .oneOrMore()
                .consecutive()
                .within(Duration.ofMillis(2 * s.flatlineDurationMs));
    }

    /** Emits the match that crosses N points or T, ignores the others. */
    public static PatternProcessFunction<ScoredPoint, Anomaly> processFunction(
            DetectionSettings s) {
        return new EmitFlatline(new Crossing(s.flatlinePoints, s.flatlineDurationMs));
    }

    /** Applies the pattern in event time: operator uid and name {@value #UID}. */
    public static SingleOutputStreamOperator<Anomaly> detect(
            KeyedStream<ScoredPoint, Long> scored, DetectionSettings s) {
        return CEP.pattern(scored, pattern(s))
                .inEventTime()
                .process(processFunction(s), TypeInformation.of(Anomaly.class))
                .uid(UID)
                .name(UID);
    }

    /** True when the baseline before {@code p} is warm and meaningfully varies. */
    static boolean varies(ScoredPoint p) {
        double std = p.getStd();
        return p.isWarm()
                && Double.isFinite(std)
                && std > VARIES_RELATIVE * Math.max(1.0, Math.abs(p.getMean()));
    }

    /**
     * When a run of {@code points} equal values lasting {@code durationMs} has gone on too long.
     */
    static final class Crossing implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        private final int points;
        private final long durationMs;

        Crossing(int points, long durationMs) {
            this.points = points;
            this.durationMs = durationMs;
        }

        boolean crossed(int runPoints, long runDurationMs) {
            return runPoints >= points
                    || (runPoints >= MIN_POINTS_FOR_DURATION && runDurationMs >= durationMs);
        }
    }

    /** "start": first point of a run of equal values, in a warm series that varies. */
    static final class RunStartsWhileVarying extends SimpleCondition<ScoredPoint> {
        @Override
        public boolean filter(ScoredPoint p) {
            return p != null
                    && p.getPoint() != null
                    && varies(p)
                    && !(p.getPreviousValue() == p.value());
        }
    }

    /** "stuck": the same value as "start", while the run so far has not crossed N or T. */
    static final class StillStuck extends IterativeCondition<ScoredPoint> {
        private final Crossing crossing;

        StillStuck(Crossing crossing) {
            this.crossing = crossing;
        }

        @Override
        public boolean filter(ScoredPoint p, Context<ScoredPoint> ctx) throws Exception {
            if (p == null || p.getPoint() == null) {
                return false;
            }
            ScoredPoint start = ctx.getEventsForPattern(START).iterator().next();
            if (!(p.value() == start.value())) {
                return false;
            }
            int runPoints = 1;
            long lastTs = start.timestamp();
            for (ScoredPoint stuck : ctx.getEventsForPattern(STUCK)) {
                runPoints++;
                lastTs = stuck.timestamp();
            }
            return !crossing.crossed(runPoints, lastTs - start.timestamp());
        }
    }

    /** Emits one FLATLINE for the match that crosses. */
    static final class EmitFlatline extends PatternProcessFunction<ScoredPoint, Anomaly> {

        private static final Logger LOG = LoggerFactory.getLogger(EmitFlatline.class);

        private final Crossing crossing;

        EmitFlatline(Crossing crossing) {
            this.crossing = crossing;
        }

        @Override
        public void processMatch(
                Map<String, List<ScoredPoint>> match, Context ctx, Collector<Anomaly> out) {
            try {
                ScoredPoint start = match.get(START).get(0);
                List<ScoredPoint> stuck = match.get(STUCK);
                ScoredPoint last = stuck.get(stuck.size() - 1);
                int runPoints = 1 + stuck.size();
                if (crossing.crossed(runPoints, last.timestamp() - start.timestamp())) {
                    out.collect(toAnomaly(start, last, runPoints));
                }
            } catch (RuntimeException e) {
                LOG.warn("Dropping a flatline match that cannot be described", e);
            }
        }

        static Anomaly toAnomaly(ScoredPoint start, ScoredPoint last, int runPoints) {
            Anomaly a = Anomaly.of(AnomalyKind.FLATLINE, start.getPoint());
            a.setStart(start.timestamp());
            a.setEnd(last.timestamp());
            a.setSeverity(SEVERITY);
            a.setObserved(start.value());
            a.setExpected(start.getMean());
            a.setLower(start.getLower());
            a.setUpper(start.getUpper());
            a.setDescription(
                    start.getPoint().seriesKey()
                            + ": stuck at "
                            + Describe.number(start.value())
                            + " for "
                            + runPoints
                            + " points ("
                            + Describe.duration(last.timestamp() - start.timestamp())
                            + ")");
            return a;
        }
    }
}
