package dev.vigil.simulator;

import dev.vigil.common.model.SeriesIdentity;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The clean signal of one simulated series: {@code base + amplitude·cos(2π(hour − peakHour)/24) +
 * N(0, noiseSigma)}, rounded to the precision the device reports. Noise is counter-based (a pure
 * function of seed, series and event time), so {@link #cleanValue(int)} is random-access.
 *
 * <p>The <em>anomaly σ</em> is the unit of injected anomalies. It is the noise σ combined with the
 * worst-case lag of an exponentially weighted mean (half-life {@code detector-half-life-points})
 * behind the daily cycle: {@code sqrt(noise² + lag²)}, {@code lag = amplitude · (2π·tick/1 day) ·
 * (1−α)/α}. That is the spread a streaming EWMA detector actually measures on the clean series, so
 * "+5σ" means +5 of the detector's σ.
 */
public final class SeriesModel {

    private static final double DAY_MS = 86_400_000.0;

    private final String device;
    private final String measurement;
    private final String[] tags;
    private final String field;
    private final String seriesKey;
    private final long seriesId;
    private final double base;
    private final double amplitude;
    private final double peakHourUtc;
    private final double noiseSigma;
    private final int decimals;
    private final long seed;
    private final long startMs;
    private final long tickMs;
    private final double anomalySigma;

    private SeriesModel(Spec spec, FleetConfig config) {
        device = spec.device;
        measurement = spec.measurement;
        tags = SeriesIdentity.sortTags(spec.tagKeyValues);
        field = spec.field;
        seriesKey = SeriesIdentity.seriesKey(measurement, tags, field);
        seriesId = SeriesIdentity.seriesId(measurement, tags, field);
        base = spec.base;
        amplitude = spec.amplitude;
        peakHourUtc = spec.peakHourUtc;
        noiseSigma = spec.noiseSigma;
        decimals = spec.decimals;
        seed = config.seed();
        startMs = config.start().toEpochMilli();
        tickMs = config.tickInterval().toMillis();
        anomalySigma = anomalySigma(config.detectorHalfLifePoints());
    }

    static SeriesModel of(Spec spec, FleetConfig config) {
        return new SeriesModel(spec, config);
    }

    private double anomalySigma(double halfLifePoints) {
        double alpha = 1.0 - StrictMath.pow(2.0, -1.0 / halfLifePoints);
        double maxSlopePerTick = amplitude * 2.0 * Math.PI * tickMs / DAY_MS;
        double lag = maxSlopePerTick * (1.0 - alpha) / alpha;
        return StrictMath.sqrt(noiseSigma * noiseSigma + lag * lag);
    }

    /** The value the series reports at {@code tick} without any anomaly (already rounded). */
    public double cleanValue(int tick) {
        long eventMs = startMs + tick * tickMs;
        double hour = Math.floorMod(eventMs, (long) DAY_MS) / 3_600_000.0;
        double seasonal = amplitude * StrictMath.cos(2.0 * Math.PI * (hour - peakHourUtc) / 24.0);
        // noise indexed by absolute time: runs with other start times agree where they overlap
        double noise = noiseSigma * Noise.gaussian(seed, seriesId, Math.floorDiv(eventMs, tickMs));
        return round(base + seasonal + noise);
    }

    /** Rounds to the reported precision (half-even). */
    public double round(double value) {
        return BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_EVEN).doubleValue();
    }

    /** The value as the device writes it (integers without a decimal point). */
    String format(double value) {
        return BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
    }

    /** Whether anomalies can be injected (the series varies). */
    public boolean injectable() {
        return anomalySigma > 0;
    }

    public String device() {
        return device;
    }

    public String measurement() {
        return measurement;
    }

    /** Sorted tags {@code [k1, v1, k2, v2, ...]} (a copy). */
    public String[] tags() {
        return tags.clone();
    }

    public String field() {
        return field;
    }

    /** {@link SeriesIdentity#seriesKey} of the series, as the job's parsers produce it. */
    public String seriesKey() {
        return seriesKey;
    }

    public long seriesId() {
        return seriesId;
    }

    public double noiseSigma() {
        return noiseSigma;
    }

    public double amplitude() {
        return amplitude;
    }

    /** The unit of injected anomalies (see the class comment). */
    public double anomalySigma() {
        return anomalySigma;
    }

    public int decimals() {
        return decimals;
    }

    @Override
    public String toString() {
        return seriesKey + " (base " + base + ", amp " + amplitude + ", σ " + noiseSigma + ')';
    }

    /** The parameters of a series, filled in by the device factories. */
    static final class Spec {
        final String device;
        final String measurement;
        final String field;
        final String[] tagKeyValues;
        double base;
        double amplitude;
        double peakHourUtc;
        double noiseSigma;
        int decimals = 2;

        Spec(String device, String measurement, String field, String... tagKeyValues) {
            this.device = device;
            this.measurement = measurement;
            this.field = field;
            this.tagKeyValues = tagKeyValues;
        }

        Spec level(double base, double amplitude, double peakHourUtc) {
            this.base = base;
            this.amplitude = amplitude;
            this.peakHourUtc = peakHourUtc;
            return this;
        }

        Spec noise(double sigma) {
            this.noiseSigma = sigma;
            return this;
        }

        Spec decimals(int decimals) {
            this.decimals = decimals;
            return this;
        }
    }
}
