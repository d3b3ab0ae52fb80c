package dev.vigil.common.parse;

import dev.vigil.common.model.MetricPoint;
import dev.vigil.common.model.RejectReason;
import dev.vigil.common.routing.TimePrecision;
import java.util.Arrays;
import java.util.List;

/**
 * InfluxDB line protocol, as sent by Telegraf:
 *
 * <pre>
 * measurement[,tag=value...] field=value[,field=value...] [timestamp]
 * </pre>
 *
 * <p>Escapes: in the measurement {@code \,} and {@code \ }; in tag keys, tag values and field keys
 * also {@code \=}; {@code \\} is one backslash; a backslash before any other character is kept
 * literally. String field values are double-quoted with {@code \"} and {@code \\} escapes. Field
 * values: float, {@code 123i}, {@code 123u}, booleans and strings (the last two are not points).
 * Blank lines and {@code #} comments are skipped. Works directly on the payload bytes; names go
 * through a {@link NameCache}.
 */
final class LineProtocolFormat {

    /** (2^64 - 1) / 10 and (2^64 - 1) % 10, for unsigned overflow checks. */
    private static final long MAX_UNSIGNED_DIV_10 = Long.divideUnsigned(-1L, 10);

    private static final int MAX_UNSIGNED_LAST_DIGIT = (int) Long.remainderUnsigned(-1L, 10);

    private final ParserLimits limits;
    private final NameCache names = new NameCache();

    private byte[] unescaped = new byte[128];
    private String[] tags = new String[16];
    private int tagLength;
    private String[] fieldNames = new String[16];
    private double[] fieldValues = new double[16];
    private int fieldCount;
    private int messagePoints;
    private int line;
    private long parsedLong;

    LineProtocolFormat(ParserLimits limits) {
        this.limits = limits;
    }

    void parse(byte[] payload, TopicMatch match, long receivedAt, List<MetricPoint> out)
            throws RejectException {
        messagePoints = 0;
        line = 0;
        TimePrecision precision = match.route.precision();
        int length = payload.length;
        int lineStart = 0;
        while (lineStart < length) {
            int lineEnd = indexOf(payload, (byte) '\n', lineStart, length);
            line++;
            int end = lineEnd;
            if (end > lineStart && payload[end - 1] == '\r') {
                end--;
            }
            parseLine(payload, lineStart, end, match, precision, receivedAt, out);
            lineStart = lineEnd + 1;
        }
        if (messagePoints == 0) {
            throw new RejectException(
                    RejectReason.NO_NUMERIC_FIELDS,
                    "the line protocol payload has no numeric field value");
        }
    }

    private void parseLine(
            byte[] b,
            int start,
            int end,
            TopicMatch match,
            TimePrecision precision,
            long receivedAt,
            List<MetricPoint> out)
            throws RejectException {
        int p = skipBlanks(b, start, end);
        if (p == end || b[p] == '#') {
            return; // blank line or comment
        }
        int measurementEnd = scanElement(b, p, end, false);
        String measurement = decode(b, p, measurementEnd, false);
        Names.checkName("measurement", measurement, line);
        p = measurementEnd;
        tagLength = 0;
        if (p < end && b[p] == ',') {
            p = parseTags(b, p + 1, end);
        }
        p = skipSpaces(b, p, end);
        if (p == end) {
            throw malformed("'" + Names.abbreviate(measurement) + "' has no field");
        }
        p = parseFields(b, p, end);
        p = skipSpaces(b, p, end);
        long timestamp = receivedAt;
        if (p < end) {
            int timestampEnd = indexOf(b, (byte) ' ', p, end);
            timestamp = parseTimestamp(b, p, timestampEnd, precision);
            if (skipSpaces(b, timestampEnd, end) < end) {
                throw malformed("unexpected text after the timestamp");
            }
        }
        emit(match, measurement, timestamp, out);
    }

    private int parseTags(byte[] b, int p, int end) throws RejectException {
        while (true) {
            int keyEnd = scanElement(b, p, end, true);
            if (keyEnd == end || b[keyEnd] != '=') {
                throw malformed(
                        keyEnd == p
                                ? "a tag is missing after ',' (trailing comma?)"
                                : "tag '" + text(b, p, keyEnd) + "' has no '=' and value");
            }
            String key = decode(b, p, keyEnd, true);
            Names.checkName("tag key", key, line);
            int valueStart = keyEnd + 1;
            int valueEnd = scanElement(b, valueStart, end, true);
            if (valueEnd < end && b[valueEnd] == '=') {
                throw malformed("the value of tag '" + key + "' contains an unescaped '='");
            }
            if (valueEnd == valueStart) {
                throw malformed("tag '" + key + "' has an empty value");
            }
            String value = decode(b, valueStart, valueEnd, true);
            Names.checkTagValue(key, value, line);
            addTag(key, value);
            p = valueEnd;
            if (p == end || b[p] != ',') {
                return p;
            }
            p++;
        }
    }

