package dev.vigil.pipeline.model;

import dev.vigil.common.model.MetricPoint;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * A metric point together with how it compares to its series' baseline <em>before</em> the point
 * was folded into the baseline. Produced by the scoring function, consumed by the pattern detectors
 * and the band sink.
 *
 * <p>Serialized by {@link ScoredPointSerializer} (a field added here needs a line there; its test
 * fails until it has one).
 */
@TypeInfo(ScoredPointTypeInfo.Factory.class)
public class ScoredPoint {

    /** A baseline varies when {@code std > VARIES_RELATIVE · max(1, |mean|)}. */
    public static final double VARIES_RELATIVE = 1e-9;

    /** The point itself. */
    private MetricPoint point;

    /**
     * 1-based position of this point in its series (count of scored points so far, including this
     * one).
     */
    private long seq;

    /** True once the series is past its warm-up; no flags are raised before. */
    private boolean warm;

    /** Baseline mean and standard deviation before this point. */
    private double mean;

    private double std;

    /** (value − mean) / std; 0 when std is 0 and value == mean. */
    private double z;

    /** Two-sided Gaussian tail probability of |z|. */
    private double p;

    /** Severity 0–100 derived from p (see the scorer). */
    private double severity;

    /**
     * Final anomaly score in [0, 1): continuous and non-saturating (see {@code SeriesDetector}); 0
     * before warm-up and inside an excursion already reported. What replay writes and NAB
     * thresholds.
     */
    private double anomalyScore;

    /** Expected band mean ∓ k·σ. */
    private double lower;

    private double upper;

    /**
     * Value and event time of the previous point of the series (NaN / Long.MIN_VALUE for the first
     * point).
     */
    private double previousValue;

    private long previousTimestamp;

    /** Typical inter-arrival interval of the series in ms (0 until known). */
    private double typicalIntervalMs;

    /**
     * Length of the run of equal values this point belongs to, up to and including it: 1 when the
     * value differs from the previous one (or is the series' first), n for the (n−1)-th repeat.
     */
    private int runLength = 1;

    /**
     * Whether the baseline before the first point of that run was warm and varied ({@link
     * #baselineVaries()} of the run's first point): only such runs can be a stuck sensor.
     */
    private boolean runStartVaried;

    /** For serializers. */
    public ScoredPoint() {}

    public double value() {
        return point.getValue();
    }

    public long timestamp() {
        return point.getTimestamp();
    }

    /** The Flink key: the series id of the point. */
    public long seriesId() {
        return point.getSeriesId();
    }

    /** Beyond the expected band (|z| > k) and past warm-up. */
    public boolean outsideBand() {
        return warm && (point.getValue() < lower || point.getValue() > upper);
    }

    /**
     * True when the baseline before this point is warm and meaningfully varies: {@code std >
     * VARIES_RELATIVE · max(1, |mean|)}.
     */
    public boolean baselineVaries() {
        return warm
                && Double.isFinite(std)
                && std > VARIES_RELATIVE * Math.max(1.0, Math.abs(mean));
    }

    /** A repeat (not the first point) of a run of equal values that began while varying. */
    public boolean isRepeatOfVaryingRun() {
        return runLength >= 2 && runStartVaried;
    }

    public MetricPoint getPoint() {
        return point;
    }

    public void setPoint(MetricPoint point) {
        this.point = point;
    }

    public long getSeq() {
        return seq;
    }

    public void setSeq(long seq) {
        this.seq = seq;
    }

    public boolean isWarm() {
        return warm;
    }

    public void setWarm(boolean warm) {
        this.warm = warm;
    }

    public double getMean() {
        return mean;
    }

    public void setMean(double mean) {
        this.mean = mean;
    }

    public double getStd() {
        return std;
    }

    public void setStd(double std) {
        this.std = std;
    }

    public double getZ() {
        return z;
    }

    public void setZ(double z) {
        this.z = z;
    }

    public double getP() {
        return p;
    }

    public void setP(double p) {
        this.p = p;
    }

    public double getSeverity() {
        return severity;
    }

    public void setSeverity(double severity) {
        this.severity = severity;
    }

    public double getAnomalyScore() {
        return anomalyScore;
    }

    public void setAnomalyScore(double anomalyScore) {
        this.anomalyScore = anomalyScore;
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

    public double getPreviousValue() {
        return previousValue;
    }

    public void setPreviousValue(double previousValue) {
        this.previousValue = previousValue;
    }

    public long getPreviousTimestamp() {
        return previousTimestamp;
    }

    public void setPreviousTimestamp(long previousTimestamp) {
        this.previousTimestamp = previousTimestamp;
    }

    public double getTypicalIntervalMs() {
        return typicalIntervalMs;
    }

    public void setTypicalIntervalMs(double typicalIntervalMs) {
        this.typicalIntervalMs = typicalIntervalMs;
    }

    public int getRunLength() {
        return runLength;
    }

    public void setRunLength(int runLength) {
        this.runLength = runLength;
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
        if (!(o instanceof ScoredPoint)) {
            return false;
        }
        ScoredPoint that = (ScoredPoint) o;
        return seq == that.seq
                && warm == that.warm
                && Double.compare(that.mean, mean) == 0
                && Double.compare(that.std, std) == 0
                && Double.compare(that.z, z) == 0
                && Double.compare(that.p, p) == 0
                && Double.compare(that.severity, severity) == 0
                && Double.compare(that.anomalyScore, anomalyScore) == 0
                && Double.compare(that.lower, lower) == 0
                && Double.compare(that.upper, upper) == 0
                && Double.compare(that.previousValue, previousValue) == 0
                && previousTimestamp == that.previousTimestamp
                && Double.compare(that.typicalIntervalMs, typicalIntervalMs) == 0
                && runLength == that.runLength
                && runStartVaried == that.runStartVaried
                && Objects.equals(point, that.point);
    }

    @Override
    public int hashCode() {
        return Objects.hash(point, seq, z);
    }

    @Override
    public String toString() {
        return "ScoredPoint{"
                + point
                + ", seq="
                + seq
                + ", warm="
                + warm
                + ", mean="
                + mean
                + ", std="
                + std
                + ", z="
                + z
                + ", p="
                + p
                + ", severity="
                + severity
                + ", anomalyScore="
                + anomalyScore
                + '}';
    }
}
