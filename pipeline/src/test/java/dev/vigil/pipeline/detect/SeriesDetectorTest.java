package dev.vigil.pipeline.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.pipeline.config.DetectionSettings;
import dev.vigil.pipeline.config.VigilOptions;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Test;

class SeriesDetectorTest {

    private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
    private static final long STEP = 600_000L; // 10 minutes
    private static final double SIGMA_PER_MAD = Math.sqrt(Math.PI / 2);

    /** Warm after two points, so the first scored point can be computed by hand. */
    private static final DetectionSettings TWO_POINT_WARMUP =
            DetectionSettings.withOverrides(c -> c.set(VigilOptions.WARMUP_POINTS, 2));

    @Test
    void oneTailEvaluationGivesTheLargerDetectorSurpriseWhereItCounts() {
        // Below QUIET_Z a detector's surprise cannot reach the Bonferroni term: 0 stands for it.
        assertThat(-GaussianTail.log10P(SeriesDetector.QUIET_Z))
                .isLessThan(SeriesDetector.LOG10_DETECTORS);
        assertThat(SeriesDetector.tailSurprise(0.95, -0.3)).isEqualTo(0.0);
        double[] zs = {-40.0, -6.0, -2.5, -1.0, 0.0, 0.96, 1.7, 3.0, 9.0, 38.5, Double.MAX_VALUE};
        for (double z : zs) {
            for (double rateZ : zs) {
                double both = Math.max(-GaussianTail.log10P(z), -GaussianTail.log10P(rateZ));
                double counted = Math.max(0.0, both - SeriesDetector.LOG10_DETECTORS);
                assertThat(
                                Math.max(
                                        0.0,
                                        SeriesDetector.tailSurprise(z, rateZ)
                                                - SeriesDetector.LOG10_DETECTORS))
                        .as("z=%s rate z=%s", z, rateZ)
                        .isEqualTo(counted);
            }
        }
    }

    @Test
    void anomalyScoreIsContinuousAndNeverSaturates() {
        assertThat(SeriesDetector.anomalyScore(0.0, 10.0)).isEqualTo(0.0);
        assertThat(SeriesDetector.anomalyScore(10.0, 10.0)).isEqualTo(0.5);
        assertThat(SeriesDetector.anomalyScore(30.0, 10.0)).isEqualTo(0.75);
        assertThat(SeriesDetector.anomalyScore(Double.NaN, 10.0)).isEqualTo(0.0);
        // p = 1e-100 still ranks below p = 1e-300 and both below 1.
        double rare = SeriesDetector.anomalyScore(100.0, 10.0);
        double rarer = SeriesDetector.anomalyScore(300.0, 10.0);
        assertThat(rare).isCloseTo(10.0 / 11.0, within(1e-15));
        assertThat(rarer).isGreaterThan(rare).isLessThan(1.0);
        assertThat(SeriesDetector.anomalyScore(Double.POSITIVE_INFINITY, 10.0)).isLessThan(1.0);
    }

    @Test
    void firstWarmPointByHand() {
        SeriesDetector d = new SeriesDetector();
        assertThat(d.observe(10.0, T0, TWO_POINT_WARMUP)).isSameAs(Detection.NONE);
        // Second point: weight 1/2 → level 11, mean absolute deviation 0.5·2 = 1; residual 2.
        assertThat(d.observe(12.0, T0 + STEP, TWO_POINT_WARMUP)).isSameAs(Detection.NONE);
        assertThat(d.getLevelOffset()).isEqualTo(1.0);
        assertThat(d.getLevelDev()).isEqualTo(1.0);
        assertThat(d.getLastResidual()).isEqualTo(2.0);

        Detection x = d.observe(14.0, T0 + 2 * STEP, TWO_POINT_WARMUP);

        // σ = √(π/2)·1; z = (14 − 11)/σ = 2.39365; two-sided p = 0.016680 → surprise 1.77777.
        assertThat(x.baseline()).isEqualTo(Detection.Baseline.ROBUST);
        assertThat(x.expected()).isEqualTo(11.0);
        assertThat(x.levelZ()).isCloseTo(3.0 / SIGMA_PER_MAD, within(1e-12));
        assertThat(x.levelSurprise()).isCloseTo(1.7777651279954205, within(1e-12));
        // CUSUM⁺ = z − k = 1.89365; surprise 2k·S·log₁₀e = 0.822403.
        assertThat(d.getCusumUp()).isCloseTo(3.0 / SIGMA_PER_MAD - 0.5, within(1e-12));
        assertThat(x.cusumSurprise()).isCloseTo(0.8224033449058263, within(1e-12));
        // Rate: (3 − 2)/(√2·σ) = 0.564190 → surprise 0.242130.
        assertThat(x.rateZ()).isCloseTo(0.5641895835477563, within(1e-12));
        assertThat(x.rateSurprise()).isCloseTo(0.24212960718555632, within(1e-12));
        // Combined: 1.77777 − log₁₀3 = 1.300644; score 1.300644/11.300644 = 0.115095.
        assertThat(x.surprise()).isCloseTo(1.3006438732757581, within(1e-12));
        assertThat(x.emittedSurprise()).isEqualTo(x.surprise());
        assertThat(x.anomalyScore()).isCloseTo(0.1150946696366192, within(1e-12));
        // Huber ψ: the update is clipped at 1.5σ, weight 1/3 → level moves 0.5·σ = 0.626657.
        assertThat(d.getLevelOffset()).isCloseTo(1.0 + 0.5 * SIGMA_PER_MAD, within(1e-12));
    }

