package dev.vigil.pipeline.detect;

import dev.vigil.pipeline.config.DetectionSettings;
import java.util.Objects;

/**
 * Per-series baseline kept in Flink keyed state: an exponentially weighted mean and variance plus a
 * few facts about the series (min, max, last point, typical inter-arrival interval, current run of
 * repeated values, current same-side run outside the band). A Flink POJO of primitives only (157
 * bytes serialized, see the test).
 *
 * <h2>Mean and variance</h2>
 *
 * Point n of the baseline (1-based) gets the weight {@code a_n = max(α, 1/n)}, α = {@link
 * DetectionSettings#alpha()} (half-life in points), and is folded in with West's / Finch's
 * numerically stable update: {@code diff = x − mean; incr = a·diff; mean += incr; var = (1 −
 * a)·(var + diff·incr)}. For the first ⌈1/α⌉ points 1/n ≥ α, so the estimate is the plain
 * equal-weight mean and population variance (no start-up bias towards 0 or towards the first value,
 * as an EWMA started there would have); from then on it continues seamlessly as an EWMA with weight
 * α. The result is exactly the weighted mean and weighted (population) variance Σ wᵢ(xᵢ − μ)² with
 * wᵢ = aᵢ·Π_{j&gt;i}(1 − a_j). The mean is stored as an offset from an anchor (the first value of
 * the baseline), so a series like 1e9 ± 1 keeps the full precision of its noise.
 *
 * <h2>Robustness</h2>
 *
 * <ul>
 *   <li>Clamping: once warm, the value fed into the mean and variance is clamped to mean ∓
 *       clampK·σ, so a single wild point moves the mean by at most α·clampK·σ.
 *   <li>σ floor: σ used for scoring and clamping is at least {@code max(1e-9, 1e-7·|mean|)}. 1e-7
 *       is just above float32 resolution (2⁻²⁴ ≈ 6e-8), so a constant series with float
 *       representation jitter scores |z| &lt; 1, while a real change of a constant series (≥
 *       1e-6·|mean|, or ≥ 1e-8 near 0) scores |z| ≥ 10, i.e. severity 100.
 *   <li>Re-baselining: when the last levelShiftPoints points were all outside the band on the same
 *       side, the baseline is reset to those points: mean = their mean, variance = max(their sample
 *       variance, the previous variance, σ floor²), count is kept, and the equal-weight start
 *       restarts at n = levelShiftPoints (so the next points refine the new level quickly instead
 *       of with weight α). The previous variance is a floor because a shift of the level is no
 *       evidence that the noise got smaller; the update lowers it if it did. Only the side, count,
 *       first value and sums of deviations from it are kept for the current run (no arrays).
 * </ul>
 *
 * <p>{@link #score} is pure; {@link #update} mutates. Non-finite values are ignored by {@link
 * #update}.
 */
public class RunningStats {

    /** Absolute σ floor. */
    public static final double SIGMA_FLOOR_ABSOLUTE = 1e-9;

    /** σ floor relative to |mean| (about float32 resolution). */
    public static final double SIGMA_FLOOR_RELATIVE = 1e-7;

    /** Points folded in so far. */
    private long count;

    /**
     * Anchor of the mean: the first value of the current baseline. The mean is kept as an offset
     * from it so that a series with a large offset (1e9 ± 1) keeps all the digits of its noise:
     * {@code x − reference} is exact for x within a factor 2 of the anchor (Sterbenz).
     */
    private double reference;

    /** mean − reference. */
    private double meanOffset;

    /**
     * Points in the current baseline, for the equal-weight start; equals count until a re-baseline,
     * which sets it to levelShiftPoints.
     */
    private long baselinePoints;

    /** Exponentially weighted population variance (not floored). */
    private double variance;

    private double min;
    private double max;

    private double lastValue;
    private long lastTimestamp;

