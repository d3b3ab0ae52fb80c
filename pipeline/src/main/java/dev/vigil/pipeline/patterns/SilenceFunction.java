package dev.vigil.pipeline.patterns;

import dev.vigil.common.model.MetricPoint;
import dev.vigil.pipeline.config.DetectionSettings;
import dev.vigil.pipeline.model.Anomaly;
import dev.vigil.pipeline.model.AnomalyKind;
import dev.vigil.pipeline.model.ScoredPoint;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SILENCE: a series stopped reporting for longer than {@code gap = max(pattern.silence.min-gap,
 * pattern.silence.interval-multiplier × typical interval)}, in event time.
 *
 * <p>Keyed state "last-seen" ({@link LastSeen}: the last point, its band, the typical interval and
 * the pending timer) and at most one pending event-time timer per series. A newer point does not
 * touch the timer when its deadline ({@code last ts + gap}) is later than the pending one (the
 * usual case: no timer work per point); only a deadline that moved earlier (the typical interval
 * shrank) replaces the timer. A timer that fires before the series' current deadline re-registers
 * at the deadline. A point older than the last one seen (out of order) changes nothing. (Before:
 * delete and register a timer on every point, 20 % of the scoring chain's CPU; {@code
 * bench/PROFILE.md}.)
 *
 * <p>{@code onTimer} at the deadline: when the watermark is {@code Long.MAX_VALUE} the input has
 * ended (a bounded file) — the end of a file is not a silence, the state is only cleared. Otherwise
 * one SILENCE is emitted (start = last ts, end = fire time, observed = expected = the last value,
 * lower/upper = the band of the last point, severity {@value #SEVERITY}) and the state is cleared:
 * the series is gone until it returns, when it simply starts over. Since every piece of state is
 * removed by its own timer, no state TTL is needed. Counter metric {@value #COUNTER}.
 *
 * <p>The timers are only as good as the watermark: with all sources quiet, only {@link
 * dev.vigil.pipeline.time.IdleAwareWatermarks} keeps event time moving.
 */
public class SilenceFunction extends KeyedProcessFunction<Long, ScoredPoint, Anomaly> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SilenceFunction.class);

    public static final String UID = "pattern-silence";
    public static final String COUNTER = "silences";
    public static final double SEVERITY = 50.0;

    private final long minGapMs;
    private final double intervalMultiplier;

    private transient ValueState<LastSeen> lastSeen;
    private transient Counter silences;

    public SilenceFunction(DetectionSettings s) {
        this.minGapMs = s.silenceMinGapMs;
        this.intervalMultiplier = s.silenceIntervalMultiplier;
    }

    /** Applies the function: operator uid and name {@value #UID}. */
    public static SingleOutputStreamOperator<Anomaly> detect(
            KeyedStream<ScoredPoint, Long> scored, DetectionSettings s) {
        return scored.process(new SilenceFunction(s), TypeInformation.of(Anomaly.class))
                .uid(UID)
                .name(UID);
    }

    @Override
    public void open(OpenContext openContext) {
        lastSeen =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("last-seen", LastSeen.class));
        silences = getRuntimeContext().getMetricGroup().counter(COUNTER);
    }

    @Override
    public void processElement(ScoredPoint p, Context ctx, Collector<Anomaly> out)
            throws Exception {
        if (p == null || p.getPoint() == null) {
            return;
        }
        LastSeen seen = lastSeen.value();
        if (seen != null && p.timestamp() < seen.getPoint().getTimestamp()) {
            return;
        }
        long deadline = silenceDeadline(p.timestamp(), p.getTypicalIntervalMs());
        long timer = seen == null ? Long.MAX_VALUE : seen.getTimerTs();
        if (deadline < timer) {
            if (seen != null) {
                ctx.timerService().deleteEventTimeTimer(timer);
            }
            ctx.timerService().registerEventTimeTimer(deadline);
            timer = deadline;
        }
        lastSeen.update(LastSeen.of(p, timer));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Anomaly> out)
            throws Exception {
        LastSeen seen = lastSeen.value();
        if (seen == null || seen.getTimerTs() != timestamp) {
            return;
        }
        long deadline =
                silenceDeadline(seen.getPoint().getTimestamp(), seen.getTypicalIntervalMs());
        if (timestamp < deadline) {
            // points came in since the timer was set: wait for the series' current deadline
            ctx.timerService().registerEventTimeTimer(deadline);
            seen.setTimerTs(deadline);
            lastSeen.update(seen);
            return;
        }
        if (ctx.timerService().currentWatermark() == Long.MAX_VALUE) {
            LOG.debug("End of input, not a silence: {}", seen.getPoint());
        } else {
            out.collect(toAnomaly(seen, timestamp));
            silences.inc();
        }
        lastSeen.clear();
    }

    /** Event time at which a series last seen at {@code lastTs} is silent. */
    long silenceDeadline(long lastTs, double typicalIntervalMs) {
        long gap = gapMs(typicalIntervalMs);
        return lastTs > Long.MAX_VALUE - gap ? Long.MAX_VALUE - 1 : lastTs + gap;
    }

    /** {@code max(min-gap, multiplier × typical interval)}; a missing interval counts as 0. */
    long gapMs(double typicalIntervalMs) {
        double scaled =
                typicalIntervalMs > 0 && Double.isFinite(typicalIntervalMs)
                        ? intervalMultiplier * typicalIntervalMs
                        : 0;
        return Math.max(minGapMs, (long) Math.min(scaled, Long.MAX_VALUE / 2.0));
    }

    private static Anomaly toAnomaly(LastSeen seen, long firedAt) {
        MetricPoint last = seen.getPoint();
        Anomaly a = Anomaly.of(AnomalyKind.SILENCE, last);
        a.setStart(last.getTimestamp());
        a.setEnd(firedAt);
        a.setSeverity(SEVERITY);
        a.setObserved(last.getValue());
        a.setExpected(last.getValue());
        a.setLower(seen.getLower());
        a.setUpper(seen.getUpper());
        String expectation =
                seen.getTypicalIntervalMs() > 0
                        ? " (expected a point every "
                                + Describe.duration(seen.getTypicalIntervalMs())
                                + ")"
                        : "";
        a.setDescription(
                last.seriesKey()
                        + ": silent for "
                        + Describe.duration(firedAt - last.getTimestamp())
                        + expectation);
        return a;
    }

    /** Keyed state of one series: its last point, band, typical interval and pending timer. */
    public static class LastSeen {
        private MetricPoint point;
        private double lower;
        private double upper;
        private double typicalIntervalMs;
        private long timerTs;

        /** For serializers. */
        public LastSeen() {}

        static LastSeen of(ScoredPoint p, long timerTs) {
            LastSeen s = new LastSeen();
            s.point = p.getPoint();
            s.lower = p.getLower();
            s.upper = p.getUpper();
            s.typicalIntervalMs = p.getTypicalIntervalMs();
            s.timerTs = timerTs;
            return s;
        }

        public MetricPoint getPoint() {
            return point;
        }

        public void setPoint(MetricPoint point) {
            this.point = point;
        }

        public double getLower() {
            return lower;
        }

        public void setLower(double lower) {
            this.lower = lower;
        }

        public double getUpper() {
            return upper;
        }

        public void setUpper(double upper) {
            this.upper = upper;
        }

        public double getTypicalIntervalMs() {
            return typicalIntervalMs;
        }

        public void setTypicalIntervalMs(double typicalIntervalMs) {
            this.typicalIntervalMs = typicalIntervalMs;
        }

        public long getTimerTs() {
            return timerTs;
        }

        public void setTimerTs(long timerTs) {
            this.timerTs = timerTs;
        }

        @Override
        public boolean equals(Object o) {
            if (this == o) {
                return true;
            }
            if (!(o instanceof LastSeen)) {
                return false;
            }
            LastSeen that = (LastSeen) o;
            return Double.compare(that.lower, lower) == 0
                    && Double.compare(that.upper, upper) == 0
                    && Double.compare(that.typicalIntervalMs, typicalIntervalMs) == 0
                    && timerTs == that.timerTs
                    && Objects.equals(point, that.point);
        }

        @Override
        public int hashCode() {
            return Objects.hash(point, timerTs);
        }
    }
}
