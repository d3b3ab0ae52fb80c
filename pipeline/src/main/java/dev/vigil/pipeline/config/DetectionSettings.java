package dev.vigil.pipeline.config;

import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;

/**
 * The detector and pattern settings the operators need, read once from the configuration. Immutable
 * and serializable (shipped with the operators).
 */
public final class DetectionSettings implements Serializable {

    private static final long serialVersionUID = 1L;

    public final double halfLifePoints;
    public final int warmupPoints;
    public final double bandK;
    public final double epsilon;
    public final double clampK;
    public final long seriesTtlMs;
    public final int seriesCache;

    public final double robustHalfLifePoints;
    public final double seasonalHalfLifeDays;
    public final long seasonalMinHistoryMs;
    public final double weeklyHalfLifeWeeks;
    public final long weeklyMinHistoryMs;
    public final double cusumDrift;
    public final double cusumResetLog10P;
    public final double suppressHalfLifePoints;
    public final double scoreHalfLog10P;

    public final int sustainedPoints;
    public final int sustainedWindowPoints;
    public final long sustainedWithinMs;
    public final int flatlinePoints;
    public final long flatlineDurationMs;
    public final int levelShiftPoints;
    public final long silenceMinGapMs;
    public final double silenceIntervalMultiplier;

    public final long fleetSliceMs;
    public final double deviceEpsilon;
    public final int deviceMinMetrics;
    public final boolean populationEnabled;
    public final String[] populationMemberTags;
    public final double populationK;
    public final int populationStableSlices;
    public final int populationMinMembers;

    public final long outOfOrdernessMs;
    public final long idleTimeoutMs;

    private DetectionSettings(ReadableConfig c) {
        halfLifePoints = c.get(VigilOptions.HALF_LIFE_POINTS);
        warmupPoints = c.get(VigilOptions.WARMUP_POINTS);
        bandK = c.get(VigilOptions.BAND_K);
        epsilon = c.get(VigilOptions.EPSILON);
        clampK = c.get(VigilOptions.CLAMP_K);
        seriesTtlMs = c.get(VigilOptions.SERIES_TTL).toMillis();
        seriesCache = c.get(VigilOptions.SERIES_CACHE);
        robustHalfLifePoints = c.get(VigilOptions.ROBUST_HALF_LIFE_POINTS);
        seasonalHalfLifeDays = c.get(VigilOptions.SEASONAL_HALF_LIFE_DAYS);
        seasonalMinHistoryMs = c.get(VigilOptions.SEASONAL_MIN_HISTORY).toMillis();
        weeklyHalfLifeWeeks = c.get(VigilOptions.WEEKLY_HALF_LIFE_WEEKS);
        weeklyMinHistoryMs = c.get(VigilOptions.WEEKLY_MIN_HISTORY).toMillis();
        cusumDrift = c.get(VigilOptions.CUSUM_DRIFT);
        cusumResetLog10P = c.get(VigilOptions.CUSUM_RESET_LOG10P);
        suppressHalfLifePoints = c.get(VigilOptions.SUPPRESS_HALF_LIFE_POINTS);
        scoreHalfLog10P = c.get(VigilOptions.SCORE_HALF_LOG10P);
        sustainedPoints = c.get(VigilOptions.SUSTAINED_POINTS);
        sustainedWindowPoints = c.get(VigilOptions.SUSTAINED_WINDOW_POINTS);
        sustainedWithinMs = c.get(VigilOptions.SUSTAINED_WITHIN).toMillis();
        flatlinePoints = c.get(VigilOptions.FLATLINE_POINTS);
        flatlineDurationMs = c.get(VigilOptions.FLATLINE_DURATION).toMillis();
        levelShiftPoints = c.get(VigilOptions.LEVEL_SHIFT_POINTS);
        silenceMinGapMs = c.get(VigilOptions.SILENCE_MIN_GAP).toMillis();
        silenceIntervalMultiplier = c.get(VigilOptions.SILENCE_INTERVAL_MULTIPLIER);
        fleetSliceMs = c.get(VigilOptions.FLEET_SLICE).toMillis();
        deviceEpsilon = c.get(VigilOptions.DEVICE_EPSILON);
        deviceMinMetrics = c.get(VigilOptions.DEVICE_MIN_METRICS);
        populationEnabled = c.get(VigilOptions.POPULATION_ENABLED);
        populationMemberTags = c.get(VigilOptions.POPULATION_MEMBER_TAGS).toArray(new String[0]);
        populationK = c.get(VigilOptions.POPULATION_K);
        populationStableSlices = c.get(VigilOptions.POPULATION_STABLE_SLICES);
        populationMinMembers = c.get(VigilOptions.POPULATION_MIN_MEMBERS);
        outOfOrdernessMs = c.get(VigilOptions.OUT_OF_ORDERNESS).toMillis();
        idleTimeoutMs = c.get(VigilOptions.IDLE_TIMEOUT).toMillis();
        validate();
    }

    public static DetectionSettings from(ReadableConfig config) {
        return new DetectionSettings(config);
    }

    /** All defaults. */
    public static DetectionSettings defaults() {
        return new DetectionSettings(new Configuration());
    }

    /**
     * Defaults with some overrides, for tests: {@code withOverrides(c -> c.set(VigilOptions.BAND_K,
     * 4.0))}.
     */
    public static DetectionSettings withOverrides(
            java.util.function.Consumer<Configuration> overrides) {
        Configuration c = new Configuration();
        overrides.accept(c);
        return new DetectionSettings(c);
    }

