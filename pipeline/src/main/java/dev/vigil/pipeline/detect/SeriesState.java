package dev.vigil.pipeline.detect;

import java.util.Objects;

/**
 * Everything {@link ScoringFunction} keeps per series, in one keyed state entry ("series"): the
 * scoring baseline ({@link RunningStats}), the detectors behind the anomaly score ({@link
 * SeriesDetector}) and whether the current run of equal values began while the baseline varied (for
 * the flatline pattern, see {@link dev.vigil.pipeline.model.ScoredPoint#isRunStartVaried()}). One
 * entry means one state lookup per point. Also what the SILENCE detector ({@link SilenceDetector})
 * needs beyond the baseline: the newest point's event time, value, band and typical interval (as
 * its scored point carried them), and the series' one pending event-time timer — its SILENCE
 * deadline, or, once the series is silent, the time it is forgotten ({@code state.series-ttl} after
 * its newest point). The series' identity (names and tags) is not here: it is only needed when a
 * silence is reported and is kept in its own state ("series-identity"), so the strings are not
 * serialized on every access. (Until 0.x round 5 this was "series-state", with Flink state TTL and
 * a processing-time cleanup timer per series; see {@link ScoringFunction}.) Serialized by {@link
 * SeriesStateSerializer}.
 */
public class SeriesState {

    /** {@link #getTimer()} when no timer is pending. */
    public static final long NO_TIMER = Long.MAX_VALUE;

    private RunningStats stats;
    private SeriesDetector detector;
    private boolean runStartVaried;

    /** Event time of the series' pending timer, {@link #NO_TIMER} when there is none. */
    private long timer = NO_TIMER;

    /**
     * Whether the series is silent: its SILENCE was reported (or the input ended) and the pending
     * timer is the one that forgets it.
     */
    private boolean silent;

    /**
     * The newest point by event time (a point older than it does not replace it): timestamp and
     * value; {@link Long#MIN_VALUE} before the first point.
     */
    private long latestTimestamp = Long.MIN_VALUE;

    private double latestValue;

    /** Band of the newest point (its scored point's lower and upper). */
    private double latestLower;

    private double latestUpper;

    /** Typical interval the newest point was scored with (the baseline's, before that point). */
    private double latestIntervalMs;

    /** An empty series. */
    public SeriesState() {
        this(new RunningStats(), new SeriesDetector());
    }

    /**
     * A series with this baseline and these detectors (for serializers: nothing else allocated).
     */
    public SeriesState(RunningStats stats, SeriesDetector detector) {
        this.stats = stats;
        this.detector = detector;
    }

    public RunningStats getStats() {
        return stats;
    }

    public void setStats(RunningStats stats) {
        this.stats = stats;
    }

    public SeriesDetector getDetector() {
        return detector;
    }

    public void setDetector(SeriesDetector detector) {
        this.detector = detector;
    }

    public boolean isRunStartVaried() {
        return runStartVaried;
    }

    public void setRunStartVaried(boolean runStartVaried) {
        this.runStartVaried = runStartVaried;
    }

    public long getTimer() {
        return timer;
    }

    public void setTimer(long timer) {
        this.timer = timer;
    }

    public boolean hasTimer() {
        return timer != NO_TIMER;
    }

    public boolean isSilent() {
        return silent;
    }

    public void setSilent(boolean silent) {
        this.silent = silent;
    }

    public long getLatestTimestamp() {
        return latestTimestamp;
    }

    public void setLatestTimestamp(long latestTimestamp) {
        this.latestTimestamp = latestTimestamp;
    }

    public double getLatestValue() {
        return latestValue;
    }

    public void setLatestValue(double latestValue) {
        this.latestValue = latestValue;
    }

    public double getLatestLower() {
        return latestLower;
    }

    public void setLatestLower(double latestLower) {
        this.latestLower = latestLower;
    }

    public double getLatestUpper() {
        return latestUpper;
    }

    public void setLatestUpper(double latestUpper) {
        this.latestUpper = latestUpper;
    }

    public double getLatestIntervalMs() {
        return latestIntervalMs;
    }

    public void setLatestIntervalMs(double latestIntervalMs) {
        this.latestIntervalMs = latestIntervalMs;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof SeriesState)) {
            return false;
        }
        SeriesState that = (SeriesState) o;
        return runStartVaried == that.runStartVaried
                && timer == that.timer
                && silent == that.silent
                && latestTimestamp == that.latestTimestamp
                && Double.compare(that.latestValue, latestValue) == 0
                && Double.compare(that.latestLower, latestLower) == 0
                && Double.compare(that.latestUpper, latestUpper) == 0
                && Double.compare(that.latestIntervalMs, latestIntervalMs) == 0
                && Objects.equals(stats, that.stats)
                && Objects.equals(detector, that.detector);
    }

    @Override
    public int hashCode() {
        return Objects.hash(stats, detector, runStartVaried, timer, silent);
    }

    @Override
    public String toString() {
        return "SeriesState{"
                + stats
                + ", "
                + detector
                + ", runStartVaried="
                + runStartVaried
                + ", timer="
                + timer
                + (silent ? " (silent)" : "")
                + ", latest="
                + latestValue
                + '@'
                + latestTimestamp
                + " in ["
                + latestLower
                + ", "
                + latestUpper
                + "] every "
                + latestIntervalMs
                + " ms}";
    }
}
