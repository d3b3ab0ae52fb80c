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
 * <p>One pending event-time timer per series ({@link SeriesState#getTimer()}), for two purposes in
 * turn. While the series reports, it is the SILENCE deadline: a newer point does not touch the
 * timer when its deadline ({@code ts + gap}, the gap from the typical interval the point was scored
 * with) is later than the pending one (the usual case: no timer work per point); only a deadline
 * that moved earlier (the typical interval shrank) replaces the timer. A timer that fires before
 * the series' current deadline re-registers at the deadline. A point older than the newest one seen
 * (out of order) changes nothing. (Before: delete and register a timer on every point, 20 % of the
 * scoring chain's CPU; {@code bench/PROFILE.md}.)
 *
 * <p>A timer at the deadline is {@link TimerOutcome#SILENT}: the caller reports one SILENCE ({@link
 * #toAnomaly}: start = the newest point's ts, end = fire time, observed = expected = its value,
 * lower/upper = its band, severity {@value #SEVERITY}) unless the input has ended (watermark {@code
 * Long.MAX_VALUE}: the end of a file is not a silence). Either way the series is now {@link
 * SeriesState#isSilent() silent} and the same timer moves to the time the series is forgotten:
 * {@code state.series-ttl} after its newest point, in event time. Firing there, it is {@link
 * TimerOutcome#FORGET}: the caller clears the series' state. A point before that makes the timer a
 * SILENCE deadline again. The baseline is not touched by a silence: only forgetting resets the
 * scoring. (Until 0.x round 5 a second, processing-time timer per series did the forgetting; one
 * timer is 17 bytes per series less in every checkpoint.)
 *
 * <p>The timers are only as good as the watermark: with all sources quiet, only {@link
 * dev.vigil.pipeline.time.IdleAwareWatermarks} keeps event time moving.
 */
public final class SilenceDetector implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Counter metric of reported silences. */
    public static final String COUNTER = "silences";

    public static final double SEVERITY = 50.0;

    /** What a firing timer means for its series. */
    public enum TimerOutcome {
        /** Not the series' pending timer (replaced by an earlier one): nothing changed. */
        STALE,
        /** Points came in since it was set: the timer moved to the current deadline. */
        MOVED,
        /** The series is silent: the timer moved to the time it is forgotten. */
        SILENT,
        /** The series has been silent for {@code state.series-ttl}: clear its state. */
        FORGET
    }

    private final long minGapMs;
    private final double intervalMultiplier;
    private final long ttlMs;

    public SilenceDetector(DetectionSettings s) {
        this.minGapMs = s.silenceMinGapMs;
        this.intervalMultiplier = s.silenceIntervalMultiplier;
        this.ttlMs = s.seriesTtlMs;
    }

    /**
     * Folds a scored point of the series into {@code state} (the newest point and the timer).
     *
     * @return whether the series' SILENCE deadline was set while it had none: the series is new, or
     *     back after a silence or the end of the input
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
        boolean back = state.isSilent() || !state.hasTimer();
        if (!back && deadline >= state.getTimer()) {
            return false;
        }
        moveTimer(state, deadline, timers);
        state.setSilent(false);
        return back;
    }

    /** The series' timer fired at {@code timestamp}. */
    public TimerOutcome onTimer(SeriesState state, long timestamp, TimerService timers) {
        if (!state.hasTimer() || state.getTimer() != timestamp) {
            return TimerOutcome.STALE;
        }
        state.setTimer(SeriesState.NO_TIMER); // it has fired
        if (state.isSilent()) {
            return TimerOutcome.FORGET;
        }
        long deadline = deadline(state.getLatestTimestamp(), state.getLatestIntervalMs());
        if (timestamp < deadline) {
            moveTimer(state, deadline, timers);
            return TimerOutcome.MOVED;
        }
        state.setSilent(true);
        moveTimer(state, Math.max(timestamp, forgetTime(state.getLatestTimestamp())), timers);
        return TimerOutcome.SILENT;
    }

    /**
     * Gives a series restored without a pending timer (silent in a savepoint of 0.x round 5, where
     * a processing-time timer forgot series) the timer that forgets it.
     */
    public void adopt(SeriesState state, TimerService timers) {
        if (!state.hasTimer()) {
            state.setSilent(true);
            moveTimer(state, forgetTime(state.getLatestTimestamp()), timers);
        }
    }

    private static void moveTimer(SeriesState state, long time, TimerService timers) {
        if (state.hasTimer()) {
            timers.deleteEventTimeTimer(state.getTimer());
        }
        timers.registerEventTimeTimer(time);
        state.setTimer(time);
    }

    /** Event time at which a series last seen at {@code lastTs} is forgotten. */
    long forgetTime(long lastTs) {
        return lastTs > Long.MAX_VALUE - 1 - ttlMs ? Long.MAX_VALUE - 1 : lastTs + ttlMs;
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
