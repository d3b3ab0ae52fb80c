package dev.vigil.bench.e2e;

import java.util.Arrays;
import java.util.Locale;

/** Count, p50, p99 and max of a set of latencies in nanoseconds (nearest-rank percentiles). */
final class LatencySummary {

    final int count;
    final long p50Nanos;
    final long p99Nanos;
    final long maxNanos;

    private LatencySummary(int count, long p50Nanos, long p99Nanos, long maxNanos) {
        this.count = count;
        this.p50Nanos = p50Nanos;
        this.p99Nanos = p99Nanos;
        this.maxNanos = maxNanos;
    }

    /** Summary of {@code latencies} (not modified); all −1 when empty. */
    static LatencySummary of(long[] latencies) {
        if (latencies.length == 0) {
            return new LatencySummary(0, -1, -1, -1);
        }
        long[] sorted = latencies.clone();
        Arrays.sort(sorted);
        return new LatencySummary(
                sorted.length,
                nearestRank(sorted, 0.50),
                nearestRank(sorted, 0.99),
                sorted[sorted.length - 1]);
    }

    /** The smallest value with at least ⌈q·n⌉ values at or below it. */
    static long nearestRank(long[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
    }

    static String ms(long nanos) {
        return nanos < 0 ? "–" : String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }

    @Override
    public String toString() {
        return "n="
                + count
                + " p50="
                + ms(p50Nanos)
                + " p99="
                + ms(p99Nanos)
                + " max="
                + ms(maxNanos);
    }
}
