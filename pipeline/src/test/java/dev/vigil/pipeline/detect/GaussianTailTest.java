package dev.vigil.pipeline.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.vigil.pipeline.model.SeverityBand;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * References: 30-digit values from mpmath ({@code mp.dps = 30; erfc(x)}, {@code erfc(z/sqrt(2))},
 * {@code log10(...)}); z = 1, 2, 3 are the textbook 68.27 / 95.45 / 99.73 % rule.
 */
class GaussianTailTest {

    /** Relative tolerance as a percentage: 1e-14 relative. */
    private static final double REL_1E_14 = 1e-12;

    @ParameterizedTest
    @CsvSource({
        "-1.5, 1.96610514647531073",
        "-0.3, 1.32862675945912742",
        "0.0, 1.0",
        "0.1, 0.887537083981715102",
        "0.46875, 0.507386526782062008",
        "0.5, 0.479500122186953462",
        "1.0, 0.157299207050285131",
        "2.0, 0.00467773498104726584",
        "3.5, 7.43098372341412746e-7",
        "4.0, 1.54172579002800189e-8",
        "4.5, 1.96616044154288748e-10",
        "6.0, 2.15197367124989131e-17",
        "10.0, 2.08848758376254476e-45",
        "20.0, 5.39586561160790093e-176",
        "26.0, 5.66319240885614285e-296"
    })
    void erfcMatchesReferenceTo1e14Relative(double x, double expected) {
        assertThat(GaussianTail.erfc(x)).isCloseTo(expected, withinPercentage(REL_1E_14));
    }

    @Test
    void erfcEdges() {
        assertThat(GaussianTail.erfc(30.0)).isZero(); // true value 2.6e-393 underflows
        assertThat(GaussianTail.erfc(-30.0)).isEqualTo(2.0);
        assertThat(GaussianTail.erfc(Double.POSITIVE_INFINITY)).isZero();
        assertThat(GaussianTail.erfc(Double.NaN)).isNaN();
    }

    @ParameterizedTest
    @CsvSource({
        // z, p = erfc(z/√2), log10 p
        "0, 1.0, 0.0",
        "1, 0.3173105078629141, -0.4985155458279893",
        "2, 0.045500263896358414, -1.3419860844769559",
        "3, 0.0026997960632601891, -2.5686690402653879",
        "5, 5.7330314375838782e-7, -6.2416156767266733",
        "10, 1.5239706048321052e-23, -22.817023409822095"
    })
    void twoSidedTail(double z, double p, double log10P) {
        assertThat(GaussianTail.twoSidedP(z)).isCloseTo(p, withinPercentage(REL_1E_14));
        assertThat(GaussianTail.twoSidedP(-z)).isEqualTo(GaussianTail.twoSidedP(z));
        assertThat(GaussianTail.log10P(z)).isCloseTo(log10P, Offset.offset(1e-13));
        assertThat(GaussianTail.log10P(-z)).isEqualTo(GaussianTail.log10P(z));
        assertThat(GaussianTail.log10P(z, GaussianTail.twoSidedP(z)))
                .as("with p given: the same value")
                .isEqualTo(GaussianTail.log10P(z));
    }

    @Test
    void log10PStaysFiniteWherePUnderflows() {
        // p(38) = 5.7708567201375686e-316 is subnormal: Cody's erfc returns 0 beyond x = 26.543
        assertThat(GaussianTail.twoSidedP(38)).isZero();
        assertThat(GaussianTail.log10P(38))
                .isCloseTo(-315.23875970829853, withinPercentage(REL_1E_14));
        // p(40) = 7.3117870818300594e-350: not a double, but its logarithm is.
        assertThat(GaussianTail.twoSidedP(40)).isZero();
        assertThat(GaussianTail.log10P(40))
                .isCloseTo(-349.13597646368186, withinPercentage(REL_1E_14));
        assertThat(GaussianTail.log10P(100))
                .isCloseTo(-2173.5705128733704, withinPercentage(REL_1E_14));
        assertThat(GaussianTail.log10P(1e6))
                .isCloseTo(-217147240957.72397, withinPercentage(REL_1E_14));
        assertThat(GaussianTail.log10P(1e200)).isEqualTo(-Double.MAX_VALUE);
        assertThat(GaussianTail.log10P(-Double.MAX_VALUE)).isEqualTo(-Double.MAX_VALUE);
        assertThat(GaussianTail.log10P(Double.POSITIVE_INFINITY))
                .isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(GaussianTail.log10P(Double.NaN)).isNaN();
    }

    @Test
    void log10PIsContinuousAcrossTheBranchAtZ4Sqrt2() {
        double z = 4.0 * Math.sqrt(2.0);
        double below = GaussianTail.log10P(Math.nextDown(z));
        double above = GaussianTail.log10P(Math.nextUp(z));
        assertThat(above).isCloseTo(below, Offset.offset(1e-13));
        assertThat(above).isCloseTo(Math.log10(1.54172579002800189e-8), Offset.offset(1e-13));
    }

    @ParameterizedTest
    @CsvSource({
        // p, severity = clamp(12.5·(−log10 p − 1), 0, 100), band
        "1.0, 0, NONE",
        "0.5, 0, NONE",
        "0.1, 0, NONE",
        "0.01, 12.5, WARNING",
        "1e-3, 25, MINOR",
        "1e-4, 37.5, MINOR",
        "1e-5, 50, MAJOR",
        "1e-7, 75, CRITICAL",
        "1e-9, 100, CRITICAL",
        "1e-30, 100, CRITICAL",
        "0.0, 100, CRITICAL"
    })
    void severityFromP(double p, double severity, SeverityBand band) {
        assertThat(Severity.fromP(p)).isCloseTo(severity, Offset.offset(1e-12));
        assertThat(SeverityBand.of(Severity.fromP(p))).isEqualTo(band);
    }

    @Test
    void severityOfZ() {
        // z = 3: −log10 p = 2.5686690402653879 → 12.5 · 1.5686690402653879 = 19.608363003317349
        assertThat(Severity.fromLog10P(GaussianTail.log10P(3)))
                .isCloseTo(19.608363003317349, Offset.offset(1e-12));
        // z = 5: 12.5 · 5.2416156767266733 = 65.520195959083416
        assertThat(Severity.fromLog10P(GaussianTail.log10P(5)))
                .isCloseTo(65.520195959083416, Offset.offset(1e-12));
        assertThat(Severity.fromLog10P(GaussianTail.log10P(40))).isEqualTo(100.0);
        assertThat(Severity.fromLog10P(Double.NEGATIVE_INFINITY)).isEqualTo(100.0);
        assertThat(Severity.fromLog10P(Double.NaN)).isZero();
    }
}
