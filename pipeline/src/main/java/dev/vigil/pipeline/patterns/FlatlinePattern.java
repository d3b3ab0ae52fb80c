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
 * begin("stuck").where(repeat of a run that began while varying, same run, not yet crossed)
 *   .oneOrMore().consecutive()                                         no skip
 *   .within(2·T)
 * </pre>
 *
 * <p>The pattern only needs the <em>repeats</em> of a run: the scoring function stamps every point
 * with the length of its run of equal values ({@link ScoredPoint#getRunLength()}) and whether the
 * baseline before the run's first point was warm and varied ({@link
 * ScoredPoint#isRunStartVaried()}). The run's first point is known from its second one (previous
 * value and timestamp). So {@link Patterns} feeds this pattern only repeats of varying runs ({@link
 * ScoredPoint#isRepeatOfVaryingRun()}, a few percent of the points) instead of starting a partial
 * match at every point; the result is the same on the filtered and on the full stream, because any
 * other point ends a run.
 *
 * <ul>
 *   <li>A match starts at the run's second point (run length 2) when the run began warm and with a
 *       baseline that varies: {@code std > 1e-9·max(1, |mean|)}. So a run has one match, and a
 *       series that has always been constant never flatlines.
 *   <li>With NO_SKIP the looping "stuck" state emits a match on every accepted point: (r2), (r2,
 *       r3), …. The condition refuses a point of another run, and a point once the run so far has
 *       <em>crossed</em> (N points, or T with at least {@value #MIN_POINTS_FOR_DURATION} points),
 *       so the crossing match is the last one of the run and the process function emits only when a
 *       match crosses: exactly one anomaly per episode.
 *   <li>The duration criterion needs at least 3 equal points: two equal samples of a sparse series
 *       are not yet a stuck sensor.
 *   <li>A run must cross within 2·T of its first point (the condition refuses later points; {@code
 *       within(2·T)} bounds the life of a partial match, e.g. when the series stops reporting
 *       mid-run): a series reporting less often than once per T is not judged.
 * </ul>
 *
 * <p>The anomaly: start = ts of the first point of the run, end = ts of the crossing point,
 * observed = the stuck value, expected/lower/upper = the baseline before the run's second point (it
 * includes the run's first value), severity {@value #SEVERITY} (major): a stuck sensor is a broken
 * data source, always worth a look, never a page on its own.
 */
public final class FlatlinePattern {

    public static final String UID = "pattern-flatline";
    public static final double SEVERITY = 50.0;
    public static final int MIN_POINTS_FOR_DURATION = 3;

    static final String STUCK = "stuck";

    private FlatlinePattern() {}

    /** The pattern for these settings (event time is chosen by {@link #detect}). */
    public static Pattern<ScoredPoint, ScoredPoint> pattern(DetectionSettings s) {
        Crossing crossing = new Crossing(s.flatlinePoints, s.flatlineDurationMs);
        return Pattern.<ScoredPoint>begin(STUCK, AfterMatchSkipStrategy.noSkip())
                .where(new StillStuck(crossing))
                .oneOrMore()
                .consecutive()
                .within(Duration.ofMillis(crossing.windowMs()));
    }

    /** Emits the match that crosses N points or T, ignores the others. */
    public static PatternProcessFunction<ScoredPoint, Anomaly> processFunction(
            DetectionSettings s) {
        return new EmitFlatline(new Crossing(s.flatlinePoints, s.flatlineDurationMs));
    }

    /**
     * Applies the pattern in event time to {@code repeats} (repeats of varying runs, see {@link
     * Patterns}; the full scored stream gives the same result): operator uid and name {@value
     * #UID}.
     */
    public static SingleOutputStreamOperator<Anomaly> detect(
            KeyedStream<ScoredPoint, Long> repeats, DetectionSettings s) {
        return CEP.pattern(repeats, pattern(s))
                .inEventTime()
                .process(processFunction(s), TypeInformation.of(Anomaly.class))
                .uid(UID)
                .name(UID);
    }

    /** True when the baseline before {@code p} is warm and meaningfully varies. */
    static boolean varies(ScoredPoint p) {
        return p.baselineVaries();
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

        /** A run must cross within this time from its first point. */
        long windowMs() {
            return 2 * durationMs;
        }

        boolean crossed(int runPoints, long runDurationMs) {
            return runPoints >= points
                    || (runPoints >= MIN_POINTS_FOR_DURATION && runDurationMs >= durationMs);
        }
    }

    /**
     * "stuck": a repeat of a run that began while varying; the run's second point starts a match,
     * later ones must be the next point of the same run, within 2·T of the run's first point, while
     * the run so far has not crossed N or T.
     */
    static final class StillStuck extends IterativeCondition<ScoredPoint> {
        private final Crossing crossing;

        StillStuck(Crossing crossing) {
            this.crossing = crossing;
        }

        @Override
        public boolean filter(ScoredPoint p, Context<ScoredPoint> ctx) throws Exception {
            if (p == null || p.getPoint() == null || !p.isRepeatOfVaryingRun()) {
                return false;
            }
            ScoredPoint second = null;
            ScoredPoint last = null;
            for (ScoredPoint stuck : ctx.getEventsForPattern(STUCK)) {
                second = second == null ? stuck : second;
                last = stuck;
            }
            if (last == null) {
                return p.getRunLength() == 2 && !crossing.crossed(1, 0);
            }
            long runStart = runStart(second);
            return p.getRunLength() == last.getRunLength() + 1
                    && p.value() == last.value()
                    && p.timestamp() - runStart < crossing.windowMs()
                    && !crossing.crossed(last.getRunLength(), last.timestamp() - runStart);
        }
    }

    /** Event time of a run's first point, from its second point. */
    static long runStart(ScoredPoint second) {
        return second.getPreviousTimestamp();
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
                List<ScoredPoint> stuck = match.get(STUCK);
                ScoredPoint second = stuck.get(0);
                ScoredPoint last = stuck.get(stuck.size() - 1);
                int runPoints = last.getRunLength();
                if (crossing.crossed(runPoints, last.timestamp() - runStart(second))) {
                    out.collect(toAnomaly(second, last, runPoints));
                }
            } catch (RuntimeException e) {
                LOG.warn("Dropping a flatline match that cannot be described", e);
            }
        }

        static Anomaly toAnomaly(ScoredPoint second, ScoredPoint last, int runPoints) {
            long start = runStart(second);
            Anomaly a = Anomaly.of(AnomalyKind.FLATLINE, second.getPoint());
            a.setStart(start);
            a.setEnd(last.timestamp());
            a.setSeverity(SEVERITY);
            a.setObserved(second.value());
            a.setExpected(second.getMean());
            a.setLower(second.getLower());
            a.setUpper(second.getUpper());
            a.setDescription(
                    second.getPoint().seriesKey()
                            + ": stuck at "
                            + Describe.number(second.value())
                            + " for "
                            + runPoints
                            + " points ("
                            + Describe.duration(last.timestamp() - start)
                            + ")");
            return a;
        }
    }
}
