package dev.vigil.pipeline.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.common.model.MetricPoint;
import dev.vigil.pipeline.config.DetectionSettings;
import dev.vigil.pipeline.config.VigilOptions;
import dev.vigil.pipeline.model.Anomaly;
import java.util.SplittableRandom;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Test;

class RunningStatsTest {

    private static final DetectionSettings DEFAULTS = DetectionSettings.defaults();
    private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
    private static final long STEP = 10_000L;

    // ---------------------------------------------------------------- hand-computed math

    @Test
    void equalWeightStartIsThePlainMeanAndPopulationVariance() {
        RunningStats s = new RunningStats();
        s.update(2, T0, DEFAULTS);
        // n=1, a=1: mean 2, var 0
        assertThat(s.mean()).isEqualTo(2.0);
        assertThat(s.getVariance()).isZero();
        s.update(4, T0 + STEP, DEFAULTS);
        // n=2, a=1/2: diff 2, incr 1 → mean 3; var = ½·(0 + 2·1) = 1 = popvar{2,4}
        assertThat(s.mean()).isEqualTo(3.0);
        assertThat(s.getVariance()).isEqualTo(1.0);
        s.update(4, T0 + 2 * STEP, DEFAULTS);
        // n=3, a=1/3: diff 1, incr 1/3 → mean 10/3; var = ⅔·(1 + ⅓) = 8/9 = popvar{2,4,4}
        assertThat(s.mean()).isCloseTo(10.0 / 3.0, within(1e-15));
        assertThat(s.getVariance()).isCloseTo(8.0 / 9.0, within(1e-15));
        for (double x : new double[] {4, 5, 5, 7, 9}) {
            s.update(x, T0, DEFAULTS);
        }
        // {2,4,4,4,5,5,7,9}: mean 5, population variance 32/8 = 4
        assertThat(s.getCount()).isEqualTo(8);
        assertThat(s.mean()).isCloseTo(5.0, within(1e-14));
        assertThat(s.getVariance()).isCloseTo(4.0, within(1e-14));
        assertThat(s.sigma()).isCloseTo(2.0, within(1e-14));
    }

    @Test
    void exponentialWeightsAfterTheStart() {
        // half-life 1 point → α = 1 − 2^−1 = ½; a_n = max(½, 1/n) = 1, ½, ½, ...
        DetectionSettings s =
                DetectionSettings.withOverrides(c -> c.set(VigilOptions.HALF_LIFE_POINTS, 1.0));
        assertThat(s.alpha()).isEqualTo(0.5);
        RunningStats stats = new RunningStats();
        stats.update(0, T0, s); // mean 0, var 0
        stats.update(4, T0 + STEP, s); // diff 4, incr 2 → mean 2; var = ½·(0 + 4·2) = 4
        assertThat(stats.mean()).isEqualTo(2.0);
        assertThat(stats.getVariance()).isEqualTo(4.0);
        stats.update(8, T0 + 2 * STEP, s); // diff 6, incr 3 → mean 5; var = ½·(4 + 6·3) = 11
        // weights ¼, ¼, ½: mean 0 + 1 + 4 = 5; var ¼·25 + ¼·1 + ½·9 = 11
        assertThat(stats.mean()).isEqualTo(5.0);
        assertThat(stats.getVariance()).isEqualTo(11.0);
    }

