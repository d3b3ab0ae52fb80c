package dev.vigil.pipeline.detect;

import java.util.Objects;

/**
 * Everything {@link ScoringFunction} keeps per series, in one keyed state entry ("series-state"):
 * the scoring baseline ({@link RunningStats}), the detectors behind the anomaly score ({@link
 * SeriesDetector}) and whether the current run of equal values began while the baseline varied (for
 * the flatline pattern, see {@link dev.vigil.pipeline.model.ScoredPoint#isRunStartVaried()}). One
 * entry means one state lookup and one TTL timestamp per point. Also the processing time the series
 * was last seen (for the cleanup timer). Serialized by {@link SeriesStateSerializer}.
 */
public class SeriesState {

    private RunningStats stats = new RunningStats();
    private SeriesDetector detector = new SeriesDetector();
    private boolean runStartVaried;

    /** Processing time of the series' last point, for the cleanup timer (see ScoringFunction). */
    private long lastSeenMs;

    /** For serializers; an empty series. */
    public SeriesState() {}

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

    public long getLastSeenMs() {
        return lastSeenMs;
    }

    public void setLastSeenMs(long lastSeenMs) {
        this.lastSeenMs = lastSeenMs;
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
                && lastSeenMs == that.lastSeenMs
                && Objects.equals(stats, that.stats)
                && Objects.equals(detector, that.detector);
    }

    @Override
    public int hashCode() {
        return Objects.hash(stats, detector, runStartVaried, lastSeenMs);
    }

    @Override
    public String toString() {
        return "SeriesState{"
                + stats
                + ", "
                + detector
                + ", runStartVaried="
                + runStartVaried
                + ", lastSeenMs="
                + lastSeenMs
                + '}';
    }
}
