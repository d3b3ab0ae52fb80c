package dev.vigil.pipeline.detect;

import java.util.Locale;

/**
 * What {@link SeriesDetector#detect} found for one point: the surprise (−log₁₀ tail probability) of
 * each detector, the combined surprise, and the final non-saturating anomaly score in [0, 1).
 * Immutable.
 */
public final class Detection {

    /** Which baseline the level detector used. */
    public enum Baseline {
        /** Not warm yet: nothing is scored. */
        NONE,
        /** The robust (Huber-ψ median / mean absolute deviation) baseline of the whole series. */
        ROBUST,
        /** The hour-of-day profile. */
        SEASONAL,
        /** The hour-of-week profile. */
        WEEKLY
    }

    /** A point that is not scored (warm-up, first point). */
    public static final Detection NONE =
            new Detection(Baseline.NONE, Double.NaN, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0);

    private final Baseline baseline;
    private final double expected;
    private final double levelZ;
    private final double cusumSurprise;
    private final double rateZ;
    private final double surprise;
    private final double emittedSurprise;
    private final double anomalyScore;
    private final double pointSurprise;
    private final double calibratedSurprise;
    private final double likelihoodSurprise;

    Detection(
            Baseline baseline,
            double expected,
            double levelZ,
            double cusumSurprise,
            double rateZ,
            double surprise,
            double emittedSurprise,
            double anomalyScore,
            double pointSurprise,
            double calibratedSurprise,
            double likelihoodSurprise) {
        this.baseline = baseline;
        this.expected = expected;
        this.levelZ = levelZ;
        this.cusumSurprise = cusumSurprise;
        this.rateZ = rateZ;
        this.surprise = surprise;
        this.emittedSurprise = emittedSurprise;
        this.anomalyScore = anomalyScore;
        this.pointSurprise = pointSurprise;
        this.calibratedSurprise = calibratedSurprise;
        this.likelihoodSurprise = likelihoodSurprise;
    }

    public Baseline baseline() {
        return baseline;
    }

    /** The value the level detector expected (NaN when not warm). */
    public double expected() {
        return expected;
    }

    /** Standardized residual against the chosen baseline. */
    public double levelZ() {
        return levelZ;
    }

    /**
     * −log₁₀ of the two-sided Gaussian tail of {@link #levelZ()} (computed on demand: per point the
     * detector only needs the larger of this and {@link #rateSurprise()}, see {@link
     * SeriesDetector}); 0 when not warm.
     */
    public double levelSurprise() {
        return surpriseOf(levelZ);
    }

    /** −log₁₀ of the CUSUM's tail probability exp(−2k·S) (larger side). */
    public double cusumSurprise() {
        return cusumSurprise;
    }

    /** Standardized change from the previous point. */
    public double rateZ() {
        return rateZ;
    }

    /** −log₁₀ of the two-sided Gaussian tail of {@link #rateZ()} (as {@link #levelSurprise()}). */
    public double rateSurprise() {
        return surpriseOf(rateZ);
    }

    private double surpriseOf(double z) {
        return baseline == Baseline.NONE ? 0.0 : -GaussianTail.log10P(z);
    }

    /**
     * The point's own surprise: max of the detectors' surprises − log₁₀(3) (Bonferroni), ≥ 0,
     * before the calibration against the series' history.
     */
    public double pointSurprise() {
        return pointSurprise;
    }

    /** {@link SurpriseCalibration}: the point surprise against the series' history, ≤ it. */
    public double calibratedSurprise() {
        return calibratedSurprise;
    }

    /** {@link AnomalyLikelihood}: surprise of the recent rate of alarming points, ≥ 0. */
    public double likelihoodSurprise() {
        return likelihoodSurprise;
    }

    /**
     * Combined surprise: the larger of the calibrated point surprise ({@link SurpriseCalibration})
     * and the likelihood surprise, ≥ 0.
     */
    public double surprise() {
        return surprise;
    }

    /** Whether the series' history made this point less surprising (it keeps happening). */
    public boolean recurring() {
        return calibratedSurprise < pointSurprise;
    }

    /** The combined surprise after suppression (0 inside an excursion already reported). */
    public double emittedSurprise() {
        return emittedSurprise;
    }

    /** Final anomaly score in [0, 1): L / (L + half), L = {@link #emittedSurprise()}. */
    public double anomalyScore() {
        return anomalyScore;
    }

    /**
     * The detectors whose own surprise passed {@code minSurprise}, e.g. {@code seasonal z=5.1,
     * cusum} or {@code robust z=7.4, rate z=5.4 (recurring: p=2e-02), event rate p=2e-09}; empty
     * when none did. "recurring" means the series' history lowered the point's own surprise to that
     * p; "event rate" is the {@link AnomalyLikelihood} of the recent alarming points.
     */
    public String firedDetectors(double minSurprise) {
        StringBuilder sb = new StringBuilder();
        if (levelSurprise() >= minSurprise) {
            sb.append(baselineName()).append(String.format(Locale.ROOT, " z=%.1f", levelZ));
        }
        if (cusumSurprise >= minSurprise) {
            sb.append(sb.length() > 0 ? ", " : "").append("cusum");
        }
        if (rateSurprise() >= minSurprise) {
            sb.append(sb.length() > 0 ? ", " : "")
                    .append(String.format(Locale.ROOT, "rate z=%.1f", rateZ));
        }
        if (likelihoodSurprise >= minSurprise) {
            sb.append(sb.length() > 0 ? ", " : "")
                    .append(
                            String.format(
                                    Locale.ROOT, "event rate p=%.0e", pow10(likelihoodSurprise)));
        }
        if (sb.length() > 0 && recurring()) {
            sb.append(String.format(Locale.ROOT, " (recurring: p=%.0e)", pow10(surprise)));
        }
        return sb.toString();
    }

    private String baselineName() {
        switch (baseline) {
            case SEASONAL:
                return "seasonal";
            case WEEKLY:
                return "weekly";
            default:
                return "robust";
        }
    }

    private static double pow10(double surprise) {
        return Math.pow(10.0, -surprise);
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "Detection{%s expected=%.6g level=%.2f cusum=%.2f rate=%.2f point=%.2f"
                        + " calibrated=%.2f likelihood=%.2f L=%.2f emitted=%.2f score=%.4f}",
                baseline,
                expected,
                levelSurprise(),
                cusumSurprise,
                rateSurprise(),
                pointSurprise,
                calibratedSurprise,
                likelihoodSurprise,
                surprise,
                emittedSurprise,
                anomalyScore);
    }
}