    @Test
    void robustBaselineIsNotDraggedByASpike() {
        SeriesDetector d = new SeriesDetector();
        DetectionSettings s = DetectionSettings.defaults();
        feedAlternating(d, s, 0, 200, 10.0, 1.0);
        double before = d.getReference() + d.getLevelOffset();

        Detection spike = d.observe(1000.0, T0 + 200 * STEP, s);

        assertThat(spike.levelSurprise()).isGreaterThan(100.0);
        // One clipped CUSUM step (3.5) is not yet a change: only level and rate fire.
        assertThat(spike.firedDetectors(3.0)).startsWith("robust z=").contains(", rate z=");
        double after = d.getReference() + d.getLevelOffset();
        // Moves by at most weight·1.5σ (weight 1/201, σ = √(π/2) for ±1 noise), not by 990/201.
        assertThat(after - before).isCloseTo(1.5 * SIGMA_PER_MAD / 201, within(1e-3));
    }

    @Test
    void oneDetectionPerExcursionThenDecay() {
        SeriesDetector d = new SeriesDetector();
        DetectionSettings s = DetectionSettings.defaults();
        feedAlternating(d, s, 0, 200, 10.0, 1.0);

        Detection first = d.observe(60.0, T0 + 200 * STEP, s);
        Detection second = d.observe(60.0, T0 + 201 * STEP, s);

        assertThat(first.anomalyScore()).isGreaterThan(0.9);
        assertThat(second.surprise()).isGreaterThan(10.0);
        assertThat(second.emittedSurprise()).isEqualTo(0.0);
        assertThat(second.anomalyScore()).isEqualTo(0.0);
        // The peak decays with half-life 100 points: 1000 points later a spike reports again.
        feedAlternating(d, s, 202, 1000, 10.0, 1.0);
        assertThat(d.observe(60.0, T0 + 1202 * STEP, s).anomalyScore()).isGreaterThan(0.5);
    }

    @Test
    void cusumAcceptsALevelShiftOnce() {
        SeriesDetector d = new SeriesDetector();
        DetectionSettings s = DetectionSettings.defaults();
        feedAlternating(d, s, 0, 200, 10.0, 1.0);
        int reported = 0;
        for (int i = 200; i < 400; i++) {
            double v = 13.0 + (i % 2 == 0 ? 1.0 : -1.0);
            if (d.observe(v, T0 + i * STEP, s).anomalyScore() > 0.2) {
                reported++;
            }
        }
        // A 2.4σ shift: each CUSUM alarm moves the baseline by its shift estimate; it takes 4
        // alarms (σ grows with the RMS residual meanwhile), then the baseline has followed.
        assertThat(reported).isEqualTo(4);
        assertThat(d.getReference() + d.getLevelOffset()).isCloseTo(13.0, within(0.5));
    }

    @Test
    void seasonalProfileAfterTwoDays() {
        SeriesDetector d = new SeriesDetector();
        DetectionSettings s = DetectionSettings.defaults();
        int perDay = 144;
        int n = 4 * perDay;
        for (int i = 0; i < n; i++) {
            d.observe(daily(i, perDay), T0 + i * STEP, s);
        }
        // Hour 3 is normally 0 ± 0.5: a value of 10 is normal globally but not at 03:00.
        long t = T0 + n * STEP + 3 * SeriesDetector.HOUR_MS;
        Detection x = d.observe(10.0, t, s);

        assertThat(SeriesDetector.hourOf(t)).isEqualTo(3);
        assertThat(x.baseline()).isEqualTo(Detection.Baseline.SEASONAL);
        assertThat(x.expected()).isCloseTo(0.0, within(0.3));
        assertThat(x.firedDetectors(3.0)).startsWith("seasonal z=");
        assertThat(x.anomalyScore()).isGreaterThan(0.5);
    }

