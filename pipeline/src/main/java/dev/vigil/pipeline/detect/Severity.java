package dev.vigil.pipeline.detect;

/**
 * Severity 0–100 from a tail probability p: {@code clamp(12.5·(−log₁₀ p − 1), 0, 100)}.
 *
 * <p>p ≥ 0.1 → 0; p = 1e-3 → 25 (minor); 1e-5 → 50 (major); 1e-7 → 75 (critical); p ≤ 1e-9 → 100.
 * Each factor 10 of improbability adds 12.5 points.
 */
public final class Severity {

    private static final double POINTS_PER_DECADE = 12.5;
    private static final double MAX = 100.0;

    private Severity() {}

    /** Severity of a tail probability p (0 for NaN). */
    public static double fromP(double p) {
        return fromLog10P(Math.log10(p));
    }

    /**
     * Severity from log₁₀ p, for probabilities too small for a double (see {@link
     * GaussianTail#log10P}). 0 for NaN.
     */
    public static double fromLog10P(double log10P) {
        if (Double.isNaN(log10P)) {
            return 0.0;
        }
        double severity = POINTS_PER_DECADE * (-log10P - 1.0);
        return Math.max(0.0, Math.min(MAX, severity));
    }
}