    private int parseFields(byte[] b, int p, int end) throws RejectException {
        fieldCount = 0;
        while (true) {
            int keyStart = p;
            int keyEnd = scanElement(b, keyStart, end, true);
            if (keyEnd == end || b[keyEnd] != '=') {
                throw malformed(
                        keyEnd == keyStart
                                ? "a field is missing after ',' (trailing comma?)"
                                : "field '" + text(b, keyStart, keyEnd) + "' has no '=' and value");
            }
            if (keyEnd == keyStart) {
                Names.checkName("field name", "", line);
            }
            int valueStart = keyEnd + 1;
            if (valueStart < end && b[valueStart] == '"') {
                p = skipString(b, valueStart, end, keyStart, keyEnd);
            } else {
                p = indexOfSeparator(b, valueStart, end);
                readValue(b, keyStart, keyEnd, valueStart, p);
            }
            if (p == end || b[p] == ' ') {
                return p;
            }
            if (b[p] != ',') {
                throw malformed(
                        "unexpected text after the value of field '"
                                + text(b, keyStart, keyEnd)
                                + "'");
            }
            p++;
            if (p == end || b[p] == ' ') {
                throw malformed("a field is missing after ',' (trailing comma?)");
            }
        }
    }

    /** Reads one unquoted field value; numeric values are added as fields. */
    private void readValue(byte[] b, int keyStart, int keyEnd, int start, int end)
            throws RejectException {
        if (start == end) {
            throw malformed("field '" + text(b, keyStart, keyEnd) + "' has no value");
        }
        if (isBoolean(b, start, end)) {
            return;
        }
        double value = numericValue(b, keyStart, keyEnd, start, end);
        String name = decode(b, keyStart, keyEnd, true);
        Names.checkName("field name", name, line);
        addField(name, value);
    }

    private double numericValue(byte[] b, int keyStart, int keyEnd, int start, int end)
            throws RejectException {
        byte last = b[end - 1];
        if (last == 'i' && parseSignedLong(b, start, end - 1)) {
            return parsedLong;
        }
        if (last == 'u' && parseUnsignedLong(b, start, end - 1)) {
            return unsignedToDouble(parsedLong);
        }
        if (last != 'i' && last != 'u') {
            if (Numbers.isNonFiniteLiteral(b, start, end)) {
                throw nonFinite(b, keyStart, keyEnd, start, end);
            }
            double value = Numbers.parseDouble(b, start, end);
            if (Double.isInfinite(value)) {
                throw nonFinite(b, keyStart, keyEnd, start, end);
            }
            if (!Double.isNaN(value)) {
                return value;
            }
        }
        throw malformed(
                "'"
                        + text(b, start, end)
                        + "' is not a valid value for field '"
                        + text(b, keyStart, keyEnd)
                        + "'");
    }

    private RejectException nonFinite(byte[] b, int keyStart, int keyEnd, int start, int end) {
        return new RejectException(
                RejectReason.NON_FINITE_VALUE,
                Names.where(line)
                        + "field '"
                        + text(b, keyStart, keyEnd)
                        + "' has the non-finite value '"
                        + text(b, start, end)
                        + "'");
    }

    /** Index just after the closing quote of the string value starting at {@code start}. */
    private int skipString(byte[] b, int start, int end, int keyStart, int keyEnd)
            throws RejectException {
        int i = start + 1;
        while (i < end) {
            byte c = b[i];
            if (c == '\\') {
                i += 2;
            } else if (c == '"') {
                return i + 1;
            } else {
                i++;
            }
        }
        throw malformed(
                "the string value of field '"
                        + text(b, keyStart, keyEnd)
                        + "' has no closing quote");
    }

    private long parseTimestamp(byte[] b, int start, int end, TimePrecision precision)
            throws RejectException {
        if (!parseSignedLong(b, start, end)) {
            throw badTimestamp("timestamp '" + text(b, start, end) + "' is not an integer");
        }
        long millis = precision.toMillis(parsedLong);
        if (millis == Long.MIN_VALUE || !Timestamps.inRange(millis)) {
            throw badTimestamp(
                    "timestamp "
                            + parsedLong
                            + " ("
                            + precision.yamlName()
                            + ") is outside the years 1970 to 2200");
        }
        return millis;
    }

    private void emit(TopicMatch match, String measurement, long timestamp, List<MetricPoint> out) {
        String[] pointTags =
                tagLength == 0
                        ? match.sortedVariableTags
                        : TagSets.merge(
                                match.variableTags, match.variableTags.length, tags, tagLength);
        for (int i = 0; i < fieldCount; i++) {
            out.add(
                    new MetricPoint(
                            measurement, pointTags, fieldNames[i], timestamp, fieldValues[i]));
        }
    }

    private void addTag(String key, String value) {
        if (tagLength + 2 > tags.length) {
            tags = Arrays.copyOf(tags, 2 * tags.length);
        }
        tags[tagLength++] = key;
        tags[tagLength++] = value;
    }

    private void addField(String name, double value) throws RejectException {
        limits.checkPointCount(++messagePoints);
        if (fieldCount == fieldNames.length) {
            fieldNames = Arrays.copyOf(fieldNames, 2 * fieldCount);
            fieldValues = Arrays.copyOf(fieldValues, 2 * fieldCount);
        }
        fieldNames[fieldCount] = name;
        fieldValues[fieldCount] = value;
        fieldCount++;
    }