    @Test
    void noSeasonalBaselineBeforeMinHistory() {
        SeriesDetector d = new SeriesDetector();
        DetectionSettings s =
                DetectionSettings.withOverrides(
                        c -> c.set(VigilOptions.SEASONAL_MIN_HISTORY, Duration.ofDays(30)));
        for (int i = 0; i < 4 * 144; i++) {
            d.observe(daily(i, 144), T0 + i * STEP, s);
        }
        assertThat(d.observe(10.0, T0 + 4 * 144 * STEP, s).baseline())
                .isEqualTo(Detection.Baseline.ROBUST);
    }

    @Test
    void weeklyProfileAllocatedAfterAWeekUsedAfterTwo() {
        SeriesDetector d = new SeriesDetector();
        DetectionSettings s = DetectionSettings.defaults();
        int perDay = 144;
        long week = 7 * 24 * SeriesDetector.HOUR_MS;
        long firstAllocated = -1;
        long firstWeekly = -1;
        for (int i = 0; i < 21 * perDay; i++) {
            long t = T0 + i * STEP;
            Detection x = d.observe(mondayMornings(t, i), t, s);
            if (firstAllocated < 0 && d.getWeekly() != null) {
                firstAllocated = t - T0;
            }
            if (firstWeekly < 0 && x.baseline() == Detection.Baseline.WEEKLY) {
                firstWeekly = t - T0;
            }
        }
        assertThat(firstAllocated).isEqualTo(week);
        // Not before two weeks; then only once it predicts better than the hour-of-day profile:
        // that profile forgot the last Monday (pooled deviation, half-life 400 points) and fails
        // again on the third Monday's busy hours, 4 points in (08:40).
        long thirdMondayMorning = 18 * 24 * SeriesDetector.HOUR_MS + 8 * SeriesDetector.HOUR_MS;
        assertThat(firstWeekly).isEqualTo(thirdMondayMorning + 4 * STEP);

        // Tuesday 10:00 (day 5 of the epoch's Thursday-based week) is normally 0 ± 0.5: only
        // Mondays are busy, so 10 is news on a Tuesday.
        long tuesday = T0 + 21 * perDay * STEP + (5 * 24 + 10) * SeriesDetector.HOUR_MS;
        assertThat(WeeklyProfile.hourOfWeek(tuesday) / 24).isEqualTo(5);
        Detection x = d.observe(10.0, tuesday, s);
        assertThat(x.baseline()).isEqualTo(Detection.Baseline.WEEKLY);
        assertThat(x.expected()).isCloseTo(0.0, within(0.3));
        assertThat(x.firedDetectors(3.0)).startsWith("weekly z=");
        assertThat(x.anomalyScore()).isGreaterThan(0.5);
    }

    @Test
    void noWeeklyProfileBeforeAWeek() {
        SeriesDetector d = new SeriesDetector();
        DetectionSettings s = DetectionSettings.defaults();
        int n = 7 * 144;
        for (int i = 0; i < n; i++) {
            long t = T0 + i * STEP;
            d.observe(mondayMornings(t, i), t, s);
        }
        assertThat(d.getWeekly()).isNull();
        d.observe(0.0, T0 + n * STEP, s);
        assertThat(d.getWeekly()).isNotNull();
    }

    @Test
    void nonFiniteValuesChangeNothing() throws Exception {
        SeriesDetector d = new SeriesDetector();
        DetectionSettings s = DetectionSettings.defaults();
        feedAlternating(d, s, 0, 50, 10.0, 1.0);
        SeriesDetector copy = copyOf(d);
        assertThat(d.observe(Double.NaN, T0, s)).isSameAs(Detection.NONE);
        assertThat(d.observe(Double.POSITIVE_INFINITY, T0, s)).isSameAs(Detection.NONE);
        assertThat(d).isEqualTo(copy);
    }

