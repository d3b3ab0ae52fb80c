package dev.vigil.pipeline.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Hand values: P(χ²₂ₖ ≥ x) = e^(−x/2) Σ_{i<k} (x/2)^i / i!. */
class FleetMathTest {

    private static final double TIGHT = 1e-15;

    @Test
    void chiSquareSurvivalWithTwoDegreesOfFreedomIsExponential() {
        assertThat(FleetMath.chiSquareSurvivalEvenDof(2.0, 1))
                .isCloseTo(0.36787944117144233, within(TIGHT)); // e^-1
        assertThat(FleetMath.chiSquareSurvivalEvenDof(0.0, 1)).isEqualTo(1.0);
        assertThat(FleetMath.chiSquareSurvivalEvenDof(-1.0, 3)).isEqualTo(1.0);
    }

    @Test
    void chiSquareSurvivalForFourAndSixDegreesOfFreedom() {
        // e^-2 · (1 + 2)
        assertThat(FleetMath.chiSquareSurvivalEvenDof(4.0, 2))
                .isCloseTo(0.40600584970983811, within(TIGHT));
        // e^-5 · (1 + 5 + 12.5); tables: P(χ²₆ ≥ 10) = 0.1247
        assertThat(FleetMath.chiSquareSurvivalEvenDof(10.0, 3))
                .isCloseTo(0.12465201948308113, within(TIGHT));
    }

    @Test
    void chiSquareSurvivalStaysFiniteInLogSpaceWhereItUnderflows() {
        assertThat(FleetMath.lnChiSquareSurvivalEvenDof(2000.0, 1))
                .isCloseTo(-1000.0, within(1e-12));
        // k = 2: ln(e^-1000 · 1001) = −1000 + ln 1001
        assertThat(FleetMath.lnChiSquareSurvivalEvenDof(2000.0, 2))
                .isCloseTo(-1000.0 + Math.log(1001.0), within(1e-12));
        assertThat(FleetMath.chiSquareSurvivalEvenDof(2000.0, 2)).isZero();
        assertThat(FleetMath.lnChiSquareSurvivalEvenDof(Double.POSITIVE_INFINITY, 3))
                .isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(FleetMath.lnFisherCombined(Double.NEGATIVE_INFINITY, Math.log(0.5)))
                .isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void chiSquareSurvivalDecreasesInXAndIncreasesInDof() {
        assertThat(FleetMath.chiSquareSurvivalEvenDof(30.0, 10))
                .isLessThan(FleetMath.chiSquareSurvivalEvenDof(20.0, 10))
                .isGreaterThan(FleetMath.chiSquareSurvivalEvenDof(30.0, 9));
        // χ²₂₀ at its mean: ≈ 0.4579 (tables)
        assertThat(FleetMath.chiSquareSurvivalEvenDof(20.0, 10)).isCloseTo(0.4579, within(1e-4));
    }

    @Test
    void rejectsZeroDegreesOfFreedom() {
        assertThatThrownBy(() -> FleetMath.lnChiSquareSurvivalEvenDof(1.0, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(FleetMath.lnChiSquareSurvivalEvenDof(Double.NaN, 1)).isNaN();
    }

    @Test
    void fisherCombinesTwoProbabilities() {
        // −2(ln .05 + ln .05) = −2 ln .0025 → p = .0025 · (1 + −ln .0025)
        double expected = 0.0025 * (1 - Math.log(0.0025));
        assertThat(Math.exp(FleetMath.lnFisherCombined(Math.log(0.05), Math.log(0.05))))
                .isCloseTo(expected, within(TIGHT))
                .isCloseTo(0.017478661, within(1e-9));
    }

    @Test
    void fisherOfOneProbabilityIsThatProbability() {
        assertThat(FleetMath.lnFisherCombined(Math.log(0.3)))
                .isCloseTo(Math.log(0.3), within(TIGHT));
        assertThat(FleetMath.lnFisherCombined()).isZero();
        assertThat(FleetMath.lnFisherCombined(Math.log(1.0), Math.log(1.0))).isZero();
    }

    @Test
    void sidakCorrectsTheSmallestOfNProbabilities() {
        assertThat(Math.exp(FleetMath.lnSidak(Math.log(0.01), 6)))
                .isCloseTo(1 - Math.pow(0.99, 6), within(1e-15))
                .isCloseTo(0.058519850599, within(1e-12));
        assertThat(FleetMath.lnSidak(Math.log(1e-20), 6)).isCloseTo(Math.log(6e-20), within(1e-12));
        assertThat(FleetMath.lnSidak(-2000.0, 6)).isCloseTo(-2000.0 + Math.log(6), within(1e-9));
        assertThat(FleetMath.lnSidak(Math.log(0.2), 1)).isCloseTo(Math.log(0.2), within(TIGHT));
        assertThat(FleetMath.lnSidak(0.0, 5)).isZero();
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertThat(FleetMath.median(new double[] {3, 1, 2})).isEqualTo(2.0);
        assertThat(FleetMath.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
        assertThat(FleetMath.median(new double[] {7})).isEqualTo(7.0);
        assertThat(FleetMath.median(new double[0])).isNaN();
    }

    @Test
    void medianDoesNotReorderTheInput() {
        double[] values = {3, 1, 2};
        FleetMath.median(values);
        assertThat(values).containsExactly(3, 1, 2);
    }

    @Test
    void madIgnoresTheOutlier() {
        double[] values = {1, 2, 3, 4, 100};
        double median = FleetMath.median(values);
        assertThat(median).isEqualTo(3.0);
        // |deviations| = 2, 1, 0, 1, 97 → median 1
        assertThat(FleetMath.mad(values, median)).isEqualTo(1.0);
        assertThat(FleetMath.MAD_TO_SIGMA * FleetMath.mad(values, median)).isEqualTo(1.4826);
    }
}
