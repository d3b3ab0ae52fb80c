package dev.vigil.common.parse;

import dev.vigil.common.model.RejectReason;
import java.io.Serializable;

/** Size limits applied to every message: payload bytes and metric points per message. */
public final class ParserLimits implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 64 * 1024;
    public static final int DEFAULT_MAX_FIELDS = 1000;

    /** Longest measurement, tag key or field name, in characters. */
    public static final int MAX_NAME_LENGTH = 256;

    /** Longest tag value, in characters. */
    public static final int MAX_TAG_VALUE_LENGTH = 1024;

    private final int maxPayloadBytes;
    private final int maxFields;

    /**
     * @param maxPayloadBytes larger payloads are rejected as {@code PAYLOAD_TOO_LARGE}
     * @param maxFields messages yielding more points are rejected as {@code TOO_MANY_FIELDS}
     */
    public ParserLimits(int maxPayloadBytes, int maxFields) {
        if (maxPayloadBytes < 1 || maxFields < 1) {
            throw new IllegalArgumentException(
                    "parser limits must be positive, got maxPayloadBytes="
                            + maxPayloadBytes
                            + ", maxFields="
                            + maxFields);
        }
        this.maxPayloadBytes = maxPayloadBytes;
        this.maxFields = maxFields;
    }

    /** 64 KiB payloads, 1000 points per message. */
    public static ParserLimits defaults() {
        return new ParserLimits(DEFAULT_MAX_PAYLOAD_BYTES, DEFAULT_MAX_FIELDS);
    }

    public int maxPayloadBytes() {
        return maxPayloadBytes;
    }

    public int maxFields() {
        return maxFields;
    }

    /** Rejects as {@code TOO_MANY_FIELDS} once a message yields more than {@link #maxFields}. */
    void checkPointCount(int points) throws RejectException {
        if (points > maxFields) {
            throw new RejectException(
                    RejectReason.TOO_MANY_FIELDS,
                    "the message has more than " + maxFields + " numeric values");
        }
    }

    @Override
    public String toString() {
        return "ParserLimits{maxPayloadBytes=" + maxPayloadBytes + ", maxFields=" + maxFields + '}';
    }
}
