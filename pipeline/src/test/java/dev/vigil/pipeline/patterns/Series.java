package dev.vigil.pipeline.patterns;

import dev.vigil.common.model.MetricPoint;
import dev.vigil.pipeline.model.ScoredPoint;
import java.util.ArrayList;
import java.util.List;

/**
 * Test builder of hand-made scored points of one series: fixed baseline (mean 20, σ 1, k 3, so the
 * band is 17..23) unless changed, a point every 10 s from a fixed instant, seq and previous value
 * tracked. Severity of a point is {@code min(100, 10·|z|)} unless overridden.
 */
final class Series {

    static final long T0 = 1_700_000_000_000L;

    private final String sensor;
    private double mean = 20.0;
    private double std = 1.0;
    private double k = 3.0;
    private boolean warm = true;
    private long intervalMs = 10_000L;
    private double typicalIntervalMs = 10_000.0;
    private Double severityOverride;

    private long seq = 100;
    private long lastTs = T0 - intervalMs;
    private double previousValue = Double.NaN;
    private int runLength;
    private boolean runStartVaried;

    private Series(String sensor) {
        this.sensor = sensor;
    }

    static Series of(String sensor) {
        return new Series(sensor);
    }

    static String key(String sensor) {
        return "room,sensor=" + sensor + " temp";
    }

    static long seriesId(String sensor) {
        return new MetricPoint("room", new String[] {"sensor", sensor}, "temp", 0, 0).getSeriesId();
    }

    Series baseline(double mean, double std) {
        this.mean = mean;
        this.std = std;
        return this;
    }

    Series warm(boolean warm) {
        this.warm = warm;
        return this;
    }

    /** Spacing of the following points (also their typical interval). */
    Series every(long intervalMs) {
        this.intervalMs = intervalMs;
        this.typicalIntervalMs = intervalMs;
        return this;
    }

    Series severity(double severity) {
        this.severityOverride = severity;
        return this;
    }

    /** The next points, one interval apart. */
    List<ScoredPoint> next(double... values) {
        List<ScoredPoint> points = new ArrayList<>();
        for (double v : values) {
            points.add(after(intervalMs, v));
        }
        return points;
    }

    /** The same value {@code n} times. */
    List<ScoredPoint> repeat(int n, double value) {
        List<ScoredPoint> points = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            points.add(after(intervalMs, value));
        }
        return points;
    }

    /** One point {@code gapMs} after the previous one. */
    ScoredPoint after(long gapMs, double value) {
        long ts = lastTs + gapMs;
        MetricPoint mp =
                new MetricPoint("room", new String[] {"sensor", sensor}, "temp", ts, value);
        ScoredPoint p = new ScoredPoint();
        p.setPoint(mp);
        p.setSeq(++seq);
        p.setWarm(warm);
        p.setMean(mean);
        p.setStd(std);
        double z = std > 0 ? (value - mean) / std : (value == mean ? 0 : Double.POSITIVE_INFINITY);
        p.setZ(z);
        p.setP(0.5);
        p.setSeverity(
                severityOverride != null ? severityOverride : Math.min(100, 10 * Math.abs(z)));
        p.setLower(mean - k * std);
        p.setUpper(mean + k * std);
        p.setPreviousValue(previousValue);
        p.setPreviousTimestamp(Double.isNaN(previousValue) ? Long.MIN_VALUE : lastTs);
        p.setTypicalIntervalMs(typicalIntervalMs);
        // as the scoring function stamps them
        runLength = value == previousValue ? runLength + 1 : 1;
        runStartVaried = runLength == 1 ? p.baselineVaries() : runStartVaried;
        p.setRunLength(runLength);
        p.setRunStartVaried(runStartVaried);
        lastTs = ts;
        previousValue = value;
        return p;
    }

    /** Concatenation of point lists. */
    @SafeVarargs
    static List<ScoredPoint> concat(List<ScoredPoint>... parts) {
        List<ScoredPoint> all = new ArrayList<>();
        for (List<ScoredPoint> part : parts) {
            all.addAll(part);
        }
        return all;
    }
}
