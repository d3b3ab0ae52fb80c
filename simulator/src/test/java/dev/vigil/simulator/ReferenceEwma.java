package dev.vigil.simulator;

/**
 * A plain exponentially weighted mean/variance scorer like the job's detector: α = 1 − 2^(−1/h),
 * α_n = max(α, 1/n) so the first points average evenly, no score before the warm-up, updates
 * clamped to mean ∓ clampK·σ. {@link #score} returns the z-score of a point against the state
 * before it (NaN during the warm-up) and then learns the point.
 */
final class ReferenceEwma {

    /** |z| above this ⇔ two-sided Gaussian tail probability below 1e-4. */
    static final double Z_EPSILON_1E4 = 3.890592;

    private final double alpha;
    private final int warmup;
    private final double clampK;
    private long n;
    private double mean;
    private double var;

    ReferenceEwma(double halfLifePoints, int warmup, double clampK) {
        this.alpha = 1.0 - Math.pow(2.0, -1.0 / halfLifePoints);
        this.warmup = warmup;
        this.clampK = clampK;
    }

    static ReferenceEwma detectorDefaults() {
        return new ReferenceEwma(200, 30, 3.0);
    }

    double score(double x) {
        double sd = Math.sqrt(var);
        double z = Double.NaN;
        if (n >= warmup) {
            z = sd == 0 ? (x == mean ? 0 : Double.POSITIVE_INFINITY) : (x - mean) / sd;
        }
        double learned = x;
        if (n >= warmup && clampK > 0 && sd > 0) {
            learned = Math.max(mean - clampK * sd, Math.min(mean + clampK * sd, x));
        }
        n++;
        double a = Math.max(alpha, 1.0 / n);
        double d = learned - mean;
        double incr = a * d;
        mean += incr;
        var = (1 - a) * (var + d * incr);
        return z;
    }
}
