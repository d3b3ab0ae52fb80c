package dev.vigil.pipeline.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.pipeline.model.Anomaly;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Anomalies as one JSON object per line, with ISO-8601 times and tags as an object. */
public final class AnomalyJson {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter NAB_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private AnomalyJson() {}

    public static String toJson(Anomaly a) {
        ObjectNode node = JSON.createObjectNode();
        node.put("kind", a.getKind().name());
        node.put("series", a.seriesKey());
        node.put("measurement", a.getMeasurement());
        node.put("field", a.getField());
        ObjectNode tags = node.putObject("tags");
        String[] t = a.getTags();
        for (int i = 0; i + 1 < t.length; i += 2) {
            tags.put(t[i], t[i + 1]);
        }
        node.put("start", Instant.ofEpochMilli(a.getStart()).toString());
        node.put("end", Instant.ofEpochMilli(a.getEnd()).toString());
        node.put("severity", Math.round(a.getSeverity() * 10) / 10.0);
        node.put("band", a.band().name());
        putNumber(node, "observed", a.getObserved());
        putNumber(node, "expected", a.getExpected());
        putNumber(node, "lower", a.getLower());
        putNumber(node, "upper", a.getUpper());
        node.put("description", a.getDescription());
        return node.toString();
    }

    private static void putNumber(ObjectNode node, String name, double v) {
        if (Double.isFinite(v)) {
            node.put(name, v);
        } else {
            node.putNull(name);
        }
    }

    /** {@code yyyy-MM-dd HH:mm:ss} in UTC (the NAB layout). */
    public static String nabTime(long epochMs) {
        return NAB_TIME.format(Instant.ofEpochMilli(epochMs));
    }
}