    /**
     * EWMA (weight max(α, 1/gaps)) of positive inter-arrival gaps in ms, each gap capped at
     * silenceIntervalMultiplier × the current estimate (a silence is not the new rhythm); 0 until
     * the first positive gap. Out-of-order and duplicate timestamps are not gaps.
     */
    private double typicalIntervalMs;

    /** Positive gaps seen (for the equal-weight start of the interval EWMA). */
    private long gapCount;

    /** Length of the current run of identical values (≥ 1 once a point was seen). */
    private long repeatCount;

    /** Event time of the first point of the current run of identical values. */
    private long repeatStart;

    /** −1 / +1: side of the band of the current run of outside points; 0: no run. */
    private int shiftSide;

    private int shiftCount;

    /** First value of the current outside run; sums below are of (x − shiftReference). */
    private double shiftReference;

    private double shiftSum;
    private double shiftSumSquares;

    /** Whether the last point was warm and outside the band (one SPIKE per excursion). */
    private boolean lastOutsideBand;

    /** For serializers; an empty series. */
    public RunningStats() {}

    // ---------------------------------------------------------------- scoring

    /** σ floor for a baseline at {@code mean}. */
    public static double sigmaFloor(double mean) {
        return Math.max(SIGMA_FLOOR_ABSOLUTE, SIGMA_FLOOR_RELATIVE * Math.abs(mean));
    }

    /** Baseline mean (0 for an empty series). */
    public double mean() {
        return reference + meanOffset;
    }

    /** Baseline σ, floored. */
    public double sigma() {
        return Math.max(Math.sqrt(Math.max(variance, 0.0)), sigmaFloor(mean()));
    }

    /** Whether the baseline has at least warmupPoints points. */
    public boolean isWarm(DetectionSettings s) {
        return count >= s.warmupPoints;
    }

    /**
     * Scores {@code value} against the baseline as it is now (before the value is folded in). For
     * an empty series the value is its own baseline: z = 0, p = 1, not warm.
     */
    public Score score(double value, DetectionSettings s) {
        double center = count == 0 ? value : mean();
        double sigma = count == 0 ? sigmaFloor(value) : sigma();
        double z = count == 0 ? 0.0 : finite(((value - reference) - meanOffset) / sigma);
        double p = GaussianTail.twoSidedP(z);
        return new Score(
                isWarm(s),
                center,
                sigma,
                z,
                p,
                GaussianTail.log10P(z, p),
                center - s.bandK * sigma,
                center + s.bandK * sigma);
    }

    // ---------------------------------------------------------------- update

    /** Folds a point into the statistics (ignored if the value is NaN or infinite). */
    public void update(double value, long timestamp, DetectionSettings s) {
        if (!Double.isFinite(value)) {
            return;
        }
        boolean warm = isWarm(s);
        double sigma = sigma();
        int side = warm ? bandSide(value, s.bandK, sigma) : 0;

        updateInterval(timestamp, s);
        updateRepeats(value, timestamp);
        updateExtremes(value);
        lastValue = value;
        lastTimestamp = timestamp;
        foldIntoMeanAndVariance(value, warm ? s.clampK * sigma : Double.POSITIVE_INFINITY, s);
        lastOutsideBand = side != 0;
        trackLevelShift(value, side, s.levelShiftPoints);
    }

    /** West/Finch update with weight max(α, 1/n), the value clamped to mean ∓ clampHalfWidth. */
    private void foldIntoMeanAndVariance(double value, double clampHalfWidth, DetectionSettings s) {
        if (baselinePoints == 0) {
            reference = value;
        }
        count++;
        baselinePoints++;
        double a = Math.max(s.alpha(), 1.0 / baselinePoints);
        double x =
                clamp(value - reference, meanOffset - clampHalfWidth, meanOffset + clampHalfWidth);
        double diff = x - meanOffset;
        double incr = a * diff;
        meanOffset += incr;
        variance = (1.0 - a) * (variance + diff * incr);
    }

