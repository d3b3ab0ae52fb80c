package dev.vigil.pipeline.detect;

import dev.vigil.common.model.MetricPoint;
import dev.vigil.pipeline.config.DetectionSettings;
import dev.vigil.pipeline.model.Anomaly;
import dev.vigil.pipeline.model.AnomalyKind;
import dev.vigil.pipeline.model.ScoredPoint;
import dev.vigil.pipeline.patterns.Describe;
import java.io.Serializable;
import org.apache.flink.streaming.api.TimerService;

/**
 * SILENCE: a series stopped reporting for longer than {@code gap = max(pattern.silence.min-gap,
 * pattern.silence.interval-multiplier × typical interval)}, in event time. Run by {@link
 * ScoringFunction} on the {@link SeriesState} it has loaded anyway, so a point costs no state
 * access of its own.
 *
 * <p>At most one pending event-time timer per series ({@link SeriesState#getSilenceTimer()}). A
 * newer point does not touch the timer when its deadline ({@code ts + gap}, the gap from the
 * typical interval the point was scored with) is later than the pending one (the usual case: no
 * timer work per point); only a deadline that moved earlier (the typical interval shrank) replaces
 * the timer. A timer that fires before the series' current deadline re-registers at the deadline. A
 * point older than the newest one seen (out of order) changes nothing. (Before: delete and register
 * a timer on every point, 20 % of the scoring chain's CPU; {@code bench/PROFILE.md}.)
 *
 * <p>A timer at the deadline is {@link TimerOutcome#SILENT}: the caller reports one SILENCE ({@link
 * #toAnomaly}: start = the newest point's ts, end = fire time, observed = expected = its value,
 * lower/upper = its band, severity {@value #SEVERITY}) unless the input has ended (watermark {@code
 * Long.MAX_VALUE}: the end of a file is not a silence). Either way no timer is pending afterwards;
 * the next point of the series registers a new one. The baseline is not touched: a silence does not
 * reset the scoring.
 *
 * <p>The timers are only as good as the watermark: with all sources quiet, only {@link
 * dev.vigil.pipeline.time.IdleAwareWatermarks} keeps event time moving.
 */
public final class SilenceDetector implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Counter metric of reported silences. */
    public static final String COUNTER = "silences";

    public static final double SEVERITY = 50.0;

    /** What a firing SILENCE timer means for its series. */
    public enum TimerOutcome {
        /** Not the series' pending timer (replaced by an earlier one): nothing changed. */
        STALE,
        /** Points came in since it was set: the timer moved to the current deadline. */
        MOVED,
        /** The series is silent: no timer pending any more. */
        SILENT
    }

    private final long minGapMs;
    private final double intervalMultiplier;

    public SilenceDetector(DetectionSettings s) {
        this.minGapMs = s.silenceMinGapMs;
        this.intervalMultiplier = s.silenceIntervalMultiplier;
    }

    /**
     * Folds a scored point of the series into {@code state} (the newest point and the timer).
     *
     * @return whether a timer was registered while none was pending: the series is new, or back
     *     after a silence or the end of the input
     */
    public boolean observe(SeriesState state, ScoredPoint p, TimerService timers) {
        if (p.timestamp() < state.getLatestTimestamp()) {
            return false;
        }
        state.setLatestTimestamp(p.timestamp());
        state.setLatestValue(p.value());
        state.setLatestLower(p.getLower());
        state.setLatestUpper(p.getUpper());
        state.setLatestIntervalMs(p.getTypicalIntervalMs());
        long deadline = deadline(p.timestamp(), p.getTypicalIntervalMs());
        long pending = state.getSilenceTimer();
        if (deadline >= pending) {
            return false;
        }
        if (state.hasSilenceTimer()) {
            timers.deleteEventTimeTimer(pending);
        }
        timers.registerEventTimeTimer(deadline);
        state.setSilenceTimer(deadline);
        return pending == SeriesState.NO_SILENCE_TIMER;
    }

    /** An event-time timer of the series fired at {@code timestamp}. */
    public TimerOutcome onTimer(SeriesState state, long timestamp, TimerService timers) {
        if (!state.hasSilenceTimer() || state.getSilenceTimer() != timestamp) {
            return TimerOutcome.STALE;
        }
        long deadline = deadline(state.getLatestTimestamp(), state.getLatestIntervalMs());
        if (timestamp < deadline) {
            timers.registerEventTimeTimer(deadline);
            state.setSilenceTimer(deadline);
            return TimerOutcome.MOVED;
        }
        state.setSilenceTimer(SeriesState.NO_SILENCE_TIMER);
        return TimerOutcome.SILENT;
    }

    /** Event time at which a series last seen at {@code lastTs} is silent. */
    long deadline(long lastTs, double typicalIntervalMs) {
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

    /**
     * The SILENCE of the series {@code identity} (names and tags; its value and time are not used)
     * whose timer fired at {@code firedAt}.
     */
    public static Anomaly toAnomaly(MetricPoint identity, SeriesState state, long firedAt) {
        long last = state.getLatestTimestamp();
        Anomaly a = Anomaly.of(AnomalyKind.SILENCE, identity);
        a.setStart(last);
        a.setEnd(firedAt);
        a.setSeverity(SEVERITY);
        a.setObserved(state.getLatestValue());
        a.setExpected(state.getLatestValue());
        a.setLower(state.getLatestLower());
        a.setUpper(state.getLatestUpper());
        String expectation =
                state.getLatestIntervalMs() > 0
                        ? " (expected a point every "
                                + Describe.duration(state.getLatestIntervalMs())
                                + ")"
                        : "";
        a.setDescription(
                identity.seriesKey()
                        + ": silent for "
                        + Describe.duration(firedAt - last)
                        + expectation);
        return a;
    }
}
