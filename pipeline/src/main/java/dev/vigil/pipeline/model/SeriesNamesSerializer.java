package dev.vigil.pipeline.model;

import dev.vigil.common.model.MetricPoint;
import dev.vigil.common.model.SeriesIdentity;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Serializes only the names of a series' {@link MetricPoint} — measurement, field, tags — for keyed
 * state that keeps a series' identity (the scoring operator's "series-identity"): the point's time
 * and value are not needed there, and its series id is the state's key, recomputed from the names
 * ({@link SeriesIdentity#seriesId}) when read. 27 bytes per series less than {@link
 * MetricPointSerializer} (round 5 of issue #7). A deserialized point has timestamp 0 and value 0.
 *
 * <p>Layout: measurement, field ({@link WireStrings}), tag count + 1 as a varint (0 = no tag
 * array), tags. State written with {@link MetricPointSerializer} (0.x round 4) restores: its
 * snapshot is accepted as compatible after migration (Flink reads it with the old serializer and
 * writes it with this one).
 */
public final class SeriesNamesSerializer extends StatelessSerializer<MetricPoint> {

    private static final long serialVersionUID = 1L;

    public static final SeriesNamesSerializer INSTANCE = new SeriesNamesSerializer();

    @Override
    public MetricPoint createInstance() {
        return new MetricPoint();
    }

    @Override
    public MetricPoint copy(MetricPoint from) {
        return MetricPointSerializer.copyOf(from);
    }

    @Override
    public void serialize(MetricPoint point, DataOutputView out) throws IOException {
        WireStrings.write(point.getMeasurement(), out);
        WireStrings.write(point.getField(), out);
        String[] tags = point.getTags();
        WireStrings.writeVarInt(tags == null ? 0 : tags.length + 1, out);
        if (tags != null) {
            WireStrings.writeEach(tags, out);
        }
    }

    @Override
    public MetricPoint deserialize(DataInputView in) throws IOException {
        MetricPoint point = new MetricPoint();
        point.setMeasurement(WireStrings.read(in));
        point.setField(WireStrings.read(in));
        int tagCount = WireStrings.readVarInt(in) - 1;
        if (tagCount >= 0) {
            point.setTags(WireStrings.readEach(tagCount, in));
        }
        point.setSeriesId(
                SeriesIdentity.seriesId(
                        point.getMeasurement(),
                        point.getTags() == null ? new String[0] : point.getTags(),
                        point.getField()));
        return point;
    }

    @Override
    public TypeSerializerSnapshot<MetricPoint> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores this serializer; state written by {@link MetricPointSerializer} migrates to it. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<MetricPoint> {
        public Snapshot() {
            super(() -> INSTANCE);
        }

        @Override
        public TypeSerializerSchemaCompatibility<MetricPoint> resolveSchemaCompatibility(
                TypeSerializerSnapshot<MetricPoint> oldSnapshot) {
            if (oldSnapshot instanceof MetricPointSerializer.Snapshot) {
                return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
            }
            return super.resolveSchemaCompatibility(oldSnapshot);
        }
    }
}