    /** Exponential smoothing factor per point: α = 1 − 2^(−1/half-life). */
    public double alpha() {
        return 1.0 - Math.pow(2.0, -1.0 / halfLifePoints);
    }

    /** Per-point weight of the robust baseline: 1 − 2^(−1/half-life). */
    public double robustAlpha() {
        return 1.0 - Math.pow(2.0, -1.0 / robustHalfLifePoints);
    }

    /** Per-point decay of the suppression peak: 2^(−1/half-life). */
    public double suppressDecay() {
        return Math.pow(2.0, -1.0 / suppressHalfLifePoints);
    }

    public Duration outOfOrderness() {
        return Duration.ofMillis(outOfOrdernessMs);
    }

    private void validate() {
        require(halfLifePoints >= 1, VigilOptions.HALF_LIFE_POINTS.key(), "must be ≥ 1");
        require(warmupPoints >= 2, VigilOptions.WARMUP_POINTS.key(), "must be ≥ 2");
        require(bandK > 0, VigilOptions.BAND_K.key(), "must be > 0");
        require(epsilon > 0 && epsilon < 1, VigilOptions.EPSILON.key(), "must be in (0, 1)");
        require(clampK > 0, VigilOptions.CLAMP_K.key(), "must be > 0");
        require(seriesTtlMs > 0, VigilOptions.SERIES_TTL.key(), "must be positive");
        require(seriesCache >= 0, VigilOptions.SERIES_CACHE.key(), "must be ≥ 0 (0: no cache)");
        require(
                robustHalfLifePoints >= 1,
                VigilOptions.ROBUST_HALF_LIFE_POINTS.key(),
                "must be ≥ 1");
        require(
                seasonalHalfLifeDays > 0,
                VigilOptions.SEASONAL_HALF_LIFE_DAYS.key(),
                "must be > 0");
        require(seasonalMinHistoryMs >= 0, VigilOptions.SEASONAL_MIN_HISTORY.key(), "must be ≥ 0");
        require(weeklyHalfLifeWeeks > 0, VigilOptions.WEEKLY_HALF_LIFE_WEEKS.key(), "must be > 0");
        require(
                weeklyMinHistoryMs >= Duration.ofDays(14).toMillis(),
                VigilOptions.WEEKLY_MIN_HISTORY.key(),
                "must be at least two weeks (the profile starts after one)");
        require(cusumDrift > 0, VigilOptions.CUSUM_DRIFT.key(), "must be > 0");
        require(cusumResetLog10P > 0, VigilOptions.CUSUM_RESET_LOG10P.key(), "must be > 0");
        require(
                suppressHalfLifePoints > 0,
                VigilOptions.SUPPRESS_HALF_LIFE_POINTS.key(),
                "must be > 0");
        require(scoreHalfLog10P > 0, VigilOptions.SCORE_HALF_LOG10P.key(), "must be > 0");
        require(sustainedPoints >= 2, VigilOptions.SUSTAINED_POINTS.key(), "must be ≥ 2");
        require(
                sustainedWindowPoints >= sustainedPoints,
                VigilOptions.SUSTAINED_WINDOW_POINTS.key(),
                "must be ≥ " + VigilOptions.SUSTAINED_POINTS.key());
        require(sustainedWithinMs > 0, VigilOptions.SUSTAINED_WITHIN.key(), "must be positive");
        require(flatlinePoints >= 3, VigilOptions.FLATLINE_POINTS.key(), "must be ≥ 3");
        require(flatlineDurationMs > 0, VigilOptions.FLATLINE_DURATION.key(), "must be positive");
        require(levelShiftPoints >= 3, VigilOptions.LEVEL_SHIFT_POINTS.key(), "must be ≥ 3");
        require(silenceMinGapMs > 0, VigilOptions.SILENCE_MIN_GAP.key(), "must be positive");
        require(
                silenceIntervalMultiplier >= 1,
                VigilOptions.SILENCE_INTERVAL_MULTIPLIER.key(),
                "must be ≥ 1");
        require(fleetSliceMs > 0, VigilOptions.FLEET_SLICE.key(), "must be positive");
        require(
                deviceEpsilon > 0 && deviceEpsilon < 1,
                VigilOptions.DEVICE_EPSILON.key(),
                "must be in (0, 1)");
        require(deviceMinMetrics >= 1, VigilOptions.DEVICE_MIN_METRICS.key(), "must be ≥ 1");
        require(populationK > 0, VigilOptions.POPULATION_K.key(), "must be > 0");
        require(
                populationStableSlices >= 0,
                VigilOptions.POPULATION_STABLE_SLICES.key(),
                "must be ≥ 0");
        require(
                populationMinMembers >= 3,
                VigilOptions.POPULATION_MIN_MEMBERS.key(),
                "must be ≥ 3");
        require(outOfOrdernessMs >= 0, VigilOptions.OUT_OF_ORDERNESS.key(), "must be ≥ 0");
        require(idleTimeoutMs > 0, VigilOptions.IDLE_TIMEOUT.key(), "must be positive");
    }

    private static void require(boolean ok, String key, String rule) {
        if (!ok) {
            throw new IllegalArgumentException(
                    "Invalid configuration: '"
                            + key
                            + "' "
                            + rule
                            + ". Fix it in the config file or on the"
                            + " command line (--"
                            + key
                            + " VALUE).");
        }
    }
}
