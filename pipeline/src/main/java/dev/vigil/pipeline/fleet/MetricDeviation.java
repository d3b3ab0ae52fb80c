package dev.vigil.pipeline.fleet;

import dev.vigil.common.model.MetricPoint;
import dev.vigil.pipeline.detect.GaussianTail;
import java.util.Arrays;
import java.util.Objects;

/**
 * The most deviating point of one metric of a device within one slice, and how many warm points of
 * that metric the slice saw (for the Šidák correction). State of {@link DeviceScoreFunction}.
 */
public class MetricDeviation {

    private long seriesId;
    private String measurement;
    private String field;
    private String[] tags;
    private long timestamp;
    private double value;
    private double expected;
    private double lower;
    private double upper;
    private double z;

    /** log₁₀ of the two-sided tail probability of {@link #z} (finite where p underflows). */
    private double log10P;

    private int points;

    /** For serializers. */
    public MetricDeviation() {}

    /** The metric of a series' slice summary (with at least one warm point). */
    static MetricDeviation of(SeriesSlice s) {
        MetricDeviation d = new MetricDeviation();
        d.seriesId = s.getSeriesId();
        d.measurement = s.getMeasurement();
        d.field = s.getField();
        d.tags = s.getTags();
        d.take(s);
        d.points = s.getWarmPoints();
        return d;
    }

    /**
     * Counts the summary's warm points and keeps its worst point when it deviates more than the one
     * kept so far.
     */
    void observe(SeriesSlice s) {
        if (Math.abs(s.getWorstZ()) > Math.abs(z)) {
            take(s);
        }
        points += s.getWarmPoints();
    }

    private void take(SeriesSlice s) {
        timestamp = s.getWorstTimestamp();
        value = s.getWorstValue();
        expected = s.getWorstExpected();
        lower = s.getWorstLower();
        upper = s.getWorstUpper();
        z = s.getWorstZ();
        log10P = GaussianTail.log10P(z);
    }

    /** ln of the Šidák-corrected p of the slice's most deviating point among {@link #points}. */
    double lnSlicePValue() {
        return FleetMath.lnSidak(FleetMath.lnFromLog10(log10P), Math.max(1, points));
    }

    /** Beyond the expected band. */
    boolean outsideBand() {
        return value < lower || value > upper;
    }

    /** The worst point as a metric point (identity of this series). */
    MetricPoint toPoint() {
        MetricPoint p = new MetricPoint(measurement, tags, field, timestamp, value);
        p.setSeriesId(seriesId);
        return p;
    }

    public long getSeriesId() {
        return seriesId;
    }

    public void setSeriesId(long seriesId) {
        this.seriesId = seriesId;
    }

    public String getMeasurement() {
        return measurement;
    }

    public void setMeasurement(String measurement) {
        this.measurement = measurement;
    }

    public String getField() {
        return field;
    }

    public void setField(String field) {
        this.field = field;
    }

    public String[] getTags() {
        return tags;
    }

    public void setTags(String[] tags) {
        this.tags = tags;
    }

    public long getTimestamp() {
        return timestamp;
    }

    public void setTimestamp(long timestamp) {
        this.timestamp = timestamp;
    }

    public double getValue() {
        return value;
    }

    public void setValue(double value) {
        this.value = value;
    }

    public double getExpected() {
        return expected;
    }

    public void setExpected(double expected) {
        this.expected = expected;
    }

    public double getLower() {
        return lower;
    }

    public void setLower(double lower) {
        this.lower = lower;
    }

    public double getUpper() {
        return upper;
    }

    public void setUpper(double upper) {
        this.upper = upper;
    }

    public double getZ() {
        return z;
    }

    public void setZ(double z) {
        this.z = z;
    }

    public double getLog10P() {
        return log10P;
    }

    public void setLog10P(double log10P) {
        this.log10P = log10P;
    }

    public int getPoints() {
        return points;
    }

    public void setPoints(int points) {
        this.points = points;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof MetricDeviation)) {
            return false;
        }
        MetricDeviation that = (MetricDeviation) o;
        return seriesId == that.seriesId
                && timestamp == that.timestamp
                && Double.compare(that.value, value) == 0
                && Double.compare(that.expected, expected) == 0
                && Double.compare(that.lower, lower) == 0
                && Double.compare(that.upper, upper) == 0
                && Double.compare(that.z, z) == 0
                && Double.compare(that.log10P, log10P) == 0
                && points == that.points
                && Objects.equals(measurement, that.measurement)
                && Objects.equals(field, that.field)
                && Arrays.equals(tags, that.tags);
    }

    @Override
    public int hashCode() {
        return Objects.hash(seriesId, timestamp, z, points);
    }
}
