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
 * {@link SeriesSlice} on its way to {@link DeviceScoreFunction} (the shuffle by device): only what
 * that detector reads — identity, slice end, warm points and the worst point. No population key and
 * no latest point; the device (the shuffle key, which the receiver's key selector reads again) is
 * the index of the tag whose value it is ({@link FleetKeys#device}: always one of the series'
 * tags), so the receiver shares that tag's string instead of reading a copy. A device that is no
 * tag value (not built by {@link FleetKeys}) is written out. The fields this layout leaves out read
 * as those of a new {@link SeriesSlice}.
 *
 * <p>Layout: series id, measurement, field, tag count (−1 for none) and tags as {@link WireStrings}
 * (a slice's encoded names: the same bytes); the device as a varint (0: a {@link WireStrings}
 * string follows; i + 1: tag i); slice end, warm points, the worst point's timestamp, value,
 * expected, lower, upper, z. Crosses network shuffles only (never state), so a layout change needs
 * no migration, but a new snapshot version.
 */
public final class DeviceEdgeSerializer extends StatelessSerializer<SeriesSlice> {

    private static final long serialVersionUID = 1L;

    public static final DeviceEdgeSerializer INSTANCE = new DeviceEdgeSerializer();

    /** Type information of the device shuffle's slices. */
    public static final TypeInformation<SeriesSlice> TYPE = new DeviceEdgeTypeInfo();

    private static final int DEVICE_WRITTEN = 0;

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
        String[] tags = s.getTags();
        int deviceTag = tagIndexOf(s.getDevice(), tags);
        WireStrings.writeVarInt(deviceTag + 1, out);
        if (deviceTag < 0) {
            WireStrings.write(s.getDevice(), out);
        }
        out.writeLong(s.getSliceEnd());
        out.writeInt(s.getWarmPoints());
        SliceWire.writeWorst(s, out);
    }

    @Override
    public SeriesSlice deserialize(DataInputView in) throws IOException {
        SeriesSlice s = new SeriesSlice();
        s.setSeriesId(in.readLong());
        SliceWire.readNames(s, in);
        s.setDevice(readDevice(s.getTags(), in));
        s.setSliceEnd(in.readLong());
        s.setWarmPoints(in.readInt());
        SliceWire.readWorst(s, in);
        return s;
    }

    /**
     * The index in {@code tags} of a tag value equal to {@code device} (the same instance first:
     * {@link FleetKeys#device} returns the tag's string), −1 when there is none.
     */
    static int tagIndexOf(String device, String[] tags) {
        if (device == null || tags == null) {
            return -1;
        }
        for (int i = 1; i < tags.length; i += 2) {
            if (tags[i] == device) {
                return i;
            }
        }
        for (int i = 1; i < tags.length; i += 2) {
            if (device.equals(tags[i])) {
                return i;
            }
        }
        return -1;
    }

    private static String readDevice(String[] tags, DataInputView in) throws IOException {
        int header = WireStrings.readVarInt(in);
        if (header == DEVICE_WRITTEN) {
            return WireStrings.read(in);
        }
        int index = header - 1;
        if (tags == null || index >= tags.length) {
            throw new IOException("Device tag " + index + " of a slice with fewer tags");
        }
        return tags[index];
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
    static final class DeviceEdgeTypeInfo extends SerializerTypeInfo<SeriesSlice> {
        private static final long serialVersionUID = 1L;

        DeviceEdgeTypeInfo() {
            super(SeriesSlice.class, INSTANCE);
        }
    }
}
