package dev.vigil.pipeline.fleet;

import dev.vigil.pipeline.model.WireStrings;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

/** The parts of a slice's layout that the slice serializers share. */
final class SliceWire {

    private SliceWire() {}

    /**
     * The measurement, field and tags of {@code s}, as {@link #encodeNames}: its encoded names when
     * it has them (one array copy instead of a string encoding per name), written out otherwise.
     */
    static void writeNames(SeriesSlice s, DataOutputView out) throws IOException {
        byte[] encoded = s.encodedNames();
        if (encoded != null) {
            out.write(encoded);
        } else {
            writeNames(s.getMeasurement(), s.getField(), s.getTags(), out);
        }
    }

    /** Reads what {@link #writeNames(SeriesSlice, DataOutputView)} wrote into {@code s}. */
    static void readNames(SeriesSlice s, DataInputView in) throws IOException {
        s.setMeasurement(WireStrings.read(in));
        s.setField(WireStrings.read(in));
        s.setTags(readTags(in));
    }

    /** Measurement and field as {@link WireStrings}, the tags as {@link #writeTags}. */
    static byte[] encodeNames(String measurement, String field, String[] tags) {
        DataOutputSerializer out = new DataOutputSerializer(64);
        try {
            writeNames(measurement, field, tags, out);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot encode the names of a slice", e);
        }
        return out.getCopyOfBuffer();
    }

    private static void writeNames(
            String measurement, String field, String[] tags, DataOutputView out)
            throws IOException {
        WireStrings.write(measurement, out);
        WireStrings.write(field, out);
        writeTags(tags, out);
    }

    /** A tag count (−1 for none) and the tags as {@link WireStrings}. */
    static void writeTags(String[] tags, DataOutputView out) throws IOException {
        out.writeInt(tags == null ? -1 : tags.length);
        if (tags != null) {
            WireStrings.writeEach(tags, out);
        }
    }

    /** Tags written by {@link #writeTags}. */
    static String[] readTags(DataInputView in) throws IOException {
        int count = in.readInt();
        return count < 0 ? null : WireStrings.readEach(count, in);
    }

    /** The worst point: timestamp, value, expected, lower, upper, z. */
    static void writeWorst(SeriesSlice s, DataOutputView out) throws IOException {
        out.writeLong(s.getWorstTimestamp());
        out.writeDouble(s.getWorstValue());
        out.writeDouble(s.getWorstExpected());
        out.writeDouble(s.getWorstLower());
        out.writeDouble(s.getWorstUpper());
        out.writeDouble(s.getWorstZ());
    }

    /** Reads what {@link #writeWorst} wrote into {@code s}. */
    static void readWorst(SeriesSlice s, DataInputView in) throws IOException {
        s.setWorstTimestamp(in.readLong());
        s.setWorstValue(in.readDouble());
        s.setWorstExpected(in.readDouble());
        s.setWorstLower(in.readDouble());
        s.setWorstUpper(in.readDouble());
        s.setWorstZ(in.readDouble());
    }

    /** The latest point: timestamp, value, the scorer's σ there. */
    static void writeLatest(SeriesSlice s, DataOutputView out) throws IOException {
        out.writeLong(s.getLatestTimestamp());
        out.writeDouble(s.getLatestValue());
        out.writeDouble(s.getLatestStd());
    }

    /** Reads what {@link #writeLatest} wrote into {@code s}. */
    static void readLatest(SeriesSlice s, DataInputView in) throws IOException {
        s.setLatestTimestamp(in.readLong());
        s.setLatestValue(in.readDouble());
        s.setLatestStd(in.readDouble());
    }
}
