package dev.vigil.pipeline.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.common.model.MetricPoint;
import dev.vigil.pipeline.testutils.EveryField;
import java.io.IOException;
import java.util.Set;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * {@link ScoredPointSerializer} keeps every field of {@link ScoredPoint} and its {@link
 * MetricPoint}. The fields are set by reflection to distinct values, so a field added to either
 * class without a line in the serializer makes this test fail.
 */
class ScoredPointSerializerTest {

    /** The point inside a scored point is set and compared on its own. */
    private static final Set<Class<?>> POINT = Set.of(MetricPoint.class);

    private final ScoredPointSerializer serializer = ScoredPointSerializer.INSTANCE;

    @Test
    void everyFieldSurvivesSerialization() throws Exception {
        for (boolean flag : new boolean[] {true, false}) {
            ScoredPoint original = everyFieldSet(flag);
            ScoredPoint back = roundTrip(original);
            assertSameFields(back, original);
            assertSameFields(back.getPoint(), original.getPoint());
        }
    }

    @Test
    void everyFieldSurvivesACopyAndTheCopyIsIndependent() throws Exception {
        ScoredPoint original = everyFieldSet(true);
        ScoredPoint copy = serializer.copy(original);
        assertSameFields(copy, original);
        assertSameFields(copy.getPoint(), original.getPoint());
        assertThat(copy).isNotSameAs(original);
        assertThat(copy.getPoint())
                .as("points are not modified after parsing")
                .isSameAs(original.getPoint());
    }

    @Test
    void absentPointTagsAndStringsSurvive() throws Exception {
        ScoredPoint empty = new ScoredPoint();
        assertThat(roundTrip(empty)).isEqualTo(empty);
        assertThat(serializer.copy(empty)).isEqualTo(empty);

        ScoredPoint noTags = new ScoredPoint();
        noTags.setPoint(new MetricPoint());
        ScoredPoint back = roundTrip(noTags);
        assertThat(back.getPoint().getTags()).isNull();
        assertThat(back.getPoint().getMeasurement()).isNull();
        assertThat(back.getPoint().getField()).isNull();
        assertThat(back).isEqualTo(noTags);
    }

    @Test
    void copyingSerializedBytesKeepsThem() throws Exception {
        ScoredPoint original = everyFieldSet(true);
        DataOutputSerializer first = new DataOutputSerializer(64);
        serializer.serialize(original, first);
        DataOutputSerializer second = new DataOutputSerializer(64);
        serializer.copy(new DataInputDeserializer(first.getCopyOfBuffer()), second);
        assertThat(second.getCopyOfBuffer()).isEqualTo(first.getCopyOfBuffer());
    }

    @Test
    void snapshotRestoresACompatibleSerializer() {
        TypeSerializer<ScoredPoint> restored =
                serializer.snapshotConfiguration().restoreSerializer();
        assertThat(restored).isEqualTo(serializer);
        TypeSerializerSchemaCompatibility<ScoredPoint> compatibility =
                serializer
                        .snapshotConfiguration()
                        .resolveSchemaCompatibility(serializer.snapshotConfiguration());
        assertThat(compatibility.isCompatibleAsIs()).isTrue();
    }

    @Test
    void metricPointsHaveTheirOwnSerializerWithEveryField() throws Exception {
        MetricPointSerializer points = MetricPointSerializer.INSTANCE;
        MetricPoint original = everyFieldSet(true).getPoint();
        DataOutputSerializer out = new DataOutputSerializer(64);
        points.serialize(original, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        assertSameFields(points.deserialize(in), original);
        assertThat(in.available()).isZero();
        MetricPoint copy = points.copy(original);
        assertSameFields(copy, original);
        assertThat(copy.getTags()).isNotSameAs(original.getTags());
        assertThat(MetricPointTypeInfo.INSTANCE.createSerializer(new SerializerConfigImpl()))
                .isSameAs(points);
        assertThat(points.snapshotConfiguration().restoreSerializer()).isEqualTo(points);
    }

    private ScoredPoint roundTrip(ScoredPoint p) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(p, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        ScoredPoint back = serializer.deserialize(in);
        assertThat(in.available()).as("bytes left after deserializing").isZero();
        return back;
    }

    /** A scored point whose every field (and its point's) has a distinct non-default value. */
    private static ScoredPoint everyFieldSet(boolean flag) throws IllegalAccessException {
        MetricPoint point = new MetricPoint();
        fill(point, 100, flag);
        ScoredPoint scored = new ScoredPoint();
        fill(scored, 1, flag);
        scored.setPoint(point);
        return scored;
    }

    private static void fill(Object target, int seed, boolean flag) throws IllegalAccessException {
        EveryField.fill(target, seed, flag, POINT);
    }

    private static void assertSameFields(Object actual, Object expected)
            throws IllegalAccessException {
        EveryField.assertSameFields(actual, expected, POINT);
    }
}
