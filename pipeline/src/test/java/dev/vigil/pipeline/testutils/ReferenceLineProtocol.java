package dev.vigil.pipeline.testutils;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An independent reader of InfluxDB 1.x line protocol, written from the server's grammar (not from
 * vigil's parser or encoder), to check what InfluxDB would store from a line: a raw LF ends a
 * point; {@code #} starts a comment line; in a measurement {@code \,} and {@code \ } are escapes;
 * in tag keys, tag values and field keys {@code \,}, {@code \=} and {@code \ } are; any other
 * backslash is literal. Field values: floats, {@code 12i} integers, booleans, quoted strings.
 */
public final class ReferenceLineProtocol {

    /** One point as the server reads it. */
    public static final class Point {
        public final String measurement;
        public final Map<String, String> tags;
        public final Map<String, String> fields;
        public final String timestamp;

        Point(String measurement, Map<String, String> tags, Map<String, String> fields, String ts) {
            this.measurement = measurement;
            this.tags = tags;
            this.fields = fields;
            this.timestamp = ts;
        }

        @Override
        public String toString() {
            return measurement + " " + tags + " " + fields + " " + timestamp;
        }
    }

    private final String text;
    private int pos;

    private ReferenceLineProtocol(String text) {
        this.text = text;
    }

    /** The points of {@code text}; throws {@link IllegalArgumentException} on a malformed line. */
    public static List<Point> read(String text) {
        List<Point> points = new ArrayList<>();
        for (String line : splitLines(text)) {
            String content = line.replaceFirst("^[ \t\0]+", "");
            if (content.isEmpty() || content.startsWith("#")) {
                continue;
            }
            points.add(new ReferenceLineProtocol(content).point());
        }
        return points;
    }

    /** Splits at every LF that is not inside a quoted field value. */
    private static List<String> splitLines(String text) {
        List<String> lines = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && quoted && i + 1 < text.length()) {
                i++;
            } else if (c == '"' && inFieldSection(text, start, i)) {
                quoted = !quoted;
            } else if (c == '\n' && !quoted) {
                lines.add(text.substring(start, i));
                start = i + 1;
            }
        }
        lines.add(text.substring(start));
        return lines;
    }

    /** Quotes only delimit strings after the first unescaped space (the field section). */
    private static boolean inFieldSection(String text, int start, int index) {
        for (int i = start; i < index; i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == ' ') {
                return true;
            }
        }
        return false;
    }

    private Point point() {
        String measurement = token(false, ",  ".toCharArray());
        require(!measurement.isEmpty(), "empty measurement");
        Map<String, String> tags = new LinkedHashMap<>();
        while (peek() == ',') {
            pos++;
            String key = token(true, new char[] {'='});
            expect('=');
            String value = token(true, new char[] {',', ' '});
            require(!key.isEmpty() && !value.isEmpty(), "empty tag key or value");
            require(tags.put(key, value) == null, "duplicate tag " + key);
        }
        expect(' ');
        Map<String, String> fields = new LinkedHashMap<>();
        do {
            if (!fields.isEmpty()) {
                pos++;
            }
            String key = token(true, new char[] {'='});
            expect('=');
            require(!key.isEmpty(), "empty field key");
            fields.put(key, fieldValue());
        } while (peek() == ',');
        String timestamp = null;
        if (peek() == ' ') {
            pos++;
            timestamp = text.substring(pos);
            require(timestamp.matches("-?[0-9]+"), "bad timestamp '" + timestamp + "'");
            pos = text.length();
        }
        require(pos == text.length(), "trailing characters at " + pos);
        return new Point(measurement, tags, fields, timestamp);
    }

    private String fieldValue() {
        if (peek() == '"') {
            StringBuilder s = new StringBuilder();
            pos++;
            while (pos < text.length() && text.charAt(pos) != '"') {
                char c = text.charAt(pos);
                if (c == '\\' && pos + 1 < text.length()) {
                    char next = text.charAt(pos + 1);
                    if (next == '"' || next == '\\') {
                        c = next;
                        pos++;
                    }
                }
                s.append(c);
                pos++;
            }
            expect('"');
            return "\"" + s;
        }
        int start = pos;
        while (pos < text.length() && text.charAt(pos) != ',' && text.charAt(pos) != ' ') {
            pos++;
        }
        String raw = text.substring(start, pos);
        require(
                raw.matches("-?[0-9]+i|[tTfF]|true|false|True|False|TRUE|FALSE")
                        || raw.matches("[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?"),
                "bad field value '" + raw + "'");
        return raw;
    }

    /** Reads up to an unescaped stop character; {@code equalsEscapable}: tag/field key rules. */
    private String token(boolean equalsEscapable, char[] stops) {
        StringBuilder s = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '\\' && pos + 1 < text.length()) {
                char next = text.charAt(pos + 1);
                if (next == ',' || next == ' ' || (equalsEscapable && next == '=')) {
                    s.append(next);
                    pos += 2;
                    continue;
                }
            }
            if (isStop(c, stops)) {
                break;
            }
            s.append(c);
            pos++;
        }
        return s.toString();
    }

    private static boolean isStop(char c, char[] stops) {
        for (char stop : stops) {
            if (c == stop) {
                return true;
            }
        }
        return false;
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void expect(char c) {
        require(peek() == c, "expected '" + c + "' at " + pos);
        pos++;
    }

    private void require(boolean condition, String problem) {
        if (!condition) {
            throw new IllegalArgumentException(problem + " in: " + text);
        }
    }
}
