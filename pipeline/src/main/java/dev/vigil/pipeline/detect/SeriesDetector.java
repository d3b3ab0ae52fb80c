package dev.vigil.pipeline.detect;

import dev.vigil.pipeline.config.DetectionSettings;
import java.util.Arrays;
import java.util.Objects;

/**
 * Per-series anomaly detectors behind the final anomaly score, kept in Flink keyed state next to
 * {@link RunningStats}. A Flink POJO of primitives, primitive arrays and the POJO stages below (512
 * bytes as a POJO before the weekly profile exists, measured in the test; 2,058 with it). See
 * {@code pipeline/DETECTION.md} for the reasoning and the NAB numbers.
 *
 * <h2>Detectors</h2>
 *
 * <ul>
 *   <li><b>Robust baseline</b>: a location estimate by stochastic approximation with Huber's ψ
 *       ({@code level += a·clip(x − level, ±c·σ)}, c = {@value #HUBER_C}) and the exponentially
 *       weighted mean absolute deviation, σ = √(π/2)·MAD (exact for Gaussian noise), but at least
 *       the RMS residual (EW mean square, same half-life): a series whose spikes recur gets a wide
 *       enough tail that they stop being news. An outlier moves the level by at most a·c·σ.
 *   <li><b>Seasonal baseline</b>: 24 hour-of-day bins (UTC) of the same two estimates (stored as
 *       float offsets from the first value, equal-weight start per bin, then half-life {@code
 *       detector.seasonal.half-life-days} of the bin's points). The bin's σ is at least the pooled
 *       seasonal σ. Used only after {@code detector.seasonal.min-history} of event time and only
 *       while it predicts better than the robust baseline (smaller mean absolute residual): a
 *       series without a daily cycle keeps the robust baseline.
 *   <li><b>Weekly baseline</b>: 168 hour-of-week bins ({@link WeeklyProfile}) of the same two
 *       estimates, allocated only once the series has a week of history, each bin starting from its
 *       hour-of-day bin (half-life {@code detector.weekly.half-life-weeks} of the bin's points).
 *       Used after {@code detector.weekly.min-history} and only while its pooled deviation is below
 *       that of the baseline otherwise in use; a level change accepted on a seasonal baseline moves
 *       it too.
 *   <li><b>CUSUM</b> on the standardized residual z of the chosen baseline (clipped at ±{@value
 *       #CUSUM_CLIP}): {@code S⁺ = max(0, S⁺ + z − k)}, {@code S⁻ = max(0, S⁻ − z − k)}. For N(0,1)
 *       residuals the reflected walk has tail P(S &gt; s) ≈ exp(−2k·s), so its surprise is
 *       2k·S·log₁₀e. Beyond {@code detector.cusum.reset-log10p} the change is accepted: the
 *       baseline moves by the CUSUM's shift estimate σ·(k + S/N) and the CUSUM restarts, so a level
 *       shift is reported once.
 *   <li><b>Rate of change</b> of the residual: (r − previous r)/(√2·σ), so a jump that the baseline
 *       expects (the daily cycle) is not a rate anomaly.
 * </ul>
 *
 * <h2>Combination and score</h2>
 *
 * Point surprise = max over the three detectors of −log₁₀ p − log₁₀ 3 (Bonferroni), ≥ 0. It is
 * calibrated against the series' own history ({@link SurpriseCalibration}: surprises that keep
 * recurring are not news), and the rate of alarming points gets its own HTM-style likelihood
 * ({@link AnomalyLikelihood}); the surprise L is the larger of the two. To report an excursion
 * once, the emitted surprise is L only when L exceeds the decayed peak of the surprises so far
 * (decay half-life {@code detector.suppress.half-life-points}), else 0. The anomaly score is L/(L +
 * h), h = {@code detector.score.half-log10p}: continuous, monotone, never 1, so ever rarer events
 * keep ranking higher.
 */
public class SeriesDetector {

    /** √(π/2): σ of a normal distribution over its mean absolute deviation. */
    static final double MAD_TO_SIGMA = 1.2533141373155002;

    /** Huber ψ clip of the location updates, in σ. */
    static final double HUBER_C = 1.5;

    /** Clip of the standardized residual fed into the CUSUM. */
    static final double CUSUM_CLIP = 4.0;

    static final int HOURS = 24;
    static final long HOUR_MS = 3_600_000L;
    static final byte MAX_BIN_COUNT = Byte.MAX_VALUE;

    /** log₁₀ 3: Bonferroni correction for taking the best of three detectors. */
    static final double LOG10_DETECTORS = Math.log10(3.0);

