package dev.vigil.common.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * One numeric observation of one series. A series is identified by its measurement, its tags
 * (sorted by key) and its field name; {@link #getSeriesId()} is a stable 64-bit hash of that
 * identity, used as the Flink key (cheap to hash, 8 bytes of key per series in state).
 *
 * <p>Tags are kept as a flat array {@code [k1, v1, k2, v2, ...]} sorted by key, so the record is a
 * Flink POJO with no generic (Kryo) fields.
 */
public class MetricPoint {

    private String measurement;
    private String field;
    private String[] tags;
    private long timestamp;
    private double value;
    private long seriesId;

    /** For serializers. */
    public MetricPoint() {}

    /**
     * @param tags alternating keys and values, already sorted by key (see {@link
     *     SeriesIdentity#sortTags})
     */
    public MetricPoint(
            String measurement, String[] tags, String field, long timestamp, double value) {
        this.measurement = measurement;
        this.tags = tags;
        this.field = field;
        this.timestamp = timestamp;
        this.value = value;
        this.seriesId = SeriesIdentity.seriesId(measurement, tags, field);
    }

    /**
     * Canonical, human-readable series key: {@code measurement,k1=v1,k2=v2 field} (not escaped).
     */
    public String seriesKey() {
        return SeriesIdentity.seriesKey(measurement, tags, field);
    }

    /** The value of tag {@code key}, or {@code null}. */
    public String tag(String key) {
        for (int i = 0; i + 1 < tags.length; i += 2) {
            if (tags[i].equals(key)) {
                return tags[i + 1];
            }
        }
        return null;
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

    public long getSeriesId() {
        return seriesId;
    }

    public void setSeriesId(long seriesId) {
        this.seriesId = seriesId;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof MetricPoint)) {
            return false;
        }
        MetricPoint that = (MetricPoint) o;
        return timestamp == that.timestamp
                && Double.compare(that.value, value) == 0
                && seriesId == that.seriesId
                && Objects.equals(measurement, that.measurement)
                && Objects.equals(field, that.field)
                && Arrays.equals(tags, that.tags);
    }

    @Override
    public int hashCode() {
        return Objects.hash(seriesId, timestamp, value);
    }

    @Override
    public String toString() {
        return seriesKey() + '@' + timestamp + '=' + value;
    }
}
