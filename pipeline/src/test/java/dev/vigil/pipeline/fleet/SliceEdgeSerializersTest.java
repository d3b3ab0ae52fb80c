package dev.vigil.pipeline.fleet;

import static dev.vigil.pipeline.fleet.FleetPoints.overTheWire;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.pipeline.model.ScoredPoint;
import dev.vigil.pipeline.testutils.EveryField;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/**
 * The two fleet shuffles' serializers ({@link DeviceEdgeSerializer}, {@link
 * PopulationEdgeSerializer}) carry exactly the fields of {@link SeriesSlice} their detector reads,
 * and the steps before the shuffles ({@link Fleet}) keep exactly the slices it reads. That the
 * detectors find everything they need is shown by {@code DeviceScoreFunctionTest} and {@code
 * PopulationFunctionTest}, which feed their slices through these serializers.
 */
class SliceEdgeSerializersTest {

    private static final Set<String> DEVICE_FIELDS =
            Set.of(
                    "seriesId",
                    "measurement",
                    "field",
                    "tags",
                    "device",
                    "sliceEnd",
                    "warmPoints",
                    "worstTimestamp",
                    "worstValue",
                    "worstExpected",
                    "worstLower",
                    "worstUpper",
                    "worstZ");

    private static final Set<String> POPULATION_FIELDS =
            Set.of(
                    "seriesId",
                    "measurement",
                    "field",
                    "tags",
                    "population",
                    "sliceEnd",
                    "latestTimestamp",
                    "latestValue",
                    "latestStd");

    @Test
    void everyFieldOfASliceGoesToAtLeastOneDetector() {
        Set<String> carried = new HashSet<>(DEVICE_FIELDS);
        carried.addAll(POPULATION_FIELDS);
        carried.add("encodedNames"); // written as the measurement, field and tags
        assertThat(fieldNames()).containsExactlyInAnyOrderElementsOf(carried);
    }

    @Test
    void theDeviceShuffleCarriesWhatTheDeviceScoreReads() throws Exception {
        SeriesSlice original = filled();
        original.setDevice(original.getTags()[3]);

        SeriesSlice back = overTheWire(original, DeviceEdgeSerializer.INSTANCE);

        EveryField.assertSameFields(back, only(original, DEVICE_FIELDS), Set.of());
        assertThat(back.getDevice()).isSameAs(back.getTags()[3]);
    }

    @Test
    void theDeviceIsTheTagValueEqualToIt() throws Exception {
        SeriesSlice original = filled();
        original.setDevice(new String(original.getTags()[1])); // equal, not the same instance

        SeriesSlice back = overTheWire(original, DeviceEdgeSerializer.INSTANCE);

        assertThat(back.getDevice()).isEqualTo(original.getTags()[1]).isSameAs(back.getTags()[1]);
    }

    @Test
    void aDeviceThatIsNoTagValueIsWrittenOut() throws Exception {
        SeriesSlice original = filled();
        original.setDevice("k2"); // a tag key, not a value

        SeriesSlice back = overTheWire(original, DeviceEdgeSerializer.INSTANCE);

        EveryField.assertSameFields(back, only(original, DEVICE_FIELDS), Set.of());
        assertThat(back.getDevice()).isEqualTo("k2");
    }

    @Test
    void absentTagsAndNamesSurviveBothShuffles() throws Exception {
        SeriesSlice empty = new SeriesSlice();
        assertThat(overTheWire(empty, DeviceEdgeSerializer.INSTANCE)).isEqualTo(empty);
        assertThat(overTheWire(empty, PopulationEdgeSerializer.INSTANCE)).isEqualTo(empty);

        SeriesSlice deviceOnly = new SeriesSlice();
        deviceOnly.setDevice("web-1");
        assertThat(overTheWire(deviceOnly, DeviceEdgeSerializer.INSTANCE).getDevice())
                .isEqualTo("web-1");
    }

    @Test
    void thePopulationShuffleCarriesWhatThePopulationDetectorReads() throws Exception {
        SeriesSlice original = filled();

        SeriesSlice back = overTheWire(original, PopulationEdgeSerializer.INSTANCE);

        EveryField.assertSameFields(back, only(original, POPULATION_FIELDS), Set.of());
    }

    /**
     * A slice as the job sends it ({@code cpu,host=web-1 usage_user}): 99 bytes to the device
     * detector, 85 to the population detector; the full slice was 143 bytes, for both.
     */
    @Test
    void eachShuffleWritesLessThanTheFullSlice() throws Exception {
        SeriesSlice s =
                FleetPoints.single(
                        FleetPoints.scored("web-1", "cpu", "usage_user", 1_000, 80, 30, 10));

        assertThat(size(s, SeriesSliceSerializer.INSTANCE)).isEqualTo(143);
        assertThat(size(s, DeviceEdgeSerializer.INSTANCE)).isEqualTo(99);
        assertThat(size(s, PopulationEdgeSerializer.INSTANCE)).isEqualTo(85);
    }