    @Test
    void recurringSpikesStopBeingNewsADenserBurstIsNews() {
        SeriesDetector d = new SeriesDetector();
        DetectionSettings s = DetectionSettings.defaults();
        List<Detection> spikes = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            boolean spike = i % 50 == 25;
            Detection x = d.observe(spiky(i, spike), T0 + i * STEP, s);
            if (spike && x != Detection.NONE) {
                spikes.add(x);
            }
        }
        // 19 warm spikes of +30 on 10 ± 1: the first is news, from the seventh on they recur.
        Detection first = spikes.get(0);
        assertThat(first.recurring()).isFalse();
        assertThat(first.surprise()).isEqualTo(first.pointSurprise());
        assertThat(first.anomalyScore()).isGreaterThan(0.85);
        assertThat(spikes).hasSize(19);
        assertThat(spikes.subList(0, 6)).noneMatch(Detection::recurring);
        assertThat(spikes.subList(6, 19)).allMatch(Detection::recurring);
        Detection last = spikes.get(spikes.size() - 1);
        assertThat(last.pointSurprise()).isGreaterThan(10.0);
        assertThat(last.calibratedSurprise()).isCloseTo(-Math.log10(1 / 50.0), within(0.1));
        assertThat(last.anomalyScore()).isLessThan(0.2);
        assertThat(last.firedDetectors(3.0))
                .matches("robust z=\\d+\\.\\d, rate z=\\d\\.\\d \\(recurring: p=2e-02\\)");

        // The same spikes every other point: their rate is the anomaly.
        double burst = 0;
        for (int i = 1000; i < 1010; i++) {
            burst =
                    Math.max(
                            burst,
                            d.observe(spiky(i, i % 2 == 0), T0 + i * STEP, s).likelihoodSurprise());
        }
        assertThat(burst).isGreaterThan(10.0);
    }

    private static double spiky(int i, boolean spike) {
        return 10.0 + (i % 2 == 0 ? 1 : -1) + (spike ? 30 : 0);
    }

    @Test
    void serializedAsPojoAndSmall() throws Exception {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(SeriesDetector.class);
        TypeSerializer<SeriesDetector> serializer =
                TypeInformation.of(SeriesDetector.class)
                        .createSerializer(new SerializerConfigImpl());
        assertThat(serializer).isInstanceOf(PojoSerializer.class);
        SeriesDetector d = new SeriesDetector();
        DetectionSettings s = DetectionSettings.defaults();
        for (int i = 0; i < 4 * 144; i++) {
            d.observe(daily(i, 144), T0 + i * STEP, s);
        }
        DataOutputSerializer out = new DataOutputSerializer(512);
        serializer.serialize(d, out);
        // 13 × 8-byte + 2 × 4-byte + 2 × 24 floats + 24 bytes = 328 bytes of data, plus the
        // calibration (25 floats, a byte, a double: 109) and the likelihood (an int, a long, two
        // doubles: 28) = 465 bytes of data + array lengths, POJO flags: 511 bytes.
        assertThat(out.length()).isLessThanOrEqualTo(520);
        assertThat(serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer())))
                .isEqualTo(d);
    }

    // ---------------------------------------------------------------- helpers

    /** 0 from 00:00 to 11:59, 10 from 12:00 to 23:59 (UTC), ±0.5 alternating noise. */
    private static double daily(int i, int perDay) {
        double base = (i % perDay) < perDay / 2 ? 0.0 : 10.0;
        return base + (i % 2 == 0 ? 0.5 : -0.5);
    }

    /** 10 on Mondays 08:00–15:59 (UTC), else 0; ±0.5 alternating noise. */
    private static double mondayMornings(long t, int i) {
        ZonedDateTime at = Instant.ofEpochMilli(t).atZone(ZoneOffset.UTC);
        boolean busy =
                at.getDayOfWeek() == DayOfWeek.MONDAY && at.getHour() >= 8 && at.getHour() < 16;
        return (busy ? 10.0 : 0.0) + (i % 2 == 0 ? 0.5 : -0.5);
    }

    private static void feedAlternating(
            SeriesDetector d, DetectionSettings s, int from, int to, double mean, double noise) {
        for (int i = from; i < to; i++) {
            d.observe(mean + (i % 2 == 0 ? noise : -noise), T0 + i * STEP, s);
        }
    }

    private static SeriesDetector copyOf(SeriesDetector d) throws Exception {
        TypeSerializer<SeriesDetector> serializer =
                TypeInformation.of(SeriesDetector.class)
                        .createSerializer(new SerializerConfigImpl());
        return serializer.copy(d);
    }
}
