package dev.vigil.pipeline.model;

import dev.vigil.common.model.MetricPoint;
import dev.vigil.common.model.SeriesIdentity;
import java.util.Arrays;
import java.util.Objects;

/**
 * A detected anomaly of one series: what, when, how bad, observed versus expected, and a sentence
 * for humans.
 */
public class Anomaly {

    private AnomalyKind kind;
    private String measurement;
    private String field;
    private String[] tags;
    private long seriesId;

    /**
     * Event time of the first and the last point involved (equal for a spike; for silence: last
     * seen, fire time).
     */
    private long start;

    private long end;

    /** 0–100. */
    private double severity;

    private double observed;
    private double expected;
    private double lower;
    private double upper;
    private String description;

    /** For serializers. */
    public Anomaly() {}

    /** An anomaly of the series of {@code point}, other fields to be set by the detector. */
    public static Anomaly of(AnomalyKind kind, MetricPoint point) {
        Anomaly a = new Anomaly();
        a.kind = kind;
        a.measurement = point.getMeasurement();
        a.field = point.getField();
        a.tags = point.getTags();
        a.seriesId = point.getSeriesId();
        return a;
    }

    public String seriesKey() {
        return SeriesIdentity.seriesKey(measurement, tags, field);
    }

    public SeverityBand band() {
        return SeverityBand.of(severity);
    }

    public AnomalyKind getKind() {
        return kind;
    }

    public void setKind(AnomalyKind kind) {
        this.kind = kind;
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

    public long getSeriesId() {
        return seriesId;
    }

    public void setSeriesId(long seriesId) {
        this.seriesId = seriesId;
    }

    public long getStart() {
        return start;
    }

    public void setStart(long start) {
        this.start = start;
    }

    public long getEnd() {
        return end;
    }

    public void setEnd(long end) {
        this.end = end;
    }

    public double getSeverity() {
        return severity;
    }

    public void setSeverity(double severity) {
        this.severity = severity;
    }

    public double getObserved() {
        return observed;
    }

    public void setObserved(double observed) {
        this.observed = observed;
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

    public String getDescription() {
        return description;
    }

    public void setDescription(String description) {
        this.description = description;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Anomaly)) {
            return false;
        }
        Anomaly that = (Anomaly) o;
        return seriesId == that.seriesId
                && start == that.start
                && end == that.end
                && Double.compare(that.severity, severity) == 0
                && Double.compare(that.observed, observed) == 0
                && Double.compare(that.expected, expected) == 0
                && Double.compare(that.lower, lower) == 0
                && Double.compare(that.upper, upper) == 0
                && kind == that.kind
                && Objects.equals(measurement, that.measurement)
                && Objects.equals(field, that.field)
                && Arrays.equals(tags, that.tags)
                && Objects.equals(description, that.description);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, seriesId, start, end);
    }

    @Override
    public String toString() {
        return kind
                + " "
                + seriesKey()
                + " ["
                + start
                + ".."
                + end
                + "] severity="
                + Math.round(severity)
                + " ("
                + band()
                + "): "
                + description;
    }
}