    /**
     * End of a measurement, tag key/value or field key starting at {@code p}: the first unescaped
     * ',' or ' ' (or '=' when {@code stopAtEquals}), or {@code end}.
     */
    private int scanElement(byte[] b, int p, int end, boolean stopAtEquals) throws RejectException {
        while (p < end) {
            byte c = b[p];
            if (c == '\\') {
                if (p + 1 == end) {
                    throw malformed("the line ends with a dangling backslash");
                }
                p += 2;
            } else if (c == ',' || c == ' ' || (stopAtEquals && c == '=')) {
                return p;
            } else {
                p++;
            }
        }
        return end;
    }

    /** The unescaped text of an element found by {@link #scanElement}. */
    private String decode(byte[] b, int start, int end, boolean equalsEscapable) {
        if (indexOf(b, (byte) '\\', start, end) == end) {
            return names.decode(b, start, end);
        }
        if (unescaped.length < end - start) {
            unescaped = new byte[2 * (end - start)];
        }
        int n = 0;
        for (int i = start; i < end; i++) {
            byte c = b[i];
            if (c == '\\') {
                byte next = b[i + 1];
                if (next == ','
                        || next == ' '
                        || next == '\\'
                        || (equalsEscapable && next == '=')) {
                    unescaped[n++] = next;
                    i++;
                    continue;
                }
            }
            unescaped[n++] = c;
        }
        return names.decode(unescaped, 0, n);
    }

    /** Parses {@code -?digits} into {@link #parsedLong}; false if not such or overflowing. */
    private boolean parseSignedLong(byte[] b, int start, int end) {
        boolean negative = start < end && b[start] == '-';
        int i = negative ? start + 1 : start;
        if (i == end) {
            return false;
        }
        long value = 0; // accumulated negatively to reach Long.MIN_VALUE
        for (; i < end; i++) {
            if (!Numbers.isDigit(b[i])) {
                return false;
            }
            int digit = b[i] - '0';
            if (value < (Long.MIN_VALUE + digit) / 10) {
                return false;
            }
            value = value * 10 - digit;
        }
        if (!negative && value == Long.MIN_VALUE) {
            return false;
        }
        parsedLong = negative ? value : -value;
        return true;
    }

    /** Parses {@code digits} (up to 2^64-1) into {@link #parsedLong} as unsigned. */
    private boolean parseUnsignedLong(byte[] b, int start, int end) {
        if (start == end) {
            return false;
        }
        long value = 0;
        for (int i = start; i < end; i++) {
            if (!Numbers.isDigit(b[i])) {
                return false;
            }
            int digit = b[i] - '0';
            int order = Long.compareUnsigned(value, MAX_UNSIGNED_DIV_10);
            if (order > 0 || (order == 0 && digit > MAX_UNSIGNED_LAST_DIGIT)) {
                return false;
            }
            value = value * 10 + digit;
        }
        parsedLong = value;
        return true;
    }

    private static double unsignedToDouble(long value) {
        if (value >= 0) {
            return value;
        }
        return ((value >>> 1) | (value & 1)) * 2.0;
    }

    private static boolean isBoolean(byte[] b, int start, int end) {
        int length = end - start;
        if (length == 1) {
            byte c = b[start];
            return c == 't' || c == 'T' || c == 'f' || c == 'F';
        }
        return isOneOf(b, start, end, BOOLEAN_WORDS);
    }

    private static final String[] BOOLEAN_WORDS = {
        "true", "True", "TRUE", "false", "False", "FALSE"
    };

    private static boolean isOneOf(byte[] b, int start, int end, String[] words) {
        for (String word : words) {
            if (word.length() == end - start && matches(b, start, word)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(byte[] b, int start, String ascii) {
        for (int k = 0; k < ascii.length(); k++) {
            if (b[start + k] != ascii.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] b, byte target, int start, int end) {
        for (int i = start; i < end; i++) {
            if (b[i] == target) {
                return i;
            }
        }
        return end;
    }

    private static int indexOfSeparator(byte[] b, int start, int end) {
        for (int i = start; i < end; i++) {
            if (b[i] == ',' || b[i] == ' ') {
                return i;
            }
        }
        return end;
    }

    private static int skipBlanks(byte[] b, int p, int end) {
        while (p < end && (b[p] == ' ' || b[p] == '\t')) {
            p++;
        }
        return p;
    }

    private static int skipSpaces(byte[] b, int p, int end) {
        while (p < end && b[p] == ' ') {
            p++;
        }
        return p;
    }

    /** Raw payload text for details, abbreviated. */
    private static String text(byte[] b, int start, int end) {
        return Excerpts.of(b, start, end, 40);
    }

    private RejectException malformed(String what) {
        return RejectException.malformed(Names.where(line) + what);
    }

    private RejectException badTimestamp(String what) {
        return new RejectException(RejectReason.BAD_TIMESTAMP, Names.where(line) + what);
    }
}
