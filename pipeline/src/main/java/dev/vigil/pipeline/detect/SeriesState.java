package dev.vigil.pipeline.detect;

import java.util.Objects;

/**
 * Everything {@link ScoringFunction} keeps per series, in one keyed state entry ("series-state"):
 * the scoring baseline ({@link RunningStats}), the detectors behind the anomaly score ({@link
 * SeriesDetector}) and whether the current run of equal values began while the baseline varied (for
 * the flatline pattern, see {@link dev.vigil.pipeline.model.ScoredPoint#isRunStartVaried()}). One
 * entry means one state lookup, one TTL timestamp and one incremental-cleanup visit per point
 * instead of two. A Flink POJO.
 */
public class SeriesState {

    private RunningStats stats = new RunningStats();
    private SeriesDetector detector = new SeriesDetector();
    private boolean runStartVaried;

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
                && Objects.equals(stats, that.stats)
                && Objects.equals(detector, that.detector);
    }

    @Override
    public int hashCode() {
        return Objects.hash(stats, detector, runStartVaried);
    }

    @Override
    public String toString() {
        return "SeriesState{"
                + stats
                + ", "
                + detector
                + ", runStartVaried="
                + runStartVaried
                + '}';
    }
}