    /**
     * |z| up to which a detector's surprise stays below {@link #LOG10_DETECTORS} (the two-sided
     * tail of 0.95 is 0.342 &gt; ⅓), so it cannot make a point surprising.
     */
    static final double QUIET_Z = 0.95;

    static final double SQRT_2 = Math.sqrt(2.0);

    static final double LOG10_E = Math.log10(Math.E);

    private long count;
    private long firstTimestamp;

    /** First value; the baselines are offsets from it (full precision for 1e9 ± 1). */
    private double reference;

    private double levelOffset;
    private double levelDev;

    /** EW mean square residual (unclipped): recurring spikes widen the tail. */
    private double residualSquare;

    private double lastValue;
    private double lastResidual;

    private float[] hourMean = new float[HOURS];
    private float[] hourDev = new float[HOURS];
    private byte[] hourCount = new byte[HOURS];
    private double seasonalDev;
    private long seasonalCount;

    private double cusumUp;
    private double cusumDown;
    private int cusumUpRun;
    private int cusumDownRun;

    private double peak;

    private SurpriseCalibration calibration = new SurpriseCalibration();
    private AnomalyLikelihood likelihood = new AnomalyLikelihood();

    /** Hour-of-week profile; null until the series has a week of history. */
    private WeeklyProfile weekly;

    /** For serializers; an empty series. */
    public SeriesDetector() {}

    // ---------------------------------------------------------------- observe

    /**
     * Scores {@code value} against the detectors as they are before it, then folds it in.
     * Non-finite values return {@link Detection#NONE} and change nothing.
     */
    public Detection observe(double value, long timestamp, DetectionSettings s) {
        if (!Double.isFinite(value)) {
            return Detection.NONE;
        }
        if (count == 0) {
            start(value, timestamp);
            return Detection.NONE;
        }
        boolean warm = count >= s.warmupPoints;
        int hour = hourOf(timestamp);
        int hourOfWeek = WeeklyProfile.hourOfWeek(timestamp);
        boolean daily = useSeasonal(hour, timestamp, s);
        boolean useWeekly = useWeekly(daily, hourOfWeek, timestamp, s);
        boolean seasonal = daily || useWeekly;
        double expected = reference + expectedOffset(daily, useWeekly, hour, hourOfWeek);
        double sigma =
                useWeekly ? weeklySigma(hourOfWeek) : daily ? seasonalSigma(hour) : robustSigma();
        double z = finite((value - expected) / sigma);
        double residual = value - expected;
        double rateZ = finite((residual - lastResidual) / (SQRT_2 * sigma));

        double cusumSurprise = warm ? updateCusum(z, s) : 0.0;
        Detection d =
                warm
                        ? combine(baseline(daily, useWeekly), expected, z, rateZ, cusumSurprise, s)
                        : Detection.NONE;
        if (warm && cusumSurprise > s.cusumResetLog10P) {
            acceptChange(seasonal, sigma, s);
        }
        lastResidual = residual;
        updateRobust(value, warm, s);
        updateSeasonal(value, hour, timestamp, warm, s);
        updateWeekly(value, hourOfWeek, timestamp, warm, s);
        if (warm) {
            // After the baselines, so that their clipping uses σ from before this point.
            residualSquare += s.robustAlpha() * (residual * residual - residualSquare);
        }
        lastValue = value;
        count++;
        return d;
    }

    private Detection combine(
            Detection.Baseline baseline,
            double expected,
            double z,
            double rateZ,
            double cusumSurprise,
            DetectionSettings s) {
        double pointSurprise =
                Math.max(0.0, Math.max(tailSurprise(z, rateZ), cusumSurprise) - LOG10_DETECTORS);
        double calibrated = calibration.observe(pointSurprise);
        double likelihoodSurprise = likelihood.observe(pointSurprise);
        double surprise = Math.max(calibrated, likelihoodSurprise);
        double raw = anomalyScore(surprise, s.scoreHalfLog10P);
        double emitted = raw > peak ? surprise : 0.0;
        peak = Math.max(peak * s.suppressDecay(), raw);
        return new Detection(
                baseline,
                expected,
                z,
                cusumSurprise,
                rateZ,
                surprise,
                emitted,
                anomalyScore(emitted, s.scoreHalfLog10P),
                pointSurprise,
                calibrated,
                likelihoodSurprise);
    }

