package dev.vigil.pipeline.detect;

import java.util.Arrays;

/**
 * Hour-of-week (UTC) profile of a series: 168 bins, each with a robust mean and mean absolute
 * deviation (float offsets from the series' reference value, like the hour-of-day bins of {@link
 * SeriesDetector}), plus the pooled deviation over all bins. {@link SeriesDetector} allocates it
 * only once the series has a week of history (before that no hour of the week has come round
 * twice), starting every bin from the hour-of-day bin of the same hour, counted as one point. A bin
 * then learns like an hour-of-day bin: equal weights while it is young, then exponential, Huber-
 * clipped once it has two points. A Flink POJO of primitive arrays and primitives.
 */
public class WeeklyProfile {

    static final int HOURS = 168;
    static final long WEEK_MS = HOURS * SeriesDetector.HOUR_MS;

    private float[] mean = new float[HOURS];
    private float[] dev = new float[HOURS];
    private byte[] count = new byte[HOURS];
    private double pooledDev;
    private long pooledCount;

    /** For serializers; no history. */
    public WeeklyProfile() {}

    /**
     * A profile whose every hour of the week starts at its hour of the day: mean and deviation of
     * that bin, one point; the pooled deviation starts at the daily one.
     */
    static WeeklyProfile fromDaily(float[] hourMean, float[] hourDev, double seasonalDev) {
        WeeklyProfile p = new WeeklyProfile();
        for (int h = 0; h < HOURS; h++) {
            int hourOfDay = h % SeriesDetector.HOURS;
            p.mean[h] = hourMean[hourOfDay];
            p.dev[h] = hourDev[hourOfDay];
            p.count[h] = 1;
        }
        p.pooledDev = seasonalDev;
        return p;
    }

    static int hourOfWeek(long timestamp) {
        return (int) Math.floorMod(Math.floorDiv(timestamp, SeriesDetector.HOUR_MS), (long) HOURS);
    }

    /** The bin has had a point of its own since the profile began (beyond its daily start). */
    boolean ready(int hour) {
        return count[hour] >= 2 && pooledCount > 0;
    }

    double mean(int hour) {
        return mean[hour];
    }

    /** The bin's deviation, but at least the pooled one. */
    double dev(int hour) {
        return Math.max(dev[hour], pooledDev);
    }

    double pooledDev() {
        return pooledDev;
    }

    /**
     * Folds in {@code offset} (value − reference) with weight max(a, 1/(n + 1)) for a bin of n
     * points; the mean's step is clipped at ±{@code clipWidth} once the bin has two points (no
     * clipping for {@code clipWidth} ≤ 0).
     */
    void update(double offset, int hour, double a, double clipWidth, double pooledAlpha) {
        int n = count[hour];
        if (n == 0) {
            mean[hour] = (float) offset;
            count[hour] = 1;
            return;
        }
        double r = offset - mean[hour];
        double w = Math.max(a, 1.0 / (n + 1));
        double step = clipWidth > 0 && n >= 2 ? Math.max(-clipWidth, Math.min(clipWidth, r)) : r;
        mean[hour] = (float) (mean[hour] + w * step);
        dev[hour] = (float) (dev[hour] + w * (Math.abs(r) - dev[hour]));
        pooledCount++;
        pooledDev += Math.max(pooledAlpha, 1.0 / pooledCount) * (Math.abs(r) - pooledDev);
        count[hour] = (byte) Math.min(Byte.MAX_VALUE, n + 1);
    }

    /** A level change: every bin moves by {@code shift}. */
    void shift(double shift) {
        for (int h = 0; h < HOURS; h++) {
            mean[h] = (float) (mean[h] + shift);
        }
    }

    // ---------------------------------------------------------------- POJO accessors

    public float[] getMean() {
        return mean;
    }

    public void setMean(float[] mean) {
        this.mean = mean;
    }

    public float[] getDev() {
        return dev;
    }

    public void setDev(float[] dev) {
        this.dev = dev;
    }

    public byte[] getCount() {
        return count;
    }

    public void setCount(byte[] count) {
        this.count = count;
    }

    public double getPooledDev() {
        return pooledDev;
    }

    public void setPooledDev(double pooledDev) {
        this.pooledDev = pooledDev;
    }

    public long getPooledCount() {
        return pooledCount;
    }

    public void setPooledCount(long pooledCount) {
        this.pooledCount = pooledCount;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof WeeklyProfile)) {
            return false;
        }
        WeeklyProfile that = (WeeklyProfile) o;
        return Arrays.equals(mean, that.mean)
                && Arrays.equals(dev, that.dev)
                && Arrays.equals(count, that.count)
                && Double.compare(pooledDev, that.pooledDev) == 0
                && pooledCount == that.pooledCount;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(pooledCount) * 31 + Arrays.hashCode(count);
    }
}
