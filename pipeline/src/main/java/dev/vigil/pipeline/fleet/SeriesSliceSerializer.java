package dev.vigil.pipeline.fleet;

import dev.vigil.pipeline.model.SerializerTypeInfo;
import dev.vigil.pipeline.model.StatelessSerializer;
import dev.vigil.pipeline.model.WireStrings;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The serializer of {@link SeriesSlice} with every field: the type of the scoring operator's side
 * output (its chained copies, tests). The fleet shuffles use {@link DeviceEdgeSerializer} and
 * {@link PopulationEdgeSerializer}, which write only what their detector reads ({@code
 * bench/PROFILE.md}, round 7; this one served both shuffles before, and replaced the reflective
 * POJO serializer in round 4). Layout: the fields in declaration order, strings as {@link
 * WireStrings}, tags as a count (−1 for none) and strings; the encoded names are written as the
 * names they encode and not read back. {@code SeriesSliceSerializerTest} sets every field by
 * reflection, so a field added without a line here fails the build. A layout change needs a new
 * snapshot version. (In the scoring operator's state the open slice is written by {@code
 * SeriesStateSerializer}, numbers only.)
 */
public final class SeriesSliceSerializer extends StatelessSerializer<SeriesSlice> {

    private static final long serialVersionUID = 1L;

    public static final SeriesSliceSerializer INSTANCE = new SeriesSliceSerializer();

    @Override
    public SeriesSlice createInstance() {
        return new SeriesSlice();
    }

    @Override
    public SeriesSlice copy(SeriesSlice from) {
        SeriesSlice to = new SeriesSlice();
        to.setSeriesId(from.getSeriesId());
        to.setMeasurement(from.getMeasurement());
        to.setField(from.getField());
        String[] tags = from.getTags();
        to.setTags(tags == null ? null : tags.clone());
        to.setDevice(from.getDevice());
        to.setPopulation(from.getPopulation());
        to.shareEncodedNames(from);
        to.setSliceEnd(from.getSliceEnd());
        to.setWarmPoints(from.getWarmPoints());
        to.setWorstTimestamp(from.getWorstTimestamp());
        to.setWorstValue(from.getWorstValue());
        to.setWorstExpected(from.getWorstExpected());
        to.setWorstLower(from.getWorstLower());
        to.setWorstUpper(from.getWorstUpper());
        to.setWorstZ(from.getWorstZ());
        to.setLatestTimestamp(from.getLatestTimestamp());
        to.setLatestValue(from.getLatestValue());
        to.setLatestStd(from.getLatestStd());
        return to;
    }

    @Override
    public void serialize(SeriesSlice s, DataOutputView out) throws IOException {
        out.writeLong(s.getSeriesId());
        SliceWire.writeNames(s, out);
        WireStrings.write(s.getDevice(), out);
        WireStrings.write(s.getPopulation(), out);
        out.writeLong(s.getSliceEnd());
        out.writeInt(s.getWarmPoints());
        SliceWire.writeWorst(s, out);
        SliceWire.writeLatest(s, out);
    }

    @Override
    public SeriesSlice deserialize(DataInputView in) throws IOException {
        SeriesSlice s = new SeriesSlice();
        s.setSeriesId(in.readLong());
        SliceWire.readNames(s, in);
        s.setDevice(WireStrings.read(in));
        s.setPopulation(WireStrings.read(in));
        s.setSliceEnd(in.readLong());
        s.setWarmPoints(in.readInt());
        SliceWire.readWorst(s, in);
        SliceWire.readLatest(s, in);
        return s;
    }

    @Override
    public TypeSerializerSnapshot<SeriesSlice> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores this serializer from checkpoints and savepoints. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<SeriesSlice> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }

    /** Type information of {@link SeriesSlice} (via {@code @TypeInfo}). */
    public static final class SeriesSliceTypeInfo extends SerializerTypeInfo<SeriesSlice> {
        private static final long serialVersionUID = 1L;

        static final SeriesSliceTypeInfo INSTANCE = new SeriesSliceTypeInfo();

        private SeriesSliceTypeInfo() {
            super(SeriesSlice.class, SeriesSliceSerializer.INSTANCE);
        }
    }

    /** Referenced by {@code @TypeInfo} on {@link SeriesSlice}. */
    public static final class Factory extends TypeInfoFactory<SeriesSlice> {
        @Override
        public TypeInformation<SeriesSlice> createTypeInfo(
                Type t, Map<String, TypeInformation<?>> genericParameters) {
            return SeriesSliceTypeInfo.INSTANCE;
        }
    }
}