    /**
     * The larger of the level and rate detectors' surprises (−log₁₀ of the two-sided Gaussian tail
     * of their z), as far as it can count in the point surprise: one tail evaluation, of the larger
     * |z| (the surprise grows with |z|), and none when both are at most {@link #QUIET_Z}, whose
     * surprise is below {@link #LOG10_DETECTORS} and so could only give a point surprise of 0,
     * which 0 gives as well. Most points are inside that band: two tails per point were a
     * noticeable part of the detector's cost (bench/PROFILE.md, round 8). {@link Detection}
     * computes each detector's own surprise when it is asked for.
     */
    static double tailSurprise(double z, double rateZ) {
        double larger = Math.max(Math.abs(z), Math.abs(rateZ));
        return larger <= QUIET_Z ? 0.0 : -GaussianTail.log10P(larger);
    }

    /** L / (L + half): 0 for L = 0, ½ for L = half, → 1 only as L → ∞. */
    public static double anomalyScore(double surprise, double half) {
        if (!(surprise > 0)) {
            return 0.0;
        }
        if (Double.isInfinite(surprise)) {
            return Math.nextDown(1.0);
        }
        return surprise / (surprise + half);
    }

    // ---------------------------------------------------------------- detectors

    private void start(double value, long timestamp) {
        count = 1;
        firstTimestamp = timestamp;
        reference = value;
        lastValue = value;
        int hour = hourOf(timestamp);
        hourCount[hour] = 1;
    }

    /** Seasonal when there is enough history, the bin has data and it predicts better. */
    private boolean useSeasonal(int hour, long timestamp, DetectionSettings s) {
        return timestamp - firstTimestamp >= s.seasonalMinHistoryMs
                && hourCount[hour] >= 2
                && seasonalCount > 0
                && seasonalDev < levelDev;
    }

    /**
     * Hour-of-week when there is {@code detector.weekly.min-history} of history (by then every bin
     * has had its hour once more since the profile began), the bin has a point of its own and the
     * profile predicts better than the baseline otherwise in use (smaller pooled mean absolute
     * residual).
     */
    private boolean useWeekly(boolean daily, int hourOfWeek, long timestamp, DetectionSettings s) {
        return weekly != null
                && timestamp - firstTimestamp >= s.weeklyMinHistoryMs
                && weekly.ready(hourOfWeek)
                && weekly.pooledDev() < (daily ? seasonalDev : levelDev);
    }

    private double expectedOffset(boolean daily, boolean useWeekly, int hour, int hourOfWeek) {
        if (useWeekly) {
            return weekly.mean(hourOfWeek);
        }
        return daily ? hourMean[hour] : levelOffset;
    }

    private static Detection.Baseline baseline(boolean daily, boolean useWeekly) {
        if (useWeekly) {
            return Detection.Baseline.WEEKLY;
        }
        return daily ? Detection.Baseline.SEASONAL : Detection.Baseline.ROBUST;
    }

    double robustSigma() {
        return Math.max(Math.max(MAD_TO_SIGMA * levelDev, Math.sqrt(residualSquare)), floor());
    }

    double seasonalSigma(int hour) {
        return Math.max(
                Math.max(
                        MAD_TO_SIGMA * Math.max(hourDev[hour], seasonalDev),
                        Math.sqrt(residualSquare)),
                floor());
    }

    double weeklySigma(int hourOfWeek) {
        return Math.max(
                Math.max(MAD_TO_SIGMA * weekly.dev(hourOfWeek), Math.sqrt(residualSquare)),
                floor());
    }

    private double floor() {
        return RunningStats.sigmaFloor(reference + levelOffset);
    }

    /** Updates both CUSUM sides with z and returns the surprise of the larger one. */
    private double updateCusum(double z, DetectionSettings s) {
        double zc = Math.max(-CUSUM_CLIP, Math.min(CUSUM_CLIP, z));
        cusumUp = Math.max(0.0, cusumUp + zc - s.cusumDrift);
        cusumDown = Math.max(0.0, cusumDown - zc - s.cusumDrift);
        cusumUpRun = cusumUp > 0 ? cusumUpRun + 1 : 0;
        cusumDownRun = cusumDown > 0 ? cusumDownRun + 1 : 0;
        return 2.0 * s.cusumDrift * Math.max(cusumUp, cusumDown) * LOG10_E;
    }

