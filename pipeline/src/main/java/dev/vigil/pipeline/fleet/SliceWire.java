package dev.vigil.pipeline.fleet;

import dev.vigil.pipeline.model.WireStrings;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** The parts of a slice's layout that the slice serializers share. */
final class SliceWire {

    private SliceWire() {}

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
}
