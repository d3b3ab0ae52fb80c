package dev.vigil.common.model;

/** Why a message was not turned into metric points. Each reason is counted separately. */
public enum RejectReason {
    EMPTY_PAYLOAD("the payload is empty"),
    PAYLOAD_TOO_LARGE("the payload exceeds the configured maximum size"),
    INVALID_UTF8("the payload is not valid UTF-8"),
    UNKNOWN_TOPIC("no route matches the topic"),
    MALFORMED("the payload does not follow its format"),
    NO_NUMERIC_FIELDS("the message carries no numeric value"),
    NON_FINITE_VALUE("a value is NaN or infinite"),
    TOO_MANY_FIELDS("the message carries more values than the configured maximum"),
    BAD_TIMESTAMP("the timestamp cannot be read or is out of range"),
    INVALID_NAME("a measurement, tag or field name is empty or too long"),
    DEAD_LETTER("the message could not be forwarded"),
    TIMESTAMP_OUT_OF_RANGE(
            "a timestamp is too far ahead of the receive time or older than the accepted age"),
    TOO_MANY_SERIES("the device already sends the configured maximum number of series"),
    TOPIC_NOT_ALLOWED("the topic is not on the allow-list");

    private final String description;

    RejectReason(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
