package dev.vigil.bench.e2e;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The fleet's MQTT messages: topic {@code sensors/<device>/telemetry} (the built-in route: JSON,
 * measurement {@code environment}, tag {@code device}) and payload {@code
 * {"timestamp":<ms>,"f0":v,"f1":v}} with event time = publish wall time. Values: a fixed level per
 * series plus noise in ±1; a spike adds {@value #SPIKE} to one field.
 */
final class FleetPayload {

    static final double SPIKE = 100.0;
    private static final byte[] PREFIX = "{\"timestamp\":".getBytes(StandardCharsets.US_ASCII);

    private FleetPayload() {}

    static String device(int d) {
        return String.format(Locale.ROOT, "dev-%04d", d);
    }

    static String field(int f) {
        return "f" + f;
    }

    static String topic(int device) {
        return "sensors/" + device(device) + "/telemetry";
    }

    /** The device of a fleet topic, or null. */
    static String deviceOfTopic(String topic) {
        if (topic == null || !topic.startsWith("sensors/") || !topic.endsWith("/telemetry")) {
            return null;
        }
        return topic.substring("sensors/".length(), topic.length() - "/telemetry".length());
    }

    static byte[] payload(long timestampMs, int device, int fields, long round, int spikeField) {
        StringBuilder json = new StringBuilder(24 + fields * 16);
        json.append("{\"timestamp\":").append(timestampMs);
        for (int f = 0; f < fields; f++) {
            double value = 20.0 + 3.0 * f + 0.01 * device + noise(device, f, round);
            if (f == spikeField) {
                value += SPIKE;
            }
            json.append(",\"").append(field(f)).append("\":");
            json.append(String.format(Locale.ROOT, "%.3f", value));
        }
        return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The timestamp of a fleet payload, or −1 when it is not one. */
    static long timestampOf(byte[] payload) {
        if (payload == null || payload.length <= PREFIX.length) {
            return -1;
        }
        for (int i = 0; i < PREFIX.length; i++) {
            if (payload[i] != PREFIX[i]) {
                return -1;
            }
        }
        long value = 0;
        int i = PREFIX.length;
        for (; i < payload.length && payload[i] >= '0' && payload[i] <= '9'; i++) {
            value = value * 10 + (payload[i] - '0');
        }
        return i == PREFIX.length ? -1 : value;
    }

    /** Uniform in [-1, 1), a pure function of its arguments (SplitMix64 finaliser). */
    static double noise(int device, int field, long round) {
        long z = device * 0x9E3779B97F4A7C15L + field * 0xBF58476D1CE4E5B9L + round;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return ((z >>> 11) / (double) (1L << 53)) * 2.0 - 1.0;
    }
}
