package dev.vigil.connectors.influxdb;

/**
 * Encoder for one InfluxDB 1.x line-protocol point, reusing one {@link StringBuilder} (not
 * thread-safe: use one instance per thread, e.g. per converter instance).
 *
 * <pre>{@code
 * String line = lp.measurement("scores").tag("series", id).field("score", 1.5)
 *         .field("kind", "SPIKE").timestampMs(ts).build();
 * }</pre>
 *
 * <p>Escaping, as accepted by InfluxDB 1.6.7 (verified against a running server):
 *
 * <ul>
 *   <li>Measurement: {@code ,} and space are backslash-escaped. It must be non-empty and must not
 *       start with {@code #} (the server would read the line as a comment and drop it silently):
 *       both are rejected with {@link IllegalArgumentException}.
 *   <li>Tag keys, tag values, field keys: {@code ,}, {@code =} and space are backslash-escaped.
 *       Other backslashes are stored literally by the server.
 *   <li>Line breaks in measurement/tag/field-key positions: InfluxDB 1.x cannot store them there,
 *       and a raw LF would end the line (injecting a point). LF and CR are therefore replaced by
 *       the two visible characters {@code \n} and {@code \r}.
 *   <li>A backslash that ends a name/tag value or precedes {@code ,}, {@code =} or space cannot be
 *       represented (the server reads it as an escape and rejects the line): it is replaced by
 *       {@code _}.
 *   <li>Tags with a {@code null}/empty key or value are skipped (InfluxDB has no empty tag values).
 *       Fields with a {@code null}/empty key, a {@code null} string or a NaN/infinite double are
 *       skipped (not representable).
 *   <li>String field values are double-quoted; {@code "} and {@code \} are escaped. Line breaks
 *       inside the quotes are legal and round-trip exactly.
 *   <li>Integers get the {@code i} suffix; doubles use {@link Double#toString(double)} (shortest
 *       exact round-trip form); timestamps are epoch milliseconds (the sink writes with {@code
 *       precision=ms}).
 * </ul>
 *
 * <p>{@link #build()} returns the empty string when no field survived: the sink skips (and counts)
 * such elements, because a point without fields is invalid.
 */
public final class LineProtocol {

    /** What the sink writes in place of a backslash that InfluxDB 1.x cannot represent. */
    public static final char UNREPRESENTABLE_BACKSLASH_REPLACEMENT = '_';

    private final StringBuilder line = new StringBuilder(256);
    private int fieldCount;
    private boolean timestampSet;
    private boolean started;

    /** Starts a new point (discarding any previous one). */
    public LineProtocol measurement(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("measurement name must not be empty");
        }
        if (name.charAt(0) == '#') {
            throw new IllegalArgumentException(
                    "measurement name must not start with '#' (read as a comment): " + name);
        }
        line.setLength(0);
        fieldCount = 0;
        timestampSet = false;
        started = true;
        appendMeasurement(line, name);
        return this;
    }

    /** Adds a tag; skipped when key or value is null or empty. Tags must precede fields. */
    public LineProtocol tag(String key, String value) {
        requireStarted();
        if (fieldCount > 0 || timestampSet) {
            throw new IllegalStateException("tags must be added before fields: tag " + key);
        }
        if (isEmpty(key) || isEmpty(value)) {
            return this;
        }
        line.append(',');
        appendName(line, key);
        line.append('=');
        appendName(line, value);
        return this;
    }

    /** Adds a float field; skipped when NaN or infinite (not representable in line protocol). */
    public LineProtocol field(String key, double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            requireStarted();
            return this;
        }
        if (beginField(key)) {
            line.append(value);
        }
        return this;
    }

    /** Adds an integer field ({@code 42i}). */
    public LineProtocol field(String key, long value) {
        if (beginField(key)) {
            line.append(value).append('i');
        }
        return this;
    }

    /** Adds a boolean field. */
    public LineProtocol field(String key, boolean value) {
        if (beginField(key)) {
            line.append(value);
        }
        return this;
    }

    /** Adds a string field; skipped when {@code null}. */
    public LineProtocol field(String key, String value) {
        if (value == null) {
            requireStarted();
            return this;
        }
        if (beginField(key)) {
            appendStringFieldValue(line, value);
        }
        return this;
    }

    /** Sets the timestamp in epoch milliseconds (without one the server uses its clock). */
    public LineProtocol timestampMs(long epochMillis) {
        requireStarted();
        if (timestampSet) {
            throw new IllegalStateException("timestamp already set");
        }
        if (fieldCount > 0) {
            line.append(' ').append(epochMillis);
        }
        timestampSet = true;
        return this;
    }

    /** Number of fields written so far for the current point. */
    public int fieldCount() {
        return fieldCount;
    }

    /** The encoded line (without a trailing newline), or {@code ""} when no field was written. */
    public String build() {
        requireStarted();
        return fieldCount == 0 ? "" : line.toString();
    }

    private boolean beginField(String key) {
        requireStarted();
        if (timestampSet) {
            throw new IllegalStateException("fields must be added before the timestamp: " + key);
        }
        if (isEmpty(key)) {
            return false;
        }
        line.append(fieldCount == 0 ? ' ' : ',');
        appendName(line, key);
        line.append('=');
        fieldCount++;
        return true;
    }

    private void requireStarted() {
        if (!started) {
            throw new IllegalStateException("call measurement(..) first");
        }
    }

    private static boolean isEmpty(String s) {
        return s == null || s.isEmpty();
    }

    /** Appends a measurement name: escapes {@code ,} and space. */
    public static void appendMeasurement(StringBuilder out, String measurement) {
        appendEscaped(out, measurement, false);
    }

    /** Appends a tag key, tag value or field key: escapes {@code ,}, {@code =} and space. */
    public static void appendName(StringBuilder out, String name) {
        appendEscaped(out, name, true);
    }

    /** Appends a double-quoted string field value, escaping {@code "} and {@code \}. */
    public static void appendStringFieldValue(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        out.append('"');
    }

    private static void appendEscaped(StringBuilder out, String s, boolean escapeEquals) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n':
                    out.append("\\n");
                    break;
                case '\r':
                    out.append("\\r");
                    break;
                case ',':
                case ' ':
                    out.append('\\').append(c);
                    break;
                case '=':
                    if (escapeEquals) {
                        out.append('\\');
                    }
                    out.append(c);
                    break;
                case '\\':
                    boolean ambiguous = i + 1 == n || isEscaped(s.charAt(i + 1), escapeEquals);
                    out.append(ambiguous ? UNREPRESENTABLE_BACKSLASH_REPLACEMENT : c);
                    break;
                default:
                    out.append(c);
            }
        }
    }

    private static boolean isEscaped(char c, boolean escapeEquals) {
        return c == ',' || c == ' ' || (escapeEquals && c == '=');
    }
}
