package dev.vigil.pipeline.detect;

/**
 * Tail probabilities of the standard normal distribution, accurate far into the tail.
 *
 * <p>{@link #erfc(double)} uses W. J. Cody's rational Chebyshev approximations (Math. Comp. 23,
 * 1969; the CALERF routine of netlib SPECFUN) on the three ranges |x| ≤ 0.46875, ≤ 4 and &gt; 4,
 * with Cody's splitting of exp(−x²) to avoid the rounding error of x². Relative error is below
 * 1e-15 on the whole range where the result is a normal double (checked against 40-digit references
 * in the tests).
 *
 * <p>{@link #log10P(double)} evaluates log₁₀ of the two-sided tail in log space for large |z|, so
 * it stays finite (and accurate) where the probability itself underflows to 0 (|z| &gt; ~38.5).
 */
public final class GaussianTail {

    private static final double SQRT_2 = Math.sqrt(2.0);
    private static final double LOG10_E = 0.43429448190325182765;

    /** 1/√π. */
    private static final double INV_SQRT_PI = 5.6418958354775628695e-1;

    /** Below this, x² is 0 in double arithmetic relative to 1. */
    private static final double X_SMALL = 1.11e-16;

    /** erfc(x) underflows to 0 beyond this. */
    private static final double X_BIG = 26.543;

    private static final double SMALL_RANGE = 0.46875;
    private static final double MIDDLE_RANGE = 4.0;

    // Cody's coefficients: erf on |x| ≤ 0.46875.
    private static final double[] A = {
        3.16112374387056560e00,
        1.13864154151050156e02,
        3.77485237685302021e02,
        3.20937758913846947e03,
        1.85777706184603153e-1
    };
    private static final double[] B = {
        2.36012909523441209e01,
        2.44024637934444173e02,
        1.28261652607737228e03,
        2.84423683343917062e03
    };

    // erfc on 0.46875 < x ≤ 4.
    private static final double[] C = {
        5.64188496988670089e-1,
        8.88314979438837594e00,
        6.61191906371416295e01,
        2.98635138197400131e02,
        8.81952221241769090e02,
        1.71204761263407058e03,
        2.05107837782607147e03,
        1.23033935479799725e03,
        2.15311535474403846e-8
    };
    private static final double[] D = {
        1.57449261107098347e01,
        1.17693950891312499e02,
        5.37181101862009858e02,
        1.62138957456669019e03,
        3.29079923573345963e03,
        4.36261909014324716e03,
        3.43936767414372164e03,
        1.23033935480374942e03
    };

    // erfc on x > 4 (in 1/x²).
    private static final double[] P = {
        3.05326634961232344e-1,
        3.60344899949804439e-1,
        1.25781726111229246e-1,
        1.60837851487422766e-2,
        6.58749161529837803e-4,
        1.63153871373020978e-2
    };
    private static final double[] Q = {
        2.56852019228982242e00,
        1.87295284992346725e00,
        5.27905102951428412e-1,
        6.05183413124413191e-2,
        2.33520497626869185e-3
    };

    private GaussianTail() {}

    /** Complementary error function erfc(x) = 1 − erf(x). NaN for NaN. */
    public static double erfc(double x) {
        if (Double.isNaN(x)) {
            return Double.NaN;
        }
        double y = Math.abs(x);
        if (y <= SMALL_RANGE) {
            return 1.0 - erfSmall(x);
        }
        double tail = y >= X_BIG ? 0.0 : scaledTail(y) * expMinusSquare(y);
        return x < 0 ? 2.0 - tail : tail;
    }

    /** Two-sided tail probability P(|N(0,1)| ≥ |z|) = erfc(|z|/√2). */
    public static double twoSidedP(double z) {
        return erfc(Math.abs(z) / SQRT_2);
    }

    /**
     * log₁₀ of {@link #twoSidedP(double)}. Finite for every finite z (e.g. −349.136 for z = 40,
     * where the probability itself underflows), −∞ only for infinite z, NaN for NaN.
     */
    public static double log10P(double z) {
        return log10P(z, Double.NaN);
    }

    /**
     * {@link #log10P(double)} where the caller already has {@code p = twoSidedP(z)}: the same
     * value, without evaluating erfc a second time (the scorer needs both, per point).
     */
    public static double log10P(double z, double twoSidedP) {
        if (Double.isNaN(z)) {
            return Double.NaN;
        }
        double absZ = Math.abs(z);
        if (Double.isInfinite(absZ)) {
            return Double.NEGATIVE_INFINITY;
        }
        double y = absZ / SQRT_2;
        if (y <= MIDDLE_RANGE) {
            return Math.log10(Double.isNaN(twoSidedP) ? erfc(y) : twoSidedP);
        }
        // erfc(y) = exp(−y²)·R(y), y² = z²/2; summed in log space so nothing underflows.
        double log10 = -(absZ * LOG10_E * 0.5) * absZ + Math.log10(scaledTail(y));
        return Double.isInfinite(log10) ? -Double.MAX_VALUE : log10;
    }

    /** erf(x) for |x| ≤ 0.46875. */
    private static double erfSmall(double x) {
        double ysq = Math.abs(x) > X_SMALL ? x * x : 0.0;
        double num = A[4] * ysq;
        double den = ysq;
        for (int i = 0; i < 3; i++) {
            num = (num + A[i]) * ysq;
            den = (den + B[i]) * ysq;
        }
        return x * (num + A[3]) / (den + B[3]);
    }

    /** R(y) = erfc(y)·exp(y²) for y &gt; 0.46875. */
    private static double scaledTail(double y) {
        if (y <= MIDDLE_RANGE) {
            double num = C[8] * y;
            double den = y;
            for (int i = 0; i < 7; i++) {
                num = (num + C[i]) * y;
                den = (den + D[i]) * y;
            }
            return (num + C[7]) / (den + D[7]);
        }
        double ysq = 1.0 / (y * y);
        double num = P[5] * ysq;
        double den = ysq;
        for (int i = 0; i < 4; i++) {
            num = (num + P[i]) * ysq;
            den = (den + Q[i]) * ysq;
        }
        double r = ysq * (num + P[4]) / (den + Q[4]);
        return (INV_SQRT_PI - r) / y;
    }

    /** exp(−y²) without the rounding error of y² (Cody: split y into a 1/16 grid part + rest). */
    private static double expMinusSquare(double y) {
        double grid = Math.floor(y * 16.0) / 16.0;
        double rest = (y - grid) * (y + grid);
        return Math.exp(-grid * grid) * Math.exp(-rest);
    }
}
