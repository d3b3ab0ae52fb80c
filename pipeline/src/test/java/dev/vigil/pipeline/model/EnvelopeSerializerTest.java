package dev.vigil.pipeline.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.common.model.Envelope;
import dev.vigil.pipeline.testutils.EveryField;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * {@link EnvelopeSerializer} keeps every field of {@link Envelope} (set by reflection, so a field
 * added without a line in the serializer fails here); its copy shares the payload array.
 */
class EnvelopeSerializerTest {

    private final EnvelopeSerializer serializer = EnvelopeSerializer.INSTANCE;

    @Test
    void everyFieldSurvivesARoundTripAndACopy() throws Exception {
        Envelope original = new Envelope();
        EveryField.fill(original, 7, true, Set.of());

        Envelope back = roundTrip(original);

        EveryField.assertSameFields(back, original, Set.of());
        Envelope copy = serializer.copy(original);
        EveryField.assertSameFields(copy, original, Set.of());
        assertThat(copy).isNotSameAs(original);
        assertThat(copy.getPayload())
                .as("shared, never written to")
                .isSameAs(original.getPayload());
        assertThat(EnvelopeTypeInfo.INSTANCE.createSerializer(new SerializerConfigImpl()))
                .isSameAs(serializer);
    }

    @Test
    void missingTopicAndPayloadNonAsciiTopicsAndEmptyPayloadsRoundTrip() throws Exception {
        Envelope empty = new Envelope(null, null, -5L);
        assertThat(roundTrip(empty)).isEqualTo(empty);
        Envelope odd = new Envelope("capteurs/Zürich/🌡", new byte[0], 1_767_225_600_000L);
        assertThat(roundTrip(odd)).isEqualTo(odd);
        Envelope binary =
                new Envelope("collectd/h", "N:1:2\0\u00ff".getBytes(StandardCharsets.UTF_8), 0L);
        assertThat(roundTrip(binary)).isEqualTo(binary);
        assertThat(serializer.copy(null)).isNull();
    }

    private Envelope roundTrip(Envelope e) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(e, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        Envelope back = serializer.deserialize(in);
        assertThat(in.available()).isZero();
        return back;
    }
}
