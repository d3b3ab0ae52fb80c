package dev.vigil.pipeline.detect;

/**
 * HTM-style anomaly likelihood over a series' surprise stream: is the <em>rate</em> of alarming
 * points unusual? It catches anomalies that no single point shows, such as spikes that become
 * denser in a series whose spikes are normal (their own surprise is calibrated away by {@link
 * SurpriseCalibration}).
 *
 * <p>As in Numenta's {@code anomaly_likelihood.py}: the raw score of a point is 1 when its combined
 * surprise reaches {@value #EVENT_LOG10P} (p &lt; 1e-5, the CUSUM's alarm level), else 0. The
 * short-term average is the mean raw score of the last {@value #WINDOW} points. A rolling normal
 * distribution of that average (exponentially weighted mean and variance, half-life {@value
 * #HALF_LIFE_POINTS} points, equal weights before that) is kept, with HTM's lower bounds on its
 * mean ({@value #MIN_MEAN}) and variance ({@value #MIN_VARIANCE}). After a learning period of
 * {@value #LEARNING_POINTS} averages, the likelihood surprise is −log₁₀ of the upper tail of the
 * current average under that distribution. The average is scored before it is folded in.
 *
 * <p>State: the last {@value #WINDOW} raw scores as bits of an int, a count and two doubles. A
 * Flink POJO.
 */
public class AnomalyLikelihood {

    /** A point is an alarming event when its surprise reaches this (p &lt; 1e-5). */
    static final double EVENT_LOG10P = 5.0;

    /** Points in the short-term average (HTM's averaging window). */
    static final int WINDOW = 10;

    /** Averages seen before the likelihood is reported (one day of 5-minute points). */
    static final int LEARNING_POINTS = 288;

    /** Memory of the rolling distribution, in points (about a week of 5-minute points). */
    static final double HALF_LIFE_POINTS = 2000.0;

    /** HTM's lower bound on the mean of the averages. */
    static final double MIN_MEAN = 0.03;

    /** HTM's lower bound on the variance of the averages. */
    static final double MIN_VARIANCE = 0.0003;

    private static final double ALPHA = 1.0 - Math.pow(2.0, -1.0 / HALF_LIFE_POINTS);
    private static final int WINDOW_MASK = (1 << WINDOW) - 1;
    private static final double LOG10_2 = Math.log10(2.0);

    /** The raw scores of the last {@value #WINDOW} points, newest in bit 0. */
    private int recentEvents;

    private long count;
    private double mean;
    private double variance;

    /** For serializers; no history. */
    public AnomalyLikelihood() {}

    /**
     * Scores the short-term average including {@code surprise} against the distribution of the
     * earlier averages, then folds it in. Returns the likelihood surprise, ≥ 0 (0 while learning).
     */
    public double observe(double surprise) {
        boolean event = surprise >= EVENT_LOG10P;
        recentEvents = ((recentEvents << 1) | (event ? 1 : 0)) & WINDOW_MASK;
        count++;
        if (count < WINDOW) {
            return 0.0;
        }
        double average = (double) Integer.bitCount(recentEvents) / WINDOW;
        long averages = count - WINDOW + 1;
        double result = averages > LEARNING_POINTS ? upperTailSurprise(average) : 0.0;
        fold(average, averages);
        return result;
    }

    /** −log₁₀ of the one-sided upper tail of {@code average}; 0 at or below the mean. */
    private double upperTailSurprise(double average) {
        double sigma = Math.sqrt(Math.max(variance, MIN_VARIANCE));
        double z = (average - Math.max(mean, MIN_MEAN)) / sigma;
        return z > 0 ? LOG10_2 - GaussianTail.log10P(z) : 0.0;
    }

    /** Exponentially weighted mean and variance; equal weights for the first 1/α averages. */
    private void fold(double average, long averages) {
        double a = Math.max(ALPHA, 1.0 / averages);
        double d = average - mean;
        mean += a * d;
        variance = (1 - a) * (variance + a * d * d);
    }

    // ---------------------------------------------------------------- POJO accessors

    public int getRecentEvents() {
        return recentEvents;
    }

    public void setRecentEvents(int recentEvents) {
        this.recentEvents = recentEvents;
    }

    public long getCount() {
        return count;
    }

    public void setCount(long count) {
        this.count = count;
    }

    public double getMean() {
        return mean;
    }

    public void setMean(double mean) {
        this.mean = mean;
    }

    public double getVariance() {
        return variance;
    }

    public void setVariance(double variance) {
        this.variance = variance;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof AnomalyLikelihood)) {
            return false;
        }
        AnomalyLikelihood that = (AnomalyLikelihood) o;
        return recentEvents == that.recentEvents
                && count == that.count
                && Double.compare(mean, that.mean) == 0
                && Double.compare(variance, that.variance) == 0;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(count) * 31 + Integer.hashCode(recentEvents);
    }
}
