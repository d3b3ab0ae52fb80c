package dev.vigil.pipeline.fleet;

import java.util.Arrays;

/**
 * The statistics of the fleet detectors, in log space where probabilities may underflow: Fisher's
 * method, the χ² survival function for even degrees of freedom, the Šidák correction and median /
 * MAD.
 */
public final class FleetMath {

    /** 1 / Φ⁻¹(3/4): scales a MAD to a standard deviation for Gaussian data. */
    public static final double MAD_TO_SIGMA = 1.4826;

    private static final double LN_10 = Math.log(10.0);

    private FleetMath() {}

    /**
     * ln P(χ²₂ₖ ≥ x), closed form for 2k degrees of freedom: {@code e^(−x/2) · Σ_{i<k} (x/2)^i /
     * i!}, summed in log space (finite for every finite x). 0 for x ≤ 0, −∞ for x = +∞.
     *
     * @param k half the degrees of freedom, ≥ 1
     */
    public static double lnChiSquareSurvivalEvenDof(double x, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be ≥ 1: " + k);
        }
        if (Double.isNaN(x)) {
            return Double.NaN;
        }
        if (x <= 0) {
            return 0.0;
        }
        if (x == Double.POSITIVE_INFINITY) {
            return Double.NEGATIVE_INFINITY;
        }
        double half = x / 2.0;
        double lnHalf = Math.log(half);
        // log-sum-exp of ln t_i = i·ln(x/2) − ln i!, the largest term first for stability
        double[] lnTerms = new double[k];
        double max = Double.NEGATIVE_INFINITY;
        double lnTerm = 0.0;
        for (int i = 0; i < k; i++) {
            if (i > 0) {
                lnTerm += lnHalf - Math.log(i);
            }
            lnTerms[i] = lnTerm;
            max = Math.max(max, lnTerm);
        }
        double sum = 0.0;
        for (double t : lnTerms) {
            sum += Math.exp(t - max);
        }
        return Math.min(0.0, -half + max + Math.log(sum));
    }

    /** P(χ²₂ₖ ≥ x), see {@link #lnChiSquareSurvivalEvenDof}. */
    public static double chiSquareSurvivalEvenDof(double x, int k) {
        return Math.exp(lnChiSquareSurvivalEvenDof(x, k));
    }

    /**
     * Fisher's method: ln of the combined p of k independent tail probabilities given as ln p_i;
     * {@code −2 Σ ln p_i ~ χ²₂ₖ}. 0 (p = 1) for no input.
     */
    public static double lnFisherCombined(double... lnP) {
        if (lnP.length == 0) {
            return 0.0;
        }
        double statistic = 0.0;
        for (double l : lnP) {
            statistic += -2.0 * Math.min(0.0, l);
        }
        return lnChiSquareSurvivalEvenDof(statistic, lnP.length);
    }

    /**
     * Šidák correction of the smallest of n independent tail probabilities: ln(1 − (1 − p)^n), with
     * p given as ln p. For tiny p this is ln p + ln n.
     */
    public static double lnSidak(double lnMinP, int n) {
        if (n <= 1) {
            return Math.min(0.0, lnMinP);
        }
        double p = Math.exp(lnMinP);
        if (p < 1e-12) {
            return Math.min(0.0, lnMinP + Math.log(n));
        }
        return Math.log(-Math.expm1(n * Math.log1p(-Math.min(p, 1.0))));
    }

    /** Natural log from log₁₀. */
    public static double lnFromLog10(double log10) {
        return log10 * LN_10;
    }

    /** log₁₀ from natural log. */
    public static double log10FromLn(double ln) {
        return ln / LN_10;
    }

    /** Median of the values (mean of the two middle ones for an even count); NaN for none. */
    public static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
    }

    /** Median absolute deviation from {@code median} (unscaled); NaN for none. */
    public static double mad(double[] values, double median) {
        double[] deviations = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            deviations[i] = Math.abs(values[i] - median);
        }
        return median(deviations);
    }
}
