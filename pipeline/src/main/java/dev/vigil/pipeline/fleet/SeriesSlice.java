package dev.vigil.pipeline.fleet;

import dev.vigil.pipeline.model.ScoredPoint;
import java.util.Arrays;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * What the fleet detectors need of one device series within one event-time slice: its identity, its
 * device and population keys, the most deviating warm point with the number of warm points (for
 * {@link DeviceScoreFunction}) and the latest point (for {@link PopulationFunction}).
 *
 * <p>Built per series by {@link FleetSlicer} in the scoring operator, which emits one per series
 * and slice instead of every scored point (at a 10 s interval and 1 min slices: one record instead
 * of six, on each of the two fleet shuffles). Summaries of the same series and slice merge without
 * changing the result — the worst point is the one with the largest |z|, warm points add up, the
 * latest point is the newest ({@link MetricDeviation#observe}, {@link PopulationMember#observe}) —
 * so both detectors may receive a slice of a series in several parts (an out-of-order point, a
 * summary sent early) and end up where per-point input would have brought them.
 */
@TypeInfo(SeriesSliceSerializer.Factory.class)
public class SeriesSlice {

    private long seriesId;
    private String measurement;
    private String field;
    private String[] tags;
    private String device;
    private String population;

    /** End (exclusive) of the slice in event time. */
    private long sliceEnd;

    /** Warm points with a defined z in the slice; the worst point is one of them. */
    private int warmPoints;

    private long worstTimestamp;
    private double worstValue;
    private double worstExpected;
    private double worstLower;
    private double worstUpper;
    private double worstZ;

    private long latestTimestamp = Long.MIN_VALUE;
    private double latestValue;

    /** The scorer's σ at the latest point (0 before warm-up). */
    private double latestStd;

    /**
     * Measurement, field and tags as the fleet shuffles write them ({@link SliceWire#writeNames}),
     * encoded once per series and shared by its following slices (while one is open when the next
     * begins); {@code null} when not encoded, and again when a name is set. Derived from the fields
     * above: not serialized, not compared.
     */
    private byte[] encodedNames;

    /** For serializers. */
    public SeriesSlice() {}

    /** Folds a scored point of this series and slice in. */
    void observe(ScoredPoint p) {
        if (p.isWarm() && !Double.isNaN(p.getZ())) {
            if (warmPoints == 0 || Math.abs(p.getZ()) > Math.abs(worstZ)) {
                worstTimestamp = p.timestamp();
                worstValue = p.value();
                worstExpected = p.getMean();
                worstLower = p.getLower();
                worstUpper = p.getUpper();
                worstZ = p.getZ();
            }
            warmPoints++;
        }
        if (p.timestamp() >= latestTimestamp) {
            latestTimestamp = p.timestamp();
            latestValue = p.value();
            latestStd = p.isWarm() && Double.isFinite(p.getStd()) ? p.getStd() : 0.0;
        }
    }

    /**
     * Encodes the measurement, field and tags for the fleet shuffles (see {@link #encodedNames}).
     */
    void encodeNames() {
        encodedNames = SliceWire.encodeNames(measurement, field, tags);
    }

    /** Takes the encoded names of {@code other}, a slice of the same series. */
    void shareEncodedNames(SeriesSlice other) {
        encodedNames = other.encodedNames;
    }

    /** The encoded names (do not modify), or {@code null}. */
    byte[] encodedNames() {
        return encodedNames;
    }

    /** Whether a point was folded in (every point sets the latest one). */
    boolean hasLatest() {
        return latestTimestamp != Long.MIN_VALUE;
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

    /** Sets the measurement; names encoded before no longer apply. */
    public void setMeasurement(String measurement) {
        this.measurement = measurement;
        this.encodedNames = null;
    }

    public String getField() {
        return field;
    }

    /** Sets the field; names encoded before no longer apply. */
    public void setField(String field) {
        this.field = field;
        this.encodedNames = null;
    }

    public String[] getTags() {
        return tags;
    }

    /** Sets the tags; names encoded before no longer apply. */
    public void setTags(String[] tags) {
        this.tags = tags;
        this.encodedNames = null;
    }

    public String getDevice() {
        return device;
    }

    public void setDevice(String device) {
        this.device = device;
    }

    public String getPopulation() {
        return population;
    }

    public void setPopulation(String population) {
        this.population = population;
    }

    public long getSliceEnd() {
        return sliceEnd;
    }

    public void setSliceEnd(long sliceEnd) {
        this.sliceEnd = sliceEnd;
    }

    public int getWarmPoints() {
        return warmPoints;
    }

    public void setWarmPoints(int warmPoints) {
        this.warmPoints = warmPoints;
    }

    public long getWorstTimestamp() {
        return worstTimestamp;
    }

    public void setWorstTimestamp(long worstTimestamp) {
        this.worstTimestamp = worstTimestamp;
    }

    public double getWorstValue() {
        return worstValue;
    }

    public void setWorstValue(double worstValue) {
        this.worstValue = worstValue;
    }

    public double getWorstExpected() {
        return worstExpected;
    }

    public void setWorstExpected(double worstExpected) {
        this.worstExpected = worstExpected;
    }

    public double getWorstLower() {
        return worstLower;
    }

    public void setWorstLower(double worstLower) {
        this.worstLower = worstLower;
    }

    public double getWorstUpper() {
        return worstUpper;
    }

    public void setWorstUpper(double worstUpper) {
        this.worstUpper = worstUpper;
    }

    public double getWorstZ() {
        return worstZ;
    }

    public void setWorstZ(double worstZ) {
        this.worstZ = worstZ;
    }

    public long getLatestTimestamp() {
        return latestTimestamp;
    }

    public void setLatestTimestamp(long latestTimestamp) {
        this.latestTimestamp = latestTimestamp;
    }

    public double getLatestValue() {
        return latestValue;
    }

    public void setLatestValue(double latestValue) {
        this.latestValue = latestValue;
    }

    public double getLatestStd() {
        return latestStd;
    }

    public void setLatestStd(double latestStd) {
        this.latestStd = latestStd;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof SeriesSlice)) {
            return false;
        }
        SeriesSlice that = (SeriesSlice) o;
        return seriesId == that.seriesId
                && sliceEnd == that.sliceEnd
                && warmPoints == that.warmPoints
                && worstTimestamp == that.worstTimestamp
                && Double.compare(that.worstValue, worstValue) == 0
                && Double.compare(that.worstExpected, worstExpected) == 0
                && Double.compare(that.worstLower, worstLower) == 0
                && Double.compare(that.worstUpper, worstUpper) == 0
                && Double.compare(that.worstZ, worstZ) == 0
                && latestTimestamp == that.latestTimestamp
                && Double.compare(that.latestValue, latestValue) == 0
                && Double.compare(that.latestStd, latestStd) == 0
                && Objects.equals(measurement, that.measurement)
                && Objects.equals(field, that.field)
                && Arrays.equals(tags, that.tags)
                && Objects.equals(device, that.device)
                && Objects.equals(population, that.population);
    }

    @Override
    public int hashCode() {
        return Objects.hash(seriesId, sliceEnd, warmPoints, latestTimestamp);
    }

    @Override
    public String toString() {
        return "SeriesSlice{"
                + device
                + ' '
                + measurement
                + ' '
                + field
                + " end="
                + sliceEnd
                + " warm="
                + warmPoints
                + " worstZ="
                + worstZ
                + " latest="
                + latestValue
                + '@'
                + latestTimestamp
                + '}';
    }
}
