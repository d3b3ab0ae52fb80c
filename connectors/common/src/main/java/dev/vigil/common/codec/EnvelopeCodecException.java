package dev.vigil.common.codec;

/** The bytes are not an envelope encoded by {@link EnvelopeCodec}; the message says why. */
public class EnvelopeCodecException extends Exception {

    private static final long serialVersionUID = 1L;

    public EnvelopeCodecException(String message) {
        super(message);
    }
}
