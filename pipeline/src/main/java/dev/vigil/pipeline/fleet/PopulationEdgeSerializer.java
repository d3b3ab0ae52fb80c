package dev.vigil.pipeline.fleet;

import dev.vigil.pipeline.model.SerializerTypeInfo;
import dev.vigil.pipeline.model.StatelessSerializer;
import dev.vigil.pipeline.model.WireStrings;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * {@link SeriesSlice} on its way to {@link PopulationFunction} (the shuffle by metric): only what
 * that detector reads — identity, population key (the shuffle key, which the receiver's key
 * selector reads again), slice end and the latest point. No device, no warm points or worst point;
 * those read as in a new {@link SeriesSlice}.
 *
 * <p>Layout: series id, measurement, field, tag count (−1 for none) and tags, population as {@link
 * WireStrings} (a slice's encoded names: the same bytes); slice end, the latest point's timestamp,
 * value and σ. Crosses network shuffles only (never state), so a layout change needs no migration,
 * but a new snapshot version.
 */
public final class PopulationEdgeSerializer extends StatelessSerializer<SeriesSlice> {

    private static final long serialVersionUID = 1L;

    public static final PopulationEdgeSerializer INSTANCE = new PopulationEdgeSerializer();

    /** Type information of the population shuffle's slices. */
    public static final TypeInformation<SeriesSlice> TYPE = new PopulationEdgeTypeInfo();

    @Override
    public SeriesSlice createInstance() {
        return new SeriesSlice();
    }

    @Override
    public SeriesSlice copy(SeriesSlice from) {
        return SeriesSliceSerializer.INSTANCE.copy(from);
    }

    @Override
    public void serialize(SeriesSlice s, DataOutputView out) throws IOException {
        out.writeLong(s.getSeriesId());
        SliceWire.writeNames(s, out);
        WireStrings.write(s.getPopulation(), out);
        out.writeLong(s.getSliceEnd());
        SliceWire.writeLatest(s, out);
    }

    @Override
    public SeriesSlice deserialize(DataInputView in) throws IOException {
        SeriesSlice s = new SeriesSlice();
        s.setSeriesId(in.readLong());
        SliceWire.readNames(s, in);
        s.setPopulation(WireStrings.read(in));
        s.setSliceEnd(in.readLong());
        SliceWire.readLatest(s, in);
        return s;
    }

    @Override
    public TypeSerializerSnapshot<SeriesSlice> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores this serializer (its layout is version 1). */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<SeriesSlice> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }

    /** Type information of {@link #TYPE}. */
    static final class PopulationEdgeTypeInfo extends SerializerTypeInfo<SeriesSlice> {
        private static final long serialVersionUID = 1L;

        PopulationEdgeTypeInfo() {
            super(SeriesSlice.class, INSTANCE);
        }
    }
}