    @Test
    void scoreUsesTheBaselineBeforeThePoint() {
        RunningStats s = statsOf(DEFAULTS, 2, 4, 4, 4, 5, 5, 7, 9); // mean 5, σ 2
        Score score = s.score(11, DEFAULTS);
        // z = (11 − 5)/2 = 3; p = 0.0026997960632601891; severity = 12.5·(2.5686690402653879 − 1)
        assertThat(score.mean()).isCloseTo(5.0, within(1e-14));
        assertThat(score.std()).isCloseTo(2.0, within(1e-14));
        assertThat(score.z()).isCloseTo(3.0, within(1e-13));
        assertThat(score.p()).isCloseTo(0.0026997960632601891, within(1e-15));
        assertThat(score.severity()).isCloseTo(19.608363003317349, within(1e-11));
        assertThat(score.lower()).isCloseTo(-1.0, within(1e-13));
        assertThat(score.upper()).isCloseTo(11.0, within(1e-13));
        assertThat(score.warm()).isFalse(); // 8 < 30 warm-up points
        assertThat(score.outsideBand(20)).isFalse();
        assertThat(s.score(-3, DEFAULTS).z()).isCloseTo(-4.0, within(1e-13));
        // pure: scoring does not change the state
        assertThat(s).isEqualTo(statsOf(DEFAULTS, 2, 4, 4, 4, 5, 5, 7, 9));

        DetectionSettings warmAt5 =
                DetectionSettings.withOverrides(c -> c.set(VigilOptions.WARMUP_POINTS, 5));
        Score warm = s.score(13, warmAt5); // z = 4
        assertThat(warm.warm()).isTrue();
        assertThat(warm.outsideBand(13)).isTrue();
        assertThat(warm.p()).isCloseTo(6.3342483666239957e-5, within(1e-18));
    }

    @Test
    void firstPointIsItsOwnBaseline() {
        Score score = new RunningStats().score(42.0, DEFAULTS);
        assertThat(score.mean()).isEqualTo(42.0);
        assertThat(score.std()).isEqualTo(42.0 * RunningStats.SIGMA_FLOOR_RELATIVE);
        assertThat(score.z()).isZero();
        assertThat(score.p()).isEqualTo(1.0);
        assertThat(score.severity()).isZero();
        assertThat(score.warm()).isFalse();
    }

    @Test
    void sigmaFloorOnAConstantSeries() {
        RunningStats s = new RunningStats();
        for (int i = 0; i < 40; i++) {
            s.update(20.0, T0 + i * STEP, DEFAULTS);
        }
        assertThat(s.getVariance()).isZero();
        assertThat(s.sigma()).isEqualTo(2e-6); // 1e-7 · 20
        // float32 representation jitter (20.0f is exact; 20.1f − 20.1 = 3.8e-7 relative 1.9e-8)
        assertThat(Math.abs(s.score(20.0 + 2e-7, DEFAULTS).z())).isLessThan(0.11);
        // a real change of a constant series: z = 0.1 / 2e-6 = 50 000 → severity 100
        Score change = s.score(20.1, DEFAULTS);
        assertThat(change.z()).isCloseTo(50_000, within(1e-6));
        assertThat(change.severity()).isEqualTo(100.0);
        assertThat(change.p()).isZero();
        assertThat(change.log10P()).isFinite();

        RunningStats zeros = statsOf(DEFAULTS, 0, 0, 0);
        assertThat(zeros.sigma()).isEqualTo(1e-9);
        assertThat(zeros.score(1e-12, DEFAULTS).z()).isCloseTo(1e-3, within(1e-15));
    }

