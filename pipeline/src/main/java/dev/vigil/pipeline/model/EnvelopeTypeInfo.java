package dev.vigil.pipeline.model;

import dev.vigil.common.model.Envelope;

/**
 * Flink's type information for {@link Envelope}: an atomic type serialized by {@link
 * EnvelopeSerializer}. {@code Envelope} is in the Flink-free common module, so sources name it
 * ({@code fromData(envelopes, EnvelopeTypeInfo.INSTANCE)}, deserialization schemas).
 */
public final class EnvelopeTypeInfo extends SerializerTypeInfo<Envelope> {

    private static final long serialVersionUID = 1L;

    public static final EnvelopeTypeInfo INSTANCE = new EnvelopeTypeInfo();

    private EnvelopeTypeInfo() {
        super(Envelope.class, EnvelopeSerializer.INSTANCE);
    }
}