    private void updateInterval(long timestamp, DetectionSettings s) {
        if (count == 0 || timestamp <= lastTimestamp) {
            return;
        }
        double gap = (double) timestamp - (double) lastTimestamp;
        if (typicalIntervalMs > 0) {
            // A gap longer than the silence threshold was a silence, not the new rhythm.
            gap = Math.min(gap, s.silenceIntervalMultiplier * typicalIntervalMs);
        }
        gapCount++;
        double a = Math.max(s.alpha(), 1.0 / gapCount);
        typicalIntervalMs += a * (gap - typicalIntervalMs);
    }

    private void updateRepeats(double value, long timestamp) {
        if (count > 0 && value == lastValue) {
            repeatCount++;
        } else {
            repeatCount = 1;
            repeatStart = timestamp;
        }
    }

    private void updateExtremes(double value) {
        if (count == 0) {
            min = value;
            max = value;
        } else {
            min = Math.min(min, value);
            max = Math.max(max, value);
        }
    }

    private void trackLevelShift(double value, int side, int levelShiftPoints) {
        if (side == 0) {
            resetShiftRun();
            return;
        }
        if (side != shiftSide) {
            resetShiftRun();
            shiftSide = side;
            shiftReference = value;
        }
        double d = value - shiftReference;
        shiftCount++;
        shiftSum += d;
        shiftSumSquares += d * d;
        if (shiftCount >= levelShiftPoints) {
            rebaseline();
        }
    }

    /** Baseline := the points of the current same-side run (count is kept). */
    private void rebaseline() {
        double n = shiftCount;
        double runMean = shiftSum / n;
        double runVariance = Math.max(0.0, (shiftSumSquares - shiftSum * runMean) / (n - 1.0));
        reference = shiftReference;
        meanOffset = runMean;
        baselinePoints = shiftCount;
        double floor = sigmaFloor(mean());
        variance = Math.max(Math.max(runVariance, variance), floor * floor);
        lastOutsideBand = false; // the last point is part of the new normal
        resetShiftRun();
    }

    private void resetShiftRun() {
        shiftSide = 0;
        shiftCount = 0;
        shiftReference = 0.0;
        shiftSum = 0.0;
        shiftSumSquares = 0.0;
    }

    /** −1 below, +1 above, 0 inside mean ∓ k·σ (same arithmetic as {@link Score#outsideBand}). */
    private int bandSide(double value, double bandK, double sigma) {
        double mean = mean();
        if (value < mean - bandK * sigma) {
            return -1;
        }
        return value > mean + bandK * sigma ? 1 : 0;
    }

    private static double clamp(double x, double lo, double hi) {
        return Math.max(lo, Math.min(hi, x));
    }

    private static double finite(double z) {
        if (Double.isNaN(z)) {
            return 0.0;
        }
        return Math.max(-Double.MAX_VALUE, Math.min(Double.MAX_VALUE, z));
    }

    // ---------------------------------------------------------------- views

    /** Value of the last point, NaN for an empty series. */
    public double previousValue() {
        return count == 0 ? Double.NaN : lastValue;
    }

    /** Event time of the last point, Long.MIN_VALUE for an empty series. */
    public long previousTimestamp() {
        return count == 0 ? Long.MIN_VALUE : lastTimestamp;
    }

    // ---------------------------------------------------------------- POJO accessors

    public long getCount() {
        return count;
    }

    public void setCount(long count) {
        this.count = count;
    }

    public double getReference() {
        return reference;
    }

    public void setReference(double reference) {
        this.reference = reference;
    }

    public double getMeanOffset() {
        return meanOffset;
    }

    public void setMeanOffset(double meanOffset) {
        this.meanOffset = meanOffset;
    }

    public long getBaselinePoints() {
        return baselinePoints;
    }

    public void setBaselinePoints(long baselinePoints) {
        this.baselinePoints = baselinePoints;
    }

    public double getVariance() {
        return variance;
    }

    public void setVariance(double variance) {
        this.variance = variance;
    }

    public double getMin() {
        return min;
    }

