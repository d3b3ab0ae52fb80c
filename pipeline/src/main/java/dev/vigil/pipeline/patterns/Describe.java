package dev.vigil.pipeline.patterns;

import java.util.Locale;

/** Formatting of numbers and durations in anomaly descriptions (locale independent). */
public final class Describe {

    private static final long SECOND = 1_000L;
    private static final long MINUTE = 60 * SECOND;
    private static final long HOUR = 60 * MINUTE;

    private Describe() {}

    /** One decimal for ordinary magnitudes ({@code 21.0}), three significant digits otherwise. */
    static String number(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.toString(v);
        }
        double a = Math.abs(v);
        if (a == 0 || (a >= 0.1 && a < 1e6)) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }

    /**
     * {@code 250 ms}, {@code 50 s}, {@code 90 s}, {@code 5 min}, {@code 5 min 30 s}, {@code 2 h 5
     * min}.
     */
    public static String duration(long ms) {
        if (ms < 0) {
            return "-" + duration(-ms);
        }
        if (ms < SECOND) {
            return ms + " ms";
        }
        if (ms < 2 * MINUTE) {
            return Math.round(ms / (double) SECOND) + " s";
        }
        if (ms < 2 * HOUR) {
            long seconds = Math.round(ms / (double) SECOND);
            return withRemainder(seconds / 60, "min", seconds % 60, "s");
        }
        long minutes = Math.round(ms / (double) MINUTE);
        return withRemainder(minutes / 60, "h", minutes % 60, "min");
    }

    private static String withRemainder(
            long major, String majorUnit, long minor, String minorUnit) {
        String text = major + " " + majorUnit;
        return minor == 0 ? text : text + " " + minor + " " + minorUnit;
    }

    /** {@code ms} as a duration, rounding a fractional interval to whole milliseconds. */
    public static String duration(double ms) {
        return duration(Math.round(ms));
    }
}
