package dev.vigil.pipeline.detect;

/**
 * How one value compares to a series' baseline (computed by {@link RunningStats#score}); an
 * immutable, transient value (never stored in state).
 */
public final class Score {

    private final boolean warm;
    private final double mean;
    private final double std;
    private final double z;
    private final double p;
    private final double log10P;
    private final double severity;
    private final double lower;
    private final double upper;

    Score(
            boolean warm,
            double mean,
            double std,
            double z,
            double p,
            double log10P,
            double lower,
            double upper) {
        this.warm = warm;
        this.mean = mean;
        this.std = std;
        this.z = z;
        this.p = p;
        this.log10P = log10P;
        this.severity = Severity.fromLog10P(log10P);
        this.lower = lower;
        this.upper = upper;
    }

    /** True once the series had at least warmupPoints points before this one. */
    public boolean warm() {
        return warm;
    }

    /** Baseline mean before the point. */
    public double mean() {
        return mean;
    }

    /** Baseline standard deviation before the point, floored (see {@link RunningStats}). */
    public double std() {
        return std;
    }

    /** (value − mean) / std, finite (±Double.MAX_VALUE at most). */
    public double z() {
        return z;
    }

    /** Two-sided Gaussian tail probability of z (may underflow to 0; see {@link #log10P()}). */
    public double p() {
        return p;
    }

    /** log₁₀ p, finite even where p underflows. */
    public double log10P() {
        return log10P;
    }

    /** 0–100, see {@link Severity}. */
    public double severity() {
        return severity;
    }

    /** mean − bandK·std. */
    public double lower() {
        return lower;
    }

    /** mean + bandK·std. */
    public double upper() {
        return upper;
    }

    /** Past warm-up and strictly outside [lower, upper]. */
    public boolean outsideBand(double value) {
        return warm && (value < lower || value > upper);
    }

    @Override
    public String toString() {
        return "Score{mean="
                + mean
                + ", std="
                + std
                + ", z="
                + z
                + ", p="
                + p
                + ", severity="
                + severity
                + ", warm="
                + warm
                + '}';
    }
}