    public void setMin(double min) {
        this.min = min;
    }

    public double getMax() {
        return max;
    }

    public void setMax(double max) {
        this.max = max;
    }

    public double getLastValue() {
        return lastValue;
    }

    public void setLastValue(double lastValue) {
        this.lastValue = lastValue;
    }

    public long getLastTimestamp() {
        return lastTimestamp;
    }

    public void setLastTimestamp(long lastTimestamp) {
        this.lastTimestamp = lastTimestamp;
    }

    public double getTypicalIntervalMs() {
        return typicalIntervalMs;
    }

    public void setTypicalIntervalMs(double typicalIntervalMs) {
        this.typicalIntervalMs = typicalIntervalMs;
    }

    public long getGapCount() {
        return gapCount;
    }

    public void setGapCount(long gapCount) {
        this.gapCount = gapCount;
    }

    public long getRepeatCount() {
        return repeatCount;
    }

    public void setRepeatCount(long repeatCount) {
        this.repeatCount = repeatCount;
    }

    public long getRepeatStart() {
        return repeatStart;
    }

    public void setRepeatStart(long repeatStart) {
        this.repeatStart = repeatStart;
    }

    public int getShiftSide() {
        return shiftSide;
    }

    public void setShiftSide(int shiftSide) {
        this.shiftSide = shiftSide;
    }

    public int getShiftCount() {
        return shiftCount;
    }

    public void setShiftCount(int shiftCount) {
        this.shiftCount = shiftCount;
    }

    public double getShiftReference() {
        return shiftReference;
    }

    public void setShiftReference(double shiftReference) {
        this.shiftReference = shiftReference;
    }

    public double getShiftSum() {
        return shiftSum;
    }

    public void setShiftSum(double shiftSum) {
        this.shiftSum = shiftSum;
    }

    public double getShiftSumSquares() {
        return shiftSumSquares;
    }

    public void setShiftSumSquares(double shiftSumSquares) {
        this.shiftSumSquares = shiftSumSquares;
    }

    public boolean isLastOutsideBand() {
        return lastOutsideBand;
    }

    public void setLastOutsideBand(boolean lastOutsideBand) {
        this.lastOutsideBand = lastOutsideBand;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof RunningStats)) {
            return false;
        }
        RunningStats that = (RunningStats) o;
        return count == that.count
                && Double.compare(that.reference, reference) == 0
                && Double.compare(that.meanOffset, meanOffset) == 0
                && baselinePoints == that.baselinePoints
                && Double.compare(that.variance, variance) == 0
                && Double.compare(that.min, min) == 0
                && Double.compare(that.max, max) == 0
                && Double.compare(that.lastValue, lastValue) == 0
                && lastTimestamp == that.lastTimestamp
                && Double.compare(that.typicalIntervalMs, typicalIntervalMs) == 0
                && gapCount == that.gapCount
                && repeatCount == that.repeatCount
                && repeatStart == that.repeatStart
                && shiftSide == that.shiftSide
                && shiftCount == that.shiftCount
                && Double.compare(that.shiftReference, shiftReference) == 0
                && Double.compare(that.shiftSum, shiftSum) == 0
                && Double.compare(that.shiftSumSquares, shiftSumSquares) == 0
                && lastOutsideBand == that.lastOutsideBand;
    }

    @Override
    public int hashCode() {
        return Objects.hash(count, reference, meanOffset, variance, lastValue, lastTimestamp);
    }

    @Override
    public String toString() {
        return "RunningStats{count="
                + count
                + ", mean="
                + mean()
                + ", variance="
                + variance
                + ", min="
                + min
                + ", max="
                + max
                + ", last="
                + lastValue
                + "@"
                + lastTimestamp
                + ", typicalIntervalMs="
                + typicalIntervalMs
                + ", repeats="
                + repeatCount
                + ", shiftRun="
                + shiftSide
                + "x"
                + shiftCount
                + '}';
    }
}
