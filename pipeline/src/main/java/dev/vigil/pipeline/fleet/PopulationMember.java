package dev.vigil.pipeline.fleet;

import dev.vigil.common.model.MetricPoint;
import java.util.Arrays;
import java.util.Objects;

/**
 * One device series of a population: its identity, latest value, and for how many consecutive
 * slices it stayed close to the fleet (within k/2 robust σ). State of {@link PopulationFunction}.
 */
public class PopulationMember {

    private String measurement;
    private String field;
    private String[] tags;
    private long timestamp;
    private double value;

    /** The member's own σ (its scorer's baseline spread at the latest point; 0 before warm-up). */
    private double std;

    private int quietSlices;

    /** For serializers. */
    public PopulationMember() {}

    /** The member of a series' slice summary (with a latest point). */
    static PopulationMember of(SeriesSlice s) {
        PopulationMember m = new PopulationMember();
        m.measurement = s.getMeasurement();
        m.field = s.getField();
        m.tags = s.getTags();
        m.take(s);
        return m;
    }

    /** Takes the summary's latest point when it is not older than the member's latest one. */
    void observe(SeriesSlice s) {
        if (s.getLatestTimestamp() >= timestamp) {
            take(s);
        }
    }

    private void take(SeriesSlice s) {
        timestamp = s.getLatestTimestamp();
        value = s.getLatestValue();
        std = s.getLatestStd();
    }

    MetricPoint toPoint() {
        return new MetricPoint(measurement, tags, field, timestamp, value);
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

    public double getStd() {
        return std;
    }

    public void setStd(double std) {
        this.std = std;
    }

    public int getQuietSlices() {
        return quietSlices;
    }

    public void setQuietSlices(int quietSlices) {
        this.quietSlices = quietSlices;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof PopulationMember)) {
            return false;
        }
        PopulationMember that = (PopulationMember) o;
        return timestamp == that.timestamp
                && Double.compare(that.value, value) == 0
                && Double.compare(that.std, std) == 0
                && quietSlices == that.quietSlices
                && Objects.equals(measurement, that.measurement)
                && Objects.equals(field, that.field)
                && Arrays.equals(tags, that.tags);
    }

    @Override
    public int hashCode() {
        return Objects.hash(measurement, field, timestamp, value, quietSlices);
    }
}