    @Test
    void encodedNamesAreWrittenAsTheNamesTheyEncode() throws Exception {
        SeriesSlice encoded =
                FleetPoints.single(
                        FleetPoints.scored("web-1", "cpu", "usage_user", 1_000, 80, 30, 10));
        assertThat(encoded.encodedNames()).isNotNull();
        SeriesSlice plain = overTheWire(encoded, SeriesSliceSerializer.INSTANCE);
        assertThat(plain.encodedNames()).isNull(); // the same names, not encoded

        for (TypeSerializer<SeriesSlice> serializer :
                List.of(DeviceEdgeSerializer.INSTANCE, PopulationEdgeSerializer.INSTANCE)) {
            assertThat(bytes(encoded, serializer)).isEqualTo(bytes(plain, serializer));
            SeriesSlice back = overTheWire(encoded, serializer);
            assertThat(back.getMeasurement()).isEqualTo("cpu");
            assertThat(back.getField()).isEqualTo("usage_user");
            assertThat(back.getTags()).containsExactly("host", "web-1");
        }
    }

    @Test
    void aNameSetAfterTheEncodingIsWhatGoesOut() throws Exception {
        SeriesSlice s =
                FleetPoints.single(
                        FleetPoints.scored("web-1", "cpu", "usage_user", 1_000, 80, 30, 10));
        s.setField("usage_system");
        s.setTags(new String[] {"host", "web-2"});
        s.setDevice("web-2");

        SeriesSlice back = overTheWire(s, DeviceEdgeSerializer.INSTANCE);

        assertThat(back.getField()).isEqualTo("usage_system");
        assertThat(back.getTags()).containsExactly("host", "web-2");
        assertThat(back.getDevice()).isEqualTo("web-2");
    }

    @Test
    void theStepsBeforeTheShufflesKeepWhatTheirDetectorReads() {
        SeriesSlice warm =
                FleetPoints.single(
                        FleetPoints.scored("web-1", "cpu", "usage_user", 1_000, 80, 30, 10));
        ScoredPoint coldPoint = FleetPoints.scored("web-1", "cpu", "usage_user", 1_000, 80, 30, 10);
        coldPoint.setWarm(false);
        SeriesSlice cold = FleetPoints.single(coldPoint);
        SeriesSlice notFinite =
                FleetPoints.single(
                        FleetPoints.scored(
                                "web-1", "cpu", "usage_user", 1_000, Double.NaN, 30, 10));
        SeriesSlice nothing = new SeriesSlice();

        assertThat(kept(new Fleet.DeviceSlices(), warm, cold, notFinite, nothing))
                .containsExactly(warm);
        assertThat(kept(new Fleet.PopulationSlices(), warm, cold, notFinite, nothing))
                .containsExactly(warm, cold);
    }

    @Test
    void theShufflesHaveTheirSerializers() {
        SerializerConfigImpl config = new SerializerConfigImpl();
        assertThat(DeviceEdgeSerializer.TYPE.createSerializer(config))
                .isSameAs(DeviceEdgeSerializer.INSTANCE);
        assertThat(PopulationEdgeSerializer.TYPE.createSerializer(config))
                .isSameAs(PopulationEdgeSerializer.INSTANCE);
        assertThat(DeviceEdgeSerializer.TYPE).isNotEqualTo(PopulationEdgeSerializer.TYPE);
        assertThat(DeviceEdgeSerializer.INSTANCE.snapshotConfiguration().restoreSerializer())
                .isSameAs(DeviceEdgeSerializer.INSTANCE);
        assertThat(PopulationEdgeSerializer.INSTANCE.snapshotConfiguration().restoreSerializer())
                .isSameAs(PopulationEdgeSerializer.INSTANCE);
    }

    private static List<SeriesSlice> kept(
            FlatMapFunction<SeriesSlice, SeriesSlice> step, SeriesSlice... slices) {
        List<SeriesSlice> kept = new ArrayList<>();
        Collector<SeriesSlice> out =
                new Collector<>() {
                    @Override
                    public void collect(SeriesSlice s) {
                        kept.add(s);
                    }

                    @Override
                    public void close() {}
                };
        for (SeriesSlice s : slices) {
            try {
                step.flatMap(s, out);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        return kept;
    }

    private static int size(SeriesSlice s, TypeSerializer<SeriesSlice> serializer)
            throws Exception {
        return bytes(s, serializer).length;
    }

    private static byte[] bytes(SeriesSlice s, TypeSerializer<SeriesSlice> serializer)
            throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(128);
        serializer.serialize(s, out);
        return out.getCopyOfBuffer();
    }

    private static SeriesSlice filled() throws Exception {
        SeriesSlice s = new SeriesSlice();
        EveryField.fill(s, 1, true, Set.of());
        s.encodeNames(); // derived from the names: written as them, not read back
        return s;
    }

    /** A new slice with {@code fields} of {@code from}. */
    private static SeriesSlice only(SeriesSlice from, Set<String> fields) throws Exception {
        SeriesSlice to = new SeriesSlice();
        for (Field f : instanceFields()) {
            if (fields.contains(f.getName())) {
                f.set(to, f.get(from));
            }
        }
        return to;
    }

    private static Set<String> fieldNames() {
        Set<String> names = new HashSet<>();
        for (Field f : instanceFields()) {
            names.add(f.getName());
        }
        return names;
    }

    private static List<Field> instanceFields() {
        List<Field> fields = new ArrayList<>();
        for (Field f : SeriesSlice.class.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers())) {
                f.setAccessible(true);
                fields.add(f);
            }
        }
        return fields;
    }
}