    /**
     * A change is accepted: the baseline in use moves by the CUSUM's estimate of the shift, σ·(k +
     * S/N) on the alarming side (N points since that side was last 0), and the CUSUM restarts. A
     * change seen on a seasonal baseline (hour-of-day or hour-of-week) moves the robust level and
     * both profiles; one seen on the robust baseline leaves the profiles alone (it may be the daily
     * cycle).
     */
    private void acceptChange(boolean seasonal, double sigma, DetectionSettings s) {
        boolean up = cusumUp >= cusumDown;
        double sum = up ? cusumUp : cusumDown;
        int run = Math.max(1, up ? cusumUpRun : cusumDownRun);
        double shift = (up ? 1 : -1) * sigma * (s.cusumDrift + sum / run);
        levelOffset += shift;
        if (seasonal) {
            for (int h = 0; h < HOURS; h++) {
                hourMean[h] = (float) (hourMean[h] + shift);
            }
            if (weekly != null) {
                weekly.shift(shift);
            }
        }
        cusumUp = 0.0;
        cusumDown = 0.0;
        cusumUpRun = 0;
        cusumDownRun = 0;
    }

    private void updateRobust(double value, boolean warm, DetectionSettings s) {
        double a = Math.max(s.robustAlpha(), 1.0 / (count + 1));
        double sigma = robustSigma();
        double r = value - reference - levelOffset;
        double absR = Math.abs(r);
        levelOffset += a * (warm ? clip(r, HUBER_C * sigma) : r);
        levelDev += a * (absR - levelDev);
    }

    private void updateSeasonal(
            double value, int hour, long timestamp, boolean warm, DetectionSettings s) {
        int n = hourCount[hour];
        double offset = value - reference;
        if (n == 0) {
            hourMean[hour] = (float) offset;
            hourCount[hour] = 1;
            return;
        }
        double r = offset - hourMean[hour];
        double absR = Math.abs(r);
        double binSigma = seasonalSigma(hour);
        boolean binWarm = warm && n >= 2;
        double a = Math.max(binAlpha(timestamp, s.seasonalHalfLifeDays), 1.0 / (n + 1));
        hourMean[hour] = (float) (hourMean[hour] + a * (binWarm ? clip(r, HUBER_C * binSigma) : r));
        double clipped = absR;
        hourDev[hour] = (float) (hourDev[hour] + a * (clipped - hourDev[hour]));
        seasonalCount++;
        double pooled = Math.max(s.robustAlpha(), 1.0 / seasonalCount);
        seasonalDev += pooled * (clipped - seasonalDev);
        hourCount[hour] = (byte) Math.min(MAX_BIN_COUNT, n + 1);
    }

    /**
     * Weight per point of a profile bin: a half-life of {@code halfLifeCycles} days (hour-of-day
     * bins) or weeks (hour-of-week bins), a bin getting one hour of points per cycle (points per
     * hour so far).
     */
    private double binAlpha(long timestamp, double halfLifeCycles) {
        double hours = Math.max(1.0, (double) (timestamp - firstTimestamp) / HOUR_MS);
        double pointsPerHour = Math.max(1.0, count / hours);
        return 1.0 - Math.pow(2.0, -1.0 / (halfLifeCycles * pointsPerHour));
    }

    /**
     * Allocates the hour-of-week profile once the series has a week of history (each bin starting
     * from its hour-of-day bin), then folds the point into its bin like {@link #updateSeasonal},
     * with a half-life of {@code detector.weekly.half-life-weeks}.
     */
    private void updateWeekly(
            double value, int hourOfWeek, long timestamp, boolean warm, DetectionSettings s) {
        if (weekly == null) {
            if (timestamp - firstTimestamp < WeeklyProfile.WEEK_MS) {
                return;
            }
            weekly = WeeklyProfile.fromDaily(hourMean, hourDev, seasonalDev);
        }
        double clipWidth = warm ? HUBER_C * weeklySigma(hourOfWeek) : 0.0;
        weekly.update(
                value - reference,
                hourOfWeek,
                binAlpha(timestamp, s.weeklyHalfLifeWeeks),
                clipWidth,
                s.robustAlpha());
    }

    static int hourOf(long timestamp) {
        return (int) Math.floorMod(Math.floorDiv(timestamp, HOUR_MS), (long) HOURS);
    }

    private static double clip(double x, double halfWidth) {
        return Math.max(-halfWidth, Math.min(halfWidth, x));
    }

    private static double finite(double z) {
        if (Double.isNaN(z)) {
            return 0.0;
        }
        return Math.max(-Double.MAX_VALUE, Math.min(Double.MAX_VALUE, z));
    }

    // ---------------------------------------------------------------- POJO accessors

    public long getCount() {
        return count;
    }

    public void setCount(long count) {
        this.count = count;
    }

    public long getFirstTimestamp() {
        return firstTimestamp;
    }

