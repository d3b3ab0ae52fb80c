package dev.vigil.simulator;

/**
 * One planned anomaly: a kind on one series (or, for {@link InjectionKind#SILENCE}, on a whole
 * device) from {@code startTick} to {@code endTick}, both inclusive.
 */
public final class Injection {

    private final InjectionKind kind;
    private final SimDevice device;
    private final SeriesModel series;
    private final int startTick;
    private final int endTick;

    Injection(
            InjectionKind kind, SimDevice device, SeriesModel series, int startTick, int endTick) {
        this.kind = kind;
        this.device = device;
        this.series = series;
        this.startTick = startTick;
        this.endTick = endTick;
    }

    public InjectionKind kind() {
        return kind;
    }

    public SimDevice device() {
        return device;
    }

    /** The target series, or {@code null} for a device-wide silence. */
    public SeriesModel series() {
        return series;
    }

    public int startTick() {
        return startTick;
    }

    public int endTick() {
        return endTick;
    }

    boolean covers(int tick) {
        return tick >= startTick && tick <= endTick;
    }

    /** The reported value at {@code tick} given the series' clean value. */
    double apply(int tick, double clean) {
        if (!covers(tick)) {
            return clean;
        }
        double sigma = series.anomalySigma();
        double value =
                switch (kind) {
                    case SPIKE -> clean + InjectionKind.SPIKE_SIGMAS * sigma;
                    case SUSTAINED_DEVIATION -> clean + InjectionKind.SUSTAINED_SIGMAS * sigma;
                    case LEVEL_SHIFT -> clean + InjectionKind.LEVEL_SHIFT_SIGMAS * sigma;
                    case FLATLINE -> series.cleanValue(startTick);
                    case DRIFT ->
                            clean
                                    + sigma
                                            * (tick - startTick + 1)
                                            / (double) InjectionKind.DRIFT_TICKS_PER_SIGMA;
                    case SILENCE -> clean;
                };
        return series.round(value);
    }

    @Override
    public String toString() {
        return kind
                + " on "
                + (series == null ? device.name() : series.seriesKey())
                + " ticks "
                + startTick
                + ".."
                + endTick;
    }
}
