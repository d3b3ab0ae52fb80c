package dev.vigil.bench;

import java.util.Locale;

/** Number formatting for result tables. */
public final class Fmt {

    private Fmt() {}

    /** 1234567 → "1,234,567". */
    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** Points per second, rounded to thousands above 10k. */
    public static String rate(double perSecond) {
        if (perSecond >= 10_000) {
            return String.format(Locale.ROOT, "%,d", Math.round(perSecond / 1000.0) * 1000);
        }
        return String.format(Locale.ROOT, "%,.0f", perSecond);
    }

    public static String decimal(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    public static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }

    /** Bytes as "12.3 MiB" (or plain bytes below 10 KiB). */
    public static String bytes(long bytes) {
        if (bytes < 10 * 1024) {
            return bytes + " B";
        }
        if (bytes < 10L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
