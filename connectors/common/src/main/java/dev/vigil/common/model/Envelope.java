package dev.vigil.common.model;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One message as it arrived from MQTT: the topic, the raw payload bytes and the time the bridge (or
 * the job's source) received it, in epoch milliseconds. Envelopes are what travels over
 * Kafka/Kinesis; the job parses them.
 */
public class Envelope {

    private String topic;
    private byte[] payload;
    private long receivedAt;

    /** For serializers; use {@link #of}. */
    public Envelope() {}

    public Envelope(String topic, byte[] payload, long receivedAt) {
        this.topic = topic;
        this.payload = payload;
        this.receivedAt = receivedAt;
    }

    public static Envelope of(String topic, String payload, long receivedAt) {
        return new Envelope(topic, payload.getBytes(StandardCharsets.UTF_8), receivedAt);
    }

    public String getTopic() {
        return topic;
    }

    public void setTopic(String topic) {
        this.topic = topic;
    }

    public byte[] getPayload() {
        return payload;
    }

    public void setPayload(byte[] payload) {
        this.payload = payload;
    }

    public long getReceivedAt() {
        return receivedAt;
    }

    public void setReceivedAt(long receivedAt) {
        this.receivedAt = receivedAt;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Envelope)) {
            return false;
        }
        Envelope that = (Envelope) o;
        return receivedAt == that.receivedAt
                && Objects.equals(topic, that.topic)
                && Arrays.equals(payload, that.payload);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hash(topic, receivedAt) + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "Envelope{topic='"
                + topic
                + "', bytes="
                + (payload == null ? 0 : payload.length)
                + ", receivedAt="
                + receivedAt
                + '}';
    }
}
