package dev.vigil.pipeline.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.pipeline.testutils.EveryField;
import java.util.Set;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * {@link SeriesSliceSerializer} keeps every field of {@link SeriesSlice}: set by reflection to
 * distinct values, so a field added without a line in the serializer makes this test fail.
 */
class SeriesSliceSerializerTest {

    private final SeriesSliceSerializer serializer = SeriesSliceSerializer.INSTANCE;

    @Test
    void seriesSliceUsesItsOwnSerializer() {
        assertThat(
                        TypeInformation.of(SeriesSlice.class)
                                .createSerializer(new SerializerConfigImpl()))
                .isSameAs(serializer);
    }

    @Test
    void everyFieldSurvivesSerializationAndCopy() throws Exception {
        SeriesSlice original = new SeriesSlice();
        EveryField.fill(original, 1, true, Set.of());
        original.encodeNames(); // derived from the names: written as them, not read back

        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(original, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        SeriesSlice back = serializer.deserialize(in);

        assertThat(in.available()).isZero();
        EveryField.assertSameFields(back, original, Set.of(byte[].class));
        assertThat(back).isEqualTo(original);
        SeriesSlice copy = serializer.copy(original);
        EveryField.assertSameFields(copy, original, Set.of(byte[].class));
        assertThat(copy.getTags()).isNotSameAs(original.getTags());
    }

    @Test
    void encodedNamesAreWrittenAsTheNamesTheyEncode() throws Exception {
        SeriesSlice encoded =
                FleetPoints.single(
                        FleetPoints.scored("web-1", "cpu", "usage_user", 1_000, 80, 30, 10));
        assertThat(encoded.encodedNames()).isNotNull();
        SeriesSlice plain = serializer.copy(encoded);
        assertThat(plain.encodedNames()).isSameAs(encoded.encodedNames()); // copies share them
        plain = serializer.deserialize(new DataInputDeserializer(bytes(encoded)));
        assertThat(plain.encodedNames()).isNull();

        assertThat(bytes(encoded)).isEqualTo(bytes(plain));
        assertThat(plain).isEqualTo(encoded);
    }

    private byte[] bytes(SeriesSlice s) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(s, out);
        return out.getCopyOfBuffer();
    }

    @Test
    void absentStringsAndTagsSurvive() throws Exception {
        SeriesSlice empty = new SeriesSlice();
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(empty, out);
        SeriesSlice back = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(back).isEqualTo(empty);
        assertThat(back.getTags()).isNull();
        assertThat(back.getDevice()).isNull();
    }

    @Test
    void snapshotRestoresTheSerializer() {
        assertThat(serializer.snapshotConfiguration().restoreSerializer()).isSameAs(serializer);
    }
}
