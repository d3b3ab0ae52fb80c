package dev.vigil.pipeline.model;

import dev.vigil.common.model.Envelope;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The serializer of {@link Envelope}. Envelopes are mostly handed from a source to the parser in
 * the same operator chain, where Flink copies every record: Flink's reflective {@code
 * PojoSerializer} copied the payload array and read each field by reflection, about a tenth of the
 * parse chain's CPU ({@code bench/PROFILE.md}, round 5). Here a copy is a new envelope that
 * <em>shares</em> the topic and the payload array: nothing in vigil writes into a received payload
 * (parsers only read it), so the array is as good as immutable.
 *
 * <p>Layout: topic ({@link WireStrings}), payload length or −1, payload, receive time. A change of
 * this layout needs a new snapshot version.
 */
public final class EnvelopeSerializer extends StatelessSerializer<Envelope> {

    private static final long serialVersionUID = 1L;

    public static final EnvelopeSerializer INSTANCE = new EnvelopeSerializer();

    @Override
    public Envelope createInstance() {
        return new Envelope();
    }

    /** A new envelope with the same topic, payload array (shared, see above) and receive time. */
    @Override
    public Envelope copy(Envelope from) {
        if (from == null) {
            return null;
        }
        return new Envelope(from.getTopic(), from.getPayload(), from.getReceivedAt());
    }

    @Override
    public void serialize(Envelope envelope, DataOutputView out) throws IOException {
        WireStrings.write(envelope.getTopic(), out);
        byte[] payload = envelope.getPayload();
        out.writeInt(payload == null ? -1 : payload.length);
        if (payload != null) {
            out.write(payload);
        }
        out.writeLong(envelope.getReceivedAt());
    }

    @Override
    public Envelope deserialize(DataInputView in) throws IOException {
        String topic = WireStrings.read(in);
        int length = in.readInt();
        byte[] payload = null;
        if (length >= 0) {
            payload = new byte[length];
            in.readFully(payload);
        }
        return new Envelope(topic, payload, in.readLong());
    }

    @Override
    public TypeSerializerSnapshot<Envelope> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores this serializer from checkpoints and savepoints. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<Envelope> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
