package dev.vigil.pipeline.fleet;

import static dev.vigil.pipeline.fleet.FleetPoints.single;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.pipeline.model.ScoredPoint;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** The keyed state of the fleet detectors is made of Flink POJOs (no Kryo) and round-trips. */
class FleetStateTypesTest {

    @Test
    void stateClassesArePojos() {
        assertThat(TypeInformation.of(MetricDeviation.class)).isInstanceOf(PojoTypeInfo.class);
        assertThat(TypeInformation.of(DeviceSlice.class)).isInstanceOf(PojoTypeInfo.class);
        assertThat(TypeInformation.of(PopulationMember.class)).isInstanceOf(PojoTypeInfo.class);
        assertThat(TypeInformation.of(SeriesSlice.class))
                .isInstanceOf(SeriesSliceSerializer.SeriesSliceTypeInfo.class);
    }

    @Test
    void deviceSliceRoundTrips() throws Exception {
        DeviceSlice slice = new DeviceSlice();
        slice.observe(single(FleetPoints.scored("web-1", "cpu", "usage_user", 1_000, 80, 30, 10)));
        slice.observe(single(FleetPoints.scored("web-1", "system", "load1", 2_000, 1.2, 1.0, 0.1)));
        slice.observe(single(FleetPoints.scored("web-1", "cpu", "usage_user", 3_000, 31, 30, 10)));

        DeviceSlice copy = roundTrip(slice, DeviceSlice.class);

        assertThat(copy).isEqualTo(slice);
        assertThat(copy.getMetrics()).hasSize(2);
        assertThat(copy.getMetrics()[0].getPoints()).isEqualTo(2);
        assertThat(copy.getMetrics()[0].getZ()).isEqualTo(5.0);
        assertThat(copy.getMetrics()[0].getTimestamp()).isEqualTo(1_000);
    }

    @Test
    void populationMemberRoundTrips() throws Exception {
        ScoredPoint p =
                FleetPoints.scored("dev-1", "environment", "temperature", 5_000, 21.5, 0, 1);
        PopulationMember member = PopulationMember.of(single(p));
        member.setQuietSlices(3);
        assertThat(member.getStd()).isEqualTo(1.0);

        assertThat(roundTrip(member, PopulationMember.class)).isEqualTo(member);
    }

    @Test
    void seriesSliceRoundTrips() throws Exception {
        SeriesSlice s = single(FleetPoints.scored("web-1", "cpu", "usage_user", 1_000, 80, 30, 10));
        s.observe(FleetPoints.scored("web-1", "cpu", "usage_user", 2_000, 31, 30, 10));

        SeriesSlice copy = roundTrip(s, SeriesSlice.class);

        assertThat(copy).isEqualTo(s);
        assertThat(copy.getWarmPoints()).isEqualTo(2);
        assertThat(copy.getPopulation()).isEqualTo("cpu usage_user");
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T value, Class<T> type) throws Exception {
        TypeSerializer<T> serializer =
                TypeInformation.of(type).createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(value, out);
        return serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }
}
