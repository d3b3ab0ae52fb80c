package dev.vigil.common.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.vigil.common.model.MetricPoint;
import dev.vigil.common.model.RejectReason;
import dev.vigil.common.routing.Route;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * JSON objects: every numeric field is a point (nested objects flattened as {@code parent.child}),
 * configured string fields are tags, the timestamp field gives the time. Streaming (Jackson
 * JsonParser), one instance per parser thread: the field/tag buffers are reused.
 */
final class JsonFormat {

    /** Deepest allowed object/array nesting; the top-level object is depth 1. */
    static final int MAX_DEPTH = 8;

    private static final JsonFactory FACTORY =
            JsonFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .streamReadConstraints(
                            StreamReadConstraints.builder()
                                    .maxNestingDepth(4 * MAX_DEPTH)
                                    .maxNumberLength(1000)
                                    .build())
                    .build();

    private final ParserLimits limits;
    private final StringBuilder path = new StringBuilder(64);

    private Route route;
    private String[] fieldNames = new String[16];
    private double[] fieldValues = new double[16];
    private int fieldCount;
    private String[] tags = new String[8];
    private int tagLength;
    private long timestamp;

    JsonFormat(ParserLimits limits) {
        this.limits = limits;
    }

    void parse(byte[] payload, TopicMatch match, long receivedAt, List<MetricPoint> out)
            throws RejectException {
        reset(match.route, receivedAt);
        try (JsonParser parser = FACTORY.createParser(payload, 0, payload.length)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw RejectException.malformed(
                        "the JSON top level is " + describe(first) + ", expected an object");
            }
            readObject(parser, 1, 0);
            JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                throw RejectException.malformed(
                        "unexpected content ("
                                + describe(trailing)
                                + ") after the JSON object"
                                + at(parser));
            }
        } catch (JsonProcessingException e) {
            throw RejectException.malformed(
                    "invalid JSON" + at(e.getLocation()) + ": " + shorten(e.getOriginalMessage()));
        } catch (IOException e) {
            throw RejectException.malformed("the JSON could not be read: " + e.getMessage());
        }
        if (fieldCount == 0) {
            throw new RejectException(
                    RejectReason.NO_NUMERIC_FIELDS, "the JSON object has no numeric field");
        }
        emit(match, out);
    }

    private void reset(Route route, long receivedAt) {
        this.route = route;
        this.fieldCount = 0;
        this.tagLength = 0;
        this.timestamp = receivedAt;
        this.path.setLength(0);
    }

    /**
     * Reads the members of an object whose START_OBJECT was just read. {@code path[0, prefix)}
     * holds the flattened name of the object (empty for the top level).
     */
    private void readObject(JsonParser parser, int depth, int prefix)
            throws IOException, RejectException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            JsonToken value = parser.nextToken();
            if (depth == 1 && key.equals(route.timestampField())) {
                readTimestamp(parser, key, value);
                continue;
            }
            switch (value) {
                case VALUE_NUMBER_INT:
                case VALUE_NUMBER_FLOAT:
                    readNumber(parser, key, prefix);
                    break;
                case VALUE_STRING:
                    readString(parser, key, prefix);
                    break;
                case START_OBJECT:
                    enterObject(parser, key, depth, prefix);
                    break;
                case START_ARRAY:
                    skipArray(parser, depth + 1);
                    break;
                default:
                    break; // booleans and nulls are ignored
            }
        }
    }

    private void readNumber(JsonParser parser, String key, int prefix)
            throws IOException, RejectException {
        Names.checkName("field name", key, 0);
        String name = fullName(key, prefix);
        if (route.isTagField(name)) {
            addTag(name, parser.getText());
            return;
        }
        Names.checkName("field name", name, 0);
        double value = parser.getDoubleValue();
        if (!Double.isFinite(value)) {
            throw new RejectException(
                    RejectReason.NON_FINITE_VALUE,
                    "field '" + Names.abbreviate(name) + "' is too large to be a finite number");
        }
        addField(name, value);
    }

    private void readString(JsonParser parser, String key, int prefix)
            throws IOException, RejectException {
        if (!route.hasTagFields()) {
            return;
        }
        String name = fullName(key, prefix);
        if (route.isTagField(name)) {
            addTag(name, parser.getText());
        }
    }

    private void enterObject(JsonParser parser, String key, int depth, int prefix)
            throws IOException, RejectException {
        if (depth + 1 > MAX_DEPTH) {
            throw RejectException.malformed(
                    "the JSON nests deeper than " + MAX_DEPTH + " levels" + at(parser));
        }
        path.setLength(prefix);
        if (prefix > 0) {
            path.append('.');
        }
        path.append(key);
        readObject(parser, depth + 1, path.length());
        path.setLength(prefix);
    }

    /** Arrays are ignored, but their nesting still counts; {@code depth} is the array's own. */
    private void skipArray(JsonParser parser, int depth) throws IOException, RejectException {
        int open = 1;
        while (true) {
            if (depth + open - 1 > MAX_DEPTH) {
                throw RejectException.malformed(
                        "the JSON nests deeper than " + MAX_DEPTH + " levels" + at(parser));
            }
            JsonToken token = parser.nextToken();
            if (token == null) {
                throw RejectException.malformed("the JSON ends inside an array");
            }
            if (token.isStructStart()) {
                open++;
            } else if (token.isStructEnd() && --open == 0) {
                return;
            }
        }
    }

    private void readTimestamp(JsonParser parser, String key, JsonToken value)
            throws IOException, RejectException {
        long millis;
        if (value == JsonToken.VALUE_NUMBER_INT
                && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            millis = Timestamps.fromEpochAutoDetect(parser.getLongValue());
        } else if (value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT) {
            millis = Timestamps.fromEpochAutoDetect(parser.getDoubleValue());
        } else if (value == JsonToken.VALUE_STRING) {
            millis = Timestamps.fromText(parser.getText());
        } else {
            millis = Timestamps.INVALID;
        }
        if (millis == Timestamps.INVALID) {
            if (value.isStructStart()) {
                parser.skipChildren();
            }
            throw new RejectException(
                    RejectReason.BAD_TIMESTAMP,
                    "timestamp field '"
                            + key
                            + "' holds "
                            + (value.isScalarValue()
                                    ? "'" + Names.abbreviate(parser.getText()) + "'"
                                    : describe(value))
                            + ", not an epoch time or ISO-8601 date-time in years 1970 to 2200");
        }
        timestamp = millis;
    }

    private void addField(String name, double value) throws RejectException {
        limits.checkPointCount(fieldCount + 1);
        if (fieldCount == fieldNames.length) {
            fieldNames = Arrays.copyOf(fieldNames, 2 * fieldCount);
            fieldValues = Arrays.copyOf(fieldValues, 2 * fieldCount);
        }
        fieldNames[fieldCount] = name;
        fieldValues[fieldCount] = value;
        fieldCount++;
    }

    private void addTag(String key, String value) throws RejectException {
        Names.checkTagValue(key, value, 0);
        if (tagLength + 2 > tags.length) {
            tags = Arrays.copyOf(tags, 2 * tags.length);
        }
        tags[tagLength++] = key;
        tags[tagLength++] = value;
    }

    private void emit(TopicMatch match, List<MetricPoint> out) {
        String[] pointTags =
                tagLength == 0
                        ? match.sortedVariableTags
                        : TagSets.merge(
                                match.variableTags, match.variableTags.length, tags, tagLength);
        String measurement = route.measurement();
        for (int i = 0; i < fieldCount; i++) {
            out.add(
                    new MetricPoint(
                            measurement, pointTags, fieldNames[i], timestamp, fieldValues[i]));
        }
    }

    private String fullName(String key, int prefix) {
        if (prefix == 0) {
            return key;
        }
        path.setLength(prefix);
        String name = path.append('.').append(key).toString();
        path.setLength(prefix);
        return name;
    }

    /** Jackson's message without its source-location appendix. */
    private static String shorten(String message) {
        if (message == null) {
            return "unreadable input";
        }
        int appendix = message.indexOf(" (start marker at");
        return appendix < 0 ? message : message.substring(0, appendix);
    }

    private static String describe(JsonToken token) {
        if (token == null) {
            return "nothing";
        }
        switch (token) {
            case START_ARRAY:
                return "an array";
            case START_OBJECT:
                return "an object";
            case VALUE_STRING:
                return "a string";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return "a number";
            case VALUE_TRUE:
            case VALUE_FALSE:
                return "a boolean";
            case VALUE_NULL:
                return "null";
            default:
                return token.asString() == null ? token.name() : "'" + token.asString() + "'";
        }
    }

    private static String at(JsonParser parser) {
        return at(parser.currentLocation());
    }

    private static String at(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }
}
