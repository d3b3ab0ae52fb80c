package dev.vigil.common.routing;

/** Unit of line-protocol timestamps; converts to epoch milliseconds. */
public enum TimePrecision {
    S("s", 1000L, 1L),
    MS("ms", 1L, 1L),
    US("us", 1L, 1_000L),
    NS("ns", 1L, 1_000_000L);

    private final String yamlName;
    private final long multiplier;
    private final long divisor;

    TimePrecision(String yamlName, long multiplier, long divisor) {
        this.yamlName = yamlName;
        this.multiplier = multiplier;
        this.divisor = divisor;
    }

    public String yamlName() {
        return yamlName;
    }

    /**
     * Epoch milliseconds for a timestamp in this unit (floored), or {@link Long#MIN_VALUE} when the
     * result would overflow.
     */
    public long toMillis(long value) {
        if (multiplier != 1L) {
            long limit = Long.MAX_VALUE / multiplier;
            if (value > limit || value < -limit) {
                return Long.MIN_VALUE;
            }
            return value * multiplier;
        }
        return Math.floorDiv(value, divisor);
    }

    /** The precision named {@code name} in YAML, or {@code null} if there is none. */
    public static TimePrecision fromYamlName(String name) {
        for (TimePrecision precision : values()) {
            if (precision.yamlName.equals(name)) {
                return precision;
            }
        }
        return null;
    }
}
