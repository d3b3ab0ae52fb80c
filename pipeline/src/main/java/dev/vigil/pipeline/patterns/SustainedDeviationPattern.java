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
 * SUSTAINED_DEVIATION: at least N ({@code pattern.sustained.points}) of M ({@code
 * pattern.sustained.window-points}) consecutive points beyond k·σ on the same side, the first and
 * the last less than T ({@code pattern.sustained.within}) apart, in event time.
 *
 * <pre>
 * begin("first").where(starts an excursion)                       skip past last event
 *   .followedBy("more").where(same side as first AND seq − first.seq &lt; M).times(N − 1)
 *   .within(T)
 * </pre>
 *
 * <p>"more" uses relaxed contiguity: points inside the band between the deviating ones are skipped,
 * the {@code seq} condition keeps the N points inside a window of M consecutive points.
 *
 * <p>"first" is not any deviating point but the <em>start of an excursion</em> (the previous point
 * was not beyond the same edge of the band, see {@link Excursion#excursionStart}). Together with
 * skip-past-last-event this reports a contiguous run of deviating points once, however long it
 * lasts; an episode that touches the band and leaves it again is a new excursion and may be
 * reported again. Partial matches that can no longer complete (their window of M points is over)
 * are dropped by {@code within(T)}; there is at most one per excursion start.
 *
 * <p>The anomaly: start = first ts, end = last ts, severity = max severity of the matched points
 * (at least 25, minor), observed = mean of the matched values, expected/lower/upper = the baseline
 * before the first point.
 */
public final class SustainedDeviationPattern {

    public static final String UID = "pattern-sustained-deviation";
    public static final double MIN_SEVERITY = 25.0;

    static final String FIRST = "first";
    static final String MORE = "more";

    private SustainedDeviationPattern() {}

    /** The pattern for these settings (event time is chosen by {@link #detect}). */
    public static Pattern<ScoredPoint, ScoredPoint> pattern(DetectionSettings s) {
        return Pattern.<ScoredPoint>begin(FIRST, AfterMatchSkipStrategy.skipPastLastEvent())
                .where(new Excursion.StartsExcursion())
                .followedBy(MORE)
                .where(new SameSideWithinWindow(s.sustainedWindowPoints))
                .times(s.sustainedPoints - 1)
                .within(Duration.ofMillis(s.sustainedWithinMs));
    }

    /** Turns a match into an anomaly. */
    public static PatternProcessFunction<ScoredPoint, Anomaly> processFunction() {
        return new EmitSustainedDeviation();
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

    /** "more": outside the band on the side of "first", at most M − 1 points after it. */
    static final class SameSideWithinWindow extends IterativeCondition<ScoredPoint> {
        private final int windowPoints;

        SameSideWithinWindow(int windowPoints) {
            this.windowPoints = windowPoints;
        }

        @Override
        public boolean filter(ScoredPoint p, Context<ScoredPoint> ctx) throws Exception {
            ScoredPoint first = ctx.getEventsForPattern(FIRST).iterator().next();
            return Excursion.continues(first, p, windowPoints);
        }
    }

    /** Emits one SUSTAINED_DEVIATION per match. */
    static final class EmitSustainedDeviation extends PatternProcessFunction<ScoredPoint, Anomaly> {

        private static final Logger LOG = LoggerFactory.getLogger(EmitSustainedDeviation.class);

        @Override
        public void processMatch(
                Map<String, List<ScoredPoint>> match, Context ctx, Collector<Anomaly> out) {
            try {
                out.collect(toAnomaly(match));
            } catch (RuntimeException e) {
                LOG.warn("Dropping a sustained-deviation match that cannot be described", e);
            }
        }

        static Anomaly toAnomaly(Map<String, List<ScoredPoint>> match) {
            List<ScoredPoint> points = new ArrayList<>(match.get(FIRST));
            points.addAll(match.get(MORE));
            ScoredPoint first = points.get(0);
            ScoredPoint last = points.get(points.size() - 1);
            double observed = meanValue(points);

            Anomaly a = Excursion.anomaly(AnomalyKind.SUSTAINED_DEVIATION, first, last);
            a.setSeverity(Math.max(MIN_SEVERITY, maxSeverity(points)));
            a.setObserved(observed);
            a.setDescription(describe(first, last, points.size(), observed));
            return a;
        }

        private static String describe(
                ScoredPoint first, ScoredPoint last, int matched, double observed) {
            long spanned = last.getSeq() - first.getSeq() + 1;
            return first.getPoint().seriesKey()
                    + ": "
                    + matched
                    + " of "
                    + spanned
                    + " points "
                    + Excursion.side(first).word()
                    + " the band (mean "
                    + Describe.number(observed)
                    + " vs expected "
                    + Describe.number(first.getMean())
                    + ") over "
                    + Describe.duration(last.timestamp() - first.timestamp());
        }

        private static double meanValue(List<ScoredPoint> points) {
            double sum = 0;
            for (ScoredPoint p : points) {
                sum += p.value();
            }
            return sum / points.size();
        }

        private static double maxSeverity(List<ScoredPoint> points) {
            double max = 0;
            for (ScoredPoint p : points) {
                max = Math.max(max, p.getSeverity());
            }
            return max;
        }
    }
}
