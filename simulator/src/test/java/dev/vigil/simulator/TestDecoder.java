package dev.vigil.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.common.model.Envelope;
import dev.vigil.common.model.SeriesIdentity;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reference decoder for the three formats, written from the message specification (not
 * from the simulator code): returns the points of a message or {@code null} when the message is
 * malformed or on an unknown topic.
 */
final class TestDecoder {

    static final Pattern SENSOR_TOPIC = Pattern.compile("sensors/(dev-[a-z]{3}-\\d+)/telemetry");
    static final Pattern TELEGRAF_TOPIC = Pattern.compile("telegraf/([a-z]+-\\d+)");
    static final Pattern COLLECTD_TOPIC =
            Pattern.compile("collectd/([^/]+)/([^/-]+)(?:-([^/]+))?/([^/-]+)(?:-([^/]+))?");
    static final Pattern LP_LINE =
            Pattern.compile(
                    "([a-z_]+)((?:,[a-z_]+=[A-Za-z0-9_-]+)+) "
                            + "([a-z_0-9]+=-?\\d+(?:\\.\\d+)?i?(?:,[a-z_0-9]+=-?\\d+(?:\\.\\d+)?i?)*)"
                            + " (\\d{19})");
    static final Pattern COLLECTD_PAYLOAD =
            Pattern.compile("(\\d{10})\\.(\\d{3})((?::-?\\d+(?:\\.\\d+)?)+)\u0000");
    private static final Map<String, List<String>> COLLECTD_FIELDS =
            Map.of(
                    "load",
                    List.of("shortterm", "midterm", "longterm"),
                    "if_octets",
                    List.of("rx", "tx"));
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One decoded value. */
    static final class Point {
        final String seriesKey;
        final long timestamp;
        final double value;

        Point(String seriesKey, long timestamp, double value) {
            this.seriesKey = seriesKey;
            this.timestamp = timestamp;
            this.value = value;
        }
    }

    private TestDecoder() {}

    static List<Point> decode(Envelope envelope) {
        String topic = envelope.getTopic();
        String payload = new String(envelope.getPayload(), StandardCharsets.UTF_8);
        Matcher m;
        if ((m = SENSOR_TOPIC.matcher(topic)).matches()) {
            return sensor(m.group(1), payload);
        }
        if ((m = TELEGRAF_TOPIC.matcher(topic)).matches()) {
            return lineProtocol(payload);
        }
        if ((m = COLLECTD_TOPIC.matcher(topic)).matches()) {
            return collectd(m, payload);
        }
        return null;
    }

    private static List<Point> sensor(String device, String payload) {
        JsonNode node;
        try {
            node = MAPPER.readTree(payload);
        } catch (Exception e) {
            return null;
        }
        if (node == null || !node.isObject() || node.size() != 5) {
            return null;
        }
        String[] tags =
                SeriesIdentity.sortTags(
                        "city",
                        node.get("city").asText(),
                        "device",
                        device,
                        "id",
                        node.get("id").asText());
        long ts = node.get("timestamp").longValue();
        List<Point> out = new ArrayList<>();
        for (String field : List.of("temperature", "humidity")) {
            JsonNode v = node.get(field);
            if (v == null || !v.isNumber()) {
                return null;
            }
            out.add(
                    new Point(
                            SeriesIdentity.seriesKey("environment", tags, field),
                            ts,
                            v.doubleValue()));
        }
        return out;
    }

    private static List<Point> lineProtocol(String payload) {
        List<Point> out = new ArrayList<>();
        for (String line : payload.split("\n")) {
            Matcher m = LP_LINE.matcher(line);
            if (!m.matches()) {
                return null;
            }
            String[] kv = m.group(2).substring(1).replace('=', ',').split(",");
            String[] tags = SeriesIdentity.sortTags(kv);
            long ts = Long.parseLong(m.group(4)) / 1_000_000L;
            for (String field : m.group(3).split(",")) {
                String[] f = field.split("=");
                String v = f[1].endsWith("i") ? f[1].substring(0, f[1].length() - 1) : f[1];
                out.add(
                        new Point(
                                SeriesIdentity.seriesKey(m.group(1), tags, f[0]),
                                ts,
                                Double.parseDouble(v)));
            }
        }
        return out;
    }

    private static List<Point> collectd(Matcher topic, String payload) {
        Matcher m = COLLECTD_PAYLOAD.matcher(payload);
        if (!m.matches()) {
            return null;
        }
        List<String> kv =
                new ArrayList<>(List.of("host", topic.group(1), "plugin", topic.group(2)));
        addIfPresent(kv, "plugin_instance", topic.group(3));
        kv.addAll(List.of("type", topic.group(4)));
        addIfPresent(kv, "type_instance", topic.group(5));
        String[] tags = SeriesIdentity.sortTags(kv.toArray(new String[0]));
        long ts = Long.parseLong(m.group(1)) * 1000 + Long.parseLong(m.group(2));
        String[] values = m.group(3).substring(1).split(":");
        List<String> fields = COLLECTD_FIELDS.getOrDefault(topic.group(4), List.of("value"));
        if (fields.size() != values.length) {
            return null;
        }
        List<Point> out = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            out.add(
                    new Point(
                            SeriesIdentity.seriesKey("collectd", tags, fields.get(i)),
                            ts,
                            Double.parseDouble(values[i])));
        }
        return out;
    }

    private static void addIfPresent(List<String> kv, String key, String value) {
        if (value != null) {
            kv.add(key);
            kv.add(value);
        }
    }

    /** Decodes everything; malformed messages are counted in {@code rejected[0]}. */
    static List<Point> decodeAll(Iterator<Envelope> envelopes, long[] rejected) {
        List<Point> out = new ArrayList<>();
        while (envelopes.hasNext()) {
            List<Point> points = decode(envelopes.next());
            if (points == null) {
                rejected[0]++;
            } else {
                out.addAll(points);
            }
        }
        return out;
    }
}
