package dev.vigil.bench.influx;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The lines the sink benchmark writes: what the job writes to {@code vigil_stats} for a warm point
 * (5 tags, 7 fields, ms timestamp, about 190 bytes), for {@value #SERIES} series; line {@code i} is
 * series {@code i % SERIES} at {@code T0 + (i / SERIES) × 10 s}, so every line is a distinct point
 * and {@code count(value)} equals the number of lines written. Lines are cheap concatenations of
 * pre-encoded parts (the same for the plain writer and the sink).
 */
public final class LineCorpus {

    public static final int SERIES = 10_000;
    public static final String MEASUREMENT = "vigil_stats";
    static final long T0 = 1_767_225_600_000L;
    static final long INTERVAL_MS = 10_000;
    private static final int VARIANTS = 64;

    private final String[] prefixes = new String[SERIES];
    private final String[] fields = new String[VARIANTS];

    public LineCorpus() {
        for (int s = 0; s < SERIES; s++) {
            prefixes[s] =
                    String.format(
                            Locale.ROOT,
                            "%s,cpu=cpu%d,field=usage_user,host=host-%04d,measurement=cpu,region=eu-%d ",
                            MEASUREMENT,
                            s % 4,
                            s / 4,
                            s % 3);
        }
        SplittableRandom random = new SplittableRandom(5);
        for (int v = 0; v < VARIANTS; v++) {
            double mean = 20 + random.nextDouble() * 60;
            double std = 0.5 + random.nextDouble() * 3;
            double value = mean + random.nextGaussian() * std;
            double z = (value - mean) / std;
            fields[v] =
                    String.format(
                            Locale.ROOT,
                            "value=%s,mean=%s,std=%s,lower=%s,upper=%s,z=%s,score=%s",
                            value,
                            mean,
                            std,
                            mean - 4 * std,
                            mean + 4 * std,
                            z,
                            Math.min(100.0, Math.abs(z) * 10));
        }
    }

    public String line(long i) {
        int series = (int) (i % SERIES);
        long round = i / SERIES;
        return prefixes[series]
                + fields[(int) ((i * 7 + round) % VARIANTS)]
                + ' '
                + (T0 + round * INTERVAL_MS);
    }
}