    @Test
    void bookkeepingOfMinMaxLastIntervalAndRepeats() {
        RunningStats s = new RunningStats();
        double[] values = {3, 1, 1, 1, 7, 7};
        for (int i = 0; i < values.length; i++) {
            s.update(values[i], T0 + i * STEP, DEFAULTS);
        }
        assertThat(s.getMin()).isEqualTo(1.0);
        assertThat(s.getMax()).isEqualTo(7.0);
        assertThat(s.previousValue()).isEqualTo(7.0);
        assertThat(s.previousTimestamp()).isEqualTo(T0 + 5 * STEP);
        assertThat(s.getRepeatCount()).isEqualTo(2);
        assertThat(s.getRepeatStart()).isEqualTo(T0 + 4 * STEP);
        assertThat(s.getTypicalIntervalMs()).isEqualTo(10_000.0);
        assertThat(s.getGapCount()).isEqualTo(5);

        s.update(7, T0 + 5 * STEP, DEFAULTS); // duplicate timestamp: no gap
        assertThat(s.getGapCount()).isEqualTo(5);
        assertThat(s.getRepeatCount()).isEqualTo(3);
        // one hour of silence counts as at most 5 × 10 s: 10 000 + ⅙·(50 000 − 10 000)
        s.update(7, T0 + 5 * STEP + 3_600_000L, DEFAULTS);
        assertThat(s.getTypicalIntervalMs()).isCloseTo(10_000.0 + 40_000.0 / 6.0, within(1e-9));

        assertThat(new RunningStats().previousValue()).isNaN();
        assertThat(new RunningStats().previousTimestamp()).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void nonFiniteValuesAreIgnored() {
        RunningStats s = statsOf(DEFAULTS, 1, 2, 3);
        RunningStats before = statsOf(DEFAULTS, 1, 2, 3);
        s.update(Double.NaN, T0, DEFAULTS);
        s.update(Double.POSITIVE_INFINITY, T0, DEFAULTS);
        assertThat(s).isEqualTo(before);
    }

    // ---------------------------------------------------------------- numerical stability

    /**
     * 10⁶ values 1e9 + N(0, 1): the incremental update equals a two-pass computation with explicit
     * weights wᵢ = aᵢ·Π_{j>i}(1 − a_j), aᵢ = max(α, 1/i), summed with Kahan compensation of the
     * deviations from the first value. Tolerances: mean 1e-12σ (as offset from the anchor), i.e. 1
     * ulp of 1e9 in absolute terms; variance 1e-13 relative. Clamping and re-baselining are
     * switched off (clamp-k, band-k huge) because the two-pass formula describes the plain weighted
     * statistics.
     */
    @Test
    void incrementalMatchesTwoPassOnAMillionValuesAroundOneBillion() {
        DetectionSettings s =
                DetectionSettings.withOverrides(
                        c -> {
                            c.set(VigilOptions.CLAMP_K, 1e12);
                            c.set(VigilOptions.BAND_K, 1e12);
                        });
        int n = 1_000_000;
        double[] x = new double[n];
        SplittableRandom random = new SplittableRandom(42);
        RunningStats stats = new RunningStats();
        for (int i = 0; i < n; i++) {
            x[i] = 1e9 + random.nextGaussian();
            stats.update(x[i], T0 + i * STEP, s);
        }
        double[] w = weights(n, s.alpha());
        double reference = stats.getReference(); // x[0]
        double meanOffset = weightedMean(x, w, reference);
        double variance = weightedVariance(x, w, reference, meanOffset);

        assertThat(stats.getCount()).isEqualTo(n);
        assertThat(reference).isEqualTo(x[0]);
        // mean: offsets from the anchor agree to 1e-12 σ; the absolute mean to 1 ulp of 1e9
        assertThat(stats.getMeanOffset()).isCloseTo(meanOffset, within(1e-12));
        assertThat(stats.mean()).isCloseTo(reference + meanOffset, within(Math.ulp(1e9)));
        // variance: 1e-13 relative (measured: 1.3e-15)
        assertThat(stats.getVariance()).isCloseTo(variance, within(1e-13 * variance));
        assertThat(Math.sqrt(variance)).isBetween(0.8, 1.2); // sanity: σ of the noise ≈ 1
    }

    @Test
    void equalWeightsMatchTwoPassOnAShortSeries() {
        double[] x = {1e9 + 1, 1e9 + 3, 1e9 - 2, 1e9 + 0.5, 1e9 - 1, 1e9 + 4};
        RunningStats stats = statsOf(DEFAULTS, x);
        // plain mean: 1e9 + 5.5/6; population variance: Σ(d − 5.5/6)² / 6
        double m = 5.5 / 6;
        double var = 0;
        for (double d : new double[] {1, 3, -2, 0.5, -1, 4}) {
            var += (d - m) * (d - m) / 6;
        }
        assertThat(stats.mean() - 1e9).isCloseTo(m, within(Math.ulp(1e9)));
        assertThat(stats.getVariance()).isCloseTo(var, within(1e-14 * var));
    }

    private static double[] weights(int n, double alpha) {
        double[] w = new double[n];
        double tail = 1.0; // Π_{j>i} (1 − a_j), built backwards
        for (int i = n - 1; i >= 0; i--) {
            double a = Math.max(alpha, 1.0 / (i + 1));
            w[i] = a * tail;
            tail *= 1.0 - a;
        }
        return w;
    }

    private static double weightedMean(double[] x, double[] w, double reference) {
        KahanSum sum = new KahanSum();
        KahanSum weights = new KahanSum();
        for (int i = 0; i < x.length; i++) {
            sum.add(w[i] * (x[i] - reference));
            weights.add(w[i]);
        }
        return sum.value() / weights.value();
    }

    private static double weightedVariance(
            double[] x, double[] w, double reference, double meanOffset) {
        KahanSum sum = new KahanSum();
        KahanSum weights = new KahanSum();
        for (int i = 0; i < x.length; i++) {
            double d = (x[i] - reference) - meanOffset;
            sum.add(w[i] * d * d);
            weights.add(w[i]);
        }
        return sum.value() / weights.value();
    }

    private static final class KahanSum {
        private double sum;
        private double compensation;

        void add(double v) {
            double y = v - compensation;
            double t = sum + y;
            compensation = (t - sum) - y;
            sum = t;
        }

        double value() {
            return sum;
        }
    }

    // ---------------------------------------------------------------- robustness

    @Test
    void aThousandSigmaSpikeDoesNotDragTheBaseline() {
        RunningStats s = noisySeries(DEFAULTS, 500, 10.0, 1.0, 7);
        double mean = s.mean();
        double sigma = s.sigma();
        s.update(mean + 1000 * sigma, T0 + 500 * STEP, DEFAULTS);
        // clamped to mean + 3σ: the mean moves by exactly α·3σ (0.0104σ), σ by ~1.4 %
        double alpha = DEFAULTS.alpha();
        assertThat(s.mean() - mean).isCloseTo(alpha * 3 * sigma, within(1e-12));
        assertThat(s.sigma() / sigma).isBetween(1.0, 1.02);

        // without the clamp the same spike moves the mean by α·1000σ ≈ 3.5σ and σ by ×19
        DetectionSettings noClamp =
                DetectionSettings.withOverrides(c -> c.set(VigilOptions.CLAMP_K, 1e12));
        RunningStats unclamped = noisySeries(noClamp, 500, 10.0, 1.0, 7);
        unclamped.update(mean + 1000 * sigma, T0 + 500 * STEP, noClamp);
        assertThat(unclamped.mean() - mean).isGreaterThan(3 * sigma);
        assertThat(unclamped.sigma()).isGreaterThan(10 * sigma);
    }

    @Test
    void noClampDuringWarmUp() {
        RunningStats s = statsOf(DEFAULTS, 1, 1, 1);
        s.update(101, T0, DEFAULTS); // 4 < 30 points: plain mean
        assertThat(s.mean()).isEqualTo(26.0);
    }

    @Test
    void levelShiftOfTenSigmaIsRebaselinedWithinLevelShiftPoints() {
        DetectionSettings s = DEFAULTS;
        int shiftPoints = s.levelShiftPoints; // 8
        RunningStats stats = noisySeries(s, 500, 10.0, 1.0, 11);
        SplittableRandom random = new SplittableRandom(12);
        int spikes = 0;
        int outside = 0;
        for (int i = 0; i < 60; i++) {
            double x = 20.0 + random.nextGaussian(); // +10σ
            Score score = stats.score(x, s);
            if (score.warm() && score.p() < s.epsilon && !stats.isLastOutsideBand()) {
                spikes++;
            }
            if (score.outsideBand(x)) {
                outside++;
                assertThat(i).as("outside point index").isLessThan(shiftPoints);
            }
            stats.update(x, T0 + (500 + i) * STEP, s);
            if (i == shiftPoints - 1) {
                // re-baselined on the 8 shifted points: the band follows the new level
                assertThat(stats.mean()).isCloseTo(20.0, within(1.0));
                assertThat(stats.score(20.0, s).outsideBand(20.0)).isFalse();
                assertThat(stats.getShiftCount()).isZero();
            }
        }
        assertThat(outside).isEqualTo(shiftPoints);
        assertThat(spikes).isEqualTo(1); // only at the onset
        assertThat(stats.getCount()).isEqualTo(560); // count is kept
        assertThat(stats.mean()).isCloseTo(20.0, within(0.3));
        assertThat(stats.sigma()).isBetween(0.8, 1.5);
    }

    @Test
    void rebaselineUsesTheRunsMeanAndSampleVarianceFlooredByThePreviousVariance() {
        DetectionSettings s = DEFAULTS;
        RunningStats stats = alternating(s, 100, 19, 21); // mean 20, var 1
        double varianceBefore = stats.getVariance();
        double[] shifted = {40, 44, 40, 44, 40, 44, 40, 44}; // mean 42, sample var 32/7
        for (int i = 0; i < shifted.length; i++) {
            stats.update(shifted[i], T0 + (100 + i) * STEP, s);
            if (i < shifted.length - 1) {
                assertThat(stats.getShiftCount()).isEqualTo(i + 1);
                assertThat(stats.getShiftSide()).isEqualTo(1);
            }
        }
        assertThat(stats.mean()).isCloseTo(42.0, within(1e-12));
        assertThat(stats.getVariance()).isCloseTo(32.0 / 7.0, within(1e-12));
        assertThat(stats.getBaselinePoints()).isEqualTo(8);
        assertThat(stats.getCount()).isEqualTo(108);
        assertThat(stats.isLastOutsideBand()).isFalse();
        assertThat(stats.getShiftCount()).isZero();
        assertThat(stats.getShiftSide()).isZero();

        RunningStats quiet = alternating(s, 100, 19, 21);
        for (int i = 0; i < 8; i++) {
            quiet.update(42.0, T0 + (100 + i) * STEP, s); // run variance 0
        }
        assertThat(quiet.mean()).isCloseTo(42.0, within(1e-12));
        assertThat(quiet.getVariance()).isGreaterThanOrEqualTo(varianceBefore);
    }

    @Test
    void aPointBackInsideTheBandEndsTheShiftRun() {
        DetectionSettings s = DEFAULTS;
        RunningStats stats = alternating(s, 100, 19, 21);
        double[] values = {30, 30, 30, 20, 30, 10};
        int[] expectedRun = {1, 2, 3, 0, 1, 1};
        int[] expectedSide = {1, 1, 1, 0, 1, -1};
        for (int i = 0; i < values.length; i++) {
            stats.update(values[i], T0 + (100 + i) * STEP, s);
            assertThat(stats.getShiftCount()).isEqualTo(expectedRun[i]);
            assertThat(stats.getShiftSide()).isEqualTo(expectedSide[i]);
        }
        assertThat(stats.mean()).isCloseTo(20.0, within(0.2)); // not re-baselined
    }

    // ---------------------------------------------------------------- POJO and state size

    @Test
    void modelClassesAreFlinkPojosWithoutKryo() {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(RunningStats.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(SeriesState.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(Anomaly.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(MetricPoint.class);
    }

    @Test
    void serializedStateIsSmall() throws Exception {
        TypeSerializer<RunningStats> serializer =
                TypeInformation.of(RunningStats.class).createSerializer(new SerializerConfigImpl());
        assertThat(serializer).isInstanceOf(PojoSerializer.class);
        RunningStats stats = noisySeries(DEFAULTS, 100, 10, 1, 3);
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(stats, out);
        // 16 × 8-byte + 2 × 4-byte + 1 boolean = 137 bytes of data + POJO header and null flags
        assertThat(out.length()).isEqualTo(157).isLessThanOrEqualTo(256);
        RunningStats copy =
                serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(copy).isEqualTo(stats);
    }

    // ---------------------------------------------------------------- helpers

    static RunningStats statsOf(DetectionSettings s, double... values) {
        RunningStats stats = new RunningStats();
        for (int i = 0; i < values.length; i++) {
            stats.update(values[i], T0 + i * STEP, s);
        }
        return stats;
    }

    private static RunningStats noisySeries(
            DetectionSettings s, int n, double mean, double sigma, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        RunningStats stats = new RunningStats();
        for (int i = 0; i < n; i++) {
            stats.update(mean + sigma * random.nextGaussian(), T0 + i * STEP, s);
        }
        return stats;
    }

    private static RunningStats alternating(DetectionSettings s, int n, double a, double b) {
        RunningStats stats = new RunningStats();
        for (int i = 0; i < n; i++) {
            stats.update(i % 2 == 0 ? a : b, T0 + i * STEP, s);
        }
        return stats;
    }
}
