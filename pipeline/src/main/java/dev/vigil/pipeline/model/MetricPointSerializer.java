package dev.vigil.pipeline.model;

import dev.vigil.common.model.MetricPoint;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The serializer of {@link MetricPoint}, field by field instead of Flink's reflective {@code
 * PojoSerializer}: every parsed point crosses the keyed shuffle to the scoring operator, and the
 * reflective deserialization (a constructor call with access checks and a {@code Field.set} per
 * field) was a tenth of the scoring chain's CPU ({@code bench/PROFILE.md}, round 4). Used through
 * {@link MetricPointTypeInfo} ({@code MetricPoint} lives in the Flink-free common module, so it
 * cannot carry a {@code @TypeInfo} annotation) and inside {@link ScoredPointSerializer}.
 *
 * <p>Layout: measurement, field, tag count or −1, tags ({@link WireStrings}), timestamp, value,
 * series id. {@code ScoredPointSerializerTest} sets every field of {@code MetricPoint} by
 * reflection, so a field added without a line here fails the build. A change of this layout needs a
 * new snapshot version.
 */
public final class MetricPointSerializer extends StatelessSerializer<MetricPoint> {

    private static final long serialVersionUID = 1L;

    public static final MetricPointSerializer INSTANCE = new MetricPointSerializer();

    @Override
    public MetricPoint createInstance() {
        return new MetricPoint();
    }

    @Override
    public MetricPoint copy(MetricPoint from) {
        return copyOf(from);
    }

    /** A copy of {@code from} (strings shared, the tags array cloned); {@code null} for null. */
    static MetricPoint copyOf(MetricPoint from) {
        if (from == null) {
            return null;
        }
        MetricPoint to = new MetricPoint();
        to.setMeasurement(from.getMeasurement());
        to.setField(from.getField());
        String[] tags = from.getTags();
        to.setTags(tags == null ? null : tags.clone());
        to.setTimestamp(from.getTimestamp());
        to.setValue(from.getValue());
        to.setSeriesId(from.getSeriesId());
        return to;
    }

    @Override
    public void serialize(MetricPoint point, DataOutputView out) throws IOException {
        write(point, out);
    }

    /** Writes a non-null point. */
    static void write(MetricPoint point, DataOutputView out) throws IOException {
        WireStrings.write(point.getMeasurement(), out);
        WireStrings.write(point.getField(), out);
        String[] tags = point.getTags();
        out.writeInt(tags == null ? -1 : tags.length);
        if (tags != null) {
            WireStrings.writeEach(tags, out);
        }
        out.writeLong(point.getTimestamp());
        out.writeDouble(point.getValue());
        out.writeLong(point.getSeriesId());
    }

    @Override
    public MetricPoint deserialize(DataInputView in) throws IOException {
        return read(in);
    }

    /** Reads what {@link #write} wrote. */
    static MetricPoint read(DataInputView in) throws IOException {
        MetricPoint point = new MetricPoint();
        point.setMeasurement(WireStrings.read(in));
        point.setField(WireStrings.read(in));
        int tagCount = in.readInt();
        if (tagCount >= 0) {
            point.setTags(WireStrings.readEach(tagCount, in));
        }
        point.setTimestamp(in.readLong());
        point.setValue(in.readDouble());
        point.setSeriesId(in.readLong());
        return point;
    }

    @Override
    public TypeSerializerSnapshot<MetricPoint> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores this serializer from checkpoints and savepoints. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<MetricPoint> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
