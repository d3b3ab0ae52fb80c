package dev.vigil.common.routing;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One routing rule: which topics it takes, the payload format, and format options. JSON routes have
 * a measurement, tag fields and an optional timestamp field; line-protocol routes have a timestamp
 * precision; collectd routes have no options.
 */
public final class Route implements Serializable {

    private static final long serialVersionUID = 1L;

    private final TopicPattern topic;
    private final PayloadFormat format;
    private final String measurement;
    private final String[] tagFields;
    private final String timestampField;
    private final TimePrecision precision;

    /**
     * @param topic topic pattern (see {@link TopicPattern})
     * @param measurement required for JSON routes, must be null otherwise
     * @param tagFields JSON string fields that become tags (may be empty, not null)
     * @param timestampField JSON field holding the timestamp, or null
     * @param precision line-protocol timestamp unit, null means {@link TimePrecision#NS}
     * @throws IllegalArgumentException saying what is inconsistent
     */
    public Route(
            String topic,
            PayloadFormat format,
            String measurement,
            List<String> tagFields,
            String timestampField,
            TimePrecision precision) {
        this.topic = TopicPattern.compile(topic);
        this.format = Objects.requireNonNull(format, "format");
        this.measurement = measurement;
        this.tagFields = tagFields == null ? new String[0] : tagFields.toArray(new String[0]);
        this.timestampField = timestampField;
        this.precision = precision == null ? TimePrecision.NS : precision;
        validate(precision);
    }

    private void validate(TimePrecision declaredPrecision) {
        if (format == PayloadFormat.JSON) {
            if (measurement == null || measurement.isEmpty()) {
                throw new IllegalArgumentException("a json route needs a 'measurement'");
            }
            checkName("measurement", measurement);
            for (String field : tagFields) {
                checkName("tag field", field);
            }
            if (timestampField != null) {
                checkName("timestamp-field", timestampField);
            }
            if (declaredPrecision != null) {
                throw new IllegalArgumentException(
                        "'precision' only applies to line-protocol routes (json timestamps are"
                                + " auto-detected)");
            }
            return;
        }
        if (measurement != null || tagFields.length > 0 || timestampField != null) {
            throw new IllegalArgumentException(
                    "'measurement', 'tag-fields' and 'timestamp-field' only apply to json routes,"
                            + " not to "
                            + format.yamlName());
        }
        if (format == PayloadFormat.COLLECTD && declaredPrecision != null) {
            throw new IllegalArgumentException(
                    "'precision' only applies to line-protocol routes, not to collectd");
        }
    }

    private static void checkName(String what, String name) {
        if (name == null || name.isEmpty() || name.length() > 256) {
            throw new IllegalArgumentException(
                    "the " + what + " must have 1 to 256 characters, got '" + name + "'");
        }
    }

    public TopicPattern topic() {
        return topic;
    }

    public PayloadFormat format() {
        return format;
    }

    /** Measurement of JSON points; null for other formats. */
    public String measurement() {
        return measurement;
    }

    /** JSON fields that become tags. */
    public List<String> tagFields() {
        return Arrays.asList(tagFields.clone());
    }

    /** Whether the route has any tag field. */
    public boolean hasTagFields() {
        return tagFields.length > 0;
    }

    /** Whether {@code field} (a flattened JSON field name) is a tag field. */
    public boolean isTagField(String field) {
        for (String tagField : tagFields) {
            if (tagField.equals(field)) {
                return true;
            }
        }
        return false;
    }

    /** JSON field holding the timestamp, or null (then the receive time is used). */
    public String timestampField() {
        return timestampField;
    }

    /** Unit of line-protocol timestamps (default ns). */
    public TimePrecision precision() {
        return precision;
    }

    @Override
    public String toString() {
        StringBuilder sb =
                new StringBuilder("Route{topic='")
                        .append(topic)
                        .append("', format=")
                        .append(format.yamlName());
        if (format == PayloadFormat.JSON) {
            sb.append(", measurement=").append(measurement);
            sb.append(", tag-fields=").append(Arrays.toString(tagFields));
            sb.append(", timestamp-field=").append(timestampField);
        } else if (format == PayloadFormat.LINE_PROTOCOL) {
            sb.append(", precision=").append(precision.yamlName());
        }
        return sb.append('}').toString();
    }
}
