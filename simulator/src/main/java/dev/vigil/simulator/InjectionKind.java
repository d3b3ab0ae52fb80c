package dev.vigil.simulator;

/**
 * The kinds of anomaly the simulator injects; {@link #name()} is the kind string written to the
 * ground truth. Magnitudes are in units of the series' {@link SeriesModel#anomalySigma() anomaly
 * σ}.
 */
public enum InjectionKind {
    /** One point at +{@value #SPIKE_SIGMAS}σ. */
    SPIKE(1),
    /** {@value #SUSTAINED_POINTS} consecutive points at +{@value #SUSTAINED_SIGMAS}σ, then back. */
    SUSTAINED_DEVIATION(6),
    /** +{@value #LEVEL_SHIFT_SIGMAS}σ from the start tick to the end of the run. */
    LEVEL_SHIFT(20),
    /** The value repeats exactly for {@value #FLATLINE_POINTS} points. */
    FLATLINE(20),
    /** The device (all its series) sends nothing for {@value #SILENCE_TICKS} ticks. */
    SILENCE(60),
    /**
     * A linear ramp of +1σ per {@value #DRIFT_TICKS_PER_SIGMA} ticks for {@value #DRIFT_TICKS}
     * ticks, then the series returns to its clean value.
     */
    DRIFT(60);

    public static final double SPIKE_SIGMAS = 12.0;
    public static final int SUSTAINED_POINTS = 6;
    public static final double SUSTAINED_SIGMAS = 5.0;
    public static final double LEVEL_SHIFT_SIGMAS = 15.0;
    public static final int FLATLINE_POINTS = 20;
    public static final int SILENCE_TICKS = 60;
    public static final int DRIFT_TICKS = 60;
    public static final int DRIFT_TICKS_PER_SIGMA = 10;

    private final int minTicks;

    InjectionKind(int minTicks) {
        this.minTicks = minTicks;
    }

    /**
     * Ticks the anomaly needs before the end of the run (for a level shift: the minimum run after
     * the shift).
     */
    public int minTicks() {
        return minTicks;
    }

    /** The YAML/properties key of the per-kind count: {@code sustained-deviation}. */
    public String configKey() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