    public void setFirstTimestamp(long firstTimestamp) {
        this.firstTimestamp = firstTimestamp;
    }

    public double getReference() {
        return reference;
    }

    public void setReference(double reference) {
        this.reference = reference;
    }

    public double getLevelOffset() {
        return levelOffset;
    }

    public void setLevelOffset(double levelOffset) {
        this.levelOffset = levelOffset;
    }

    public double getResidualSquare() {
        return residualSquare;
    }

    public void setResidualSquare(double residualSquare) {
        this.residualSquare = residualSquare;
    }

    public double getLevelDev() {
        return levelDev;
    }

    public void setLevelDev(double levelDev) {
        this.levelDev = levelDev;
    }

    public double getLastValue() {
        return lastValue;
    }

    public void setLastValue(double lastValue) {
        this.lastValue = lastValue;
    }

    public double getLastResidual() {
        return lastResidual;
    }

    public void setLastResidual(double lastResidual) {
        this.lastResidual = lastResidual;
    }

    public float[] getHourMean() {
        return hourMean;
    }

    public void setHourMean(float[] hourMean) {
        this.hourMean = hourMean;
    }

    public float[] getHourDev() {
        return hourDev;
    }

    public void setHourDev(float[] hourDev) {
        this.hourDev = hourDev;
    }

    public byte[] getHourCount() {
        return hourCount;
    }

    public void setHourCount(byte[] hourCount) {
        this.hourCount = hourCount;
    }

    public double getSeasonalDev() {
        return seasonalDev;
    }

    public void setSeasonalDev(double seasonalDev) {
        this.seasonalDev = seasonalDev;
    }

    public long getSeasonalCount() {
        return seasonalCount;
    }

    public void setSeasonalCount(long seasonalCount) {
        this.seasonalCount = seasonalCount;
    }

    public double getCusumUp() {
        return cusumUp;
    }

    public void setCusumUp(double cusumUp) {
        this.cusumUp = cusumUp;
    }

    public double getCusumDown() {
        return cusumDown;
    }

    public void setCusumDown(double cusumDown) {
        this.cusumDown = cusumDown;
    }

    public int getCusumUpRun() {
        return cusumUpRun;
    }

    public void setCusumUpRun(int cusumUpRun) {
        this.cusumUpRun = cusumUpRun;
    }

    public int getCusumDownRun() {
        return cusumDownRun;
    }

    public void setCusumDownRun(int cusumDownRun) {
        this.cusumDownRun = cusumDownRun;
    }

    public SurpriseCalibration getCalibration() {
        return calibration;
    }

    public void setCalibration(SurpriseCalibration calibration) {
        this.calibration = calibration;
    }

    public AnomalyLikelihood getLikelihood() {
        return likelihood;
    }

    public void setLikelihood(AnomalyLikelihood likelihood) {
        this.likelihood = likelihood;
    }

    /** The hour-of-week profile, or null before the series has a week of history. */
    public WeeklyProfile getWeekly() {
        return weekly;
    }

    public void setWeekly(WeeklyProfile weekly) {
        this.weekly = weekly;
    }

    public double getPeak() {
        return peak;
    }

    public void setPeak(double peak) {
        this.peak = peak;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof SeriesDetector)) {
            return false;
        }
        SeriesDetector that = (SeriesDetector) o;
        return count == that.count
                && firstTimestamp == that.firstTimestamp
                && Double.compare(reference, that.reference) == 0
                && Double.compare(levelOffset, that.levelOffset) == 0
                && Double.compare(levelDev, that.levelDev) == 0
                && Double.compare(residualSquare, that.residualSquare) == 0
                && Double.compare(lastValue, that.lastValue) == 0
                && Double.compare(lastResidual, that.lastResidual) == 0
                && Arrays.equals(hourMean, that.hourMean)
                && Arrays.equals(hourDev, that.hourDev)
                && Arrays.equals(hourCount, that.hourCount)
                && Double.compare(seasonalDev, that.seasonalDev) == 0
                && seasonalCount == that.seasonalCount
                && Double.compare(cusumUp, that.cusumUp) == 0
                && Double.compare(cusumDown, that.cusumDown) == 0
                && cusumUpRun == that.cusumUpRun
                && cusumDownRun == that.cusumDownRun
                && Double.compare(peak, that.peak) == 0
                && Objects.equals(calibration, that.calibration)
                && Objects.equals(likelihood, that.likelihood)
                && Objects.equals(weekly, that.weekly);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(count) * 31 + Double.hashCode(levelOffset);
    }
}
