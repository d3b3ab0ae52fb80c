package dev.vigil.common.parse;

import dev.vigil.common.model.MetricPoint;
import dev.vigil.common.model.RejectReason;
import java.util.Arrays;
import java.util.List;

/**
 * collectd's MQTT plugin: topic {@code <prefix>/<host>/<plugin>[-<instance>]/<type>[-<instance>]},
 * payload {@code <epoch seconds>[.<fraction>]:<v1>[:<v2>...]} (or {@code N} for "now"), possibly
 * ending in one NUL byte. Points have measurement {@code collectd}, tags host, plugin,
 * plugin_instance, type, type_instance (and topic variables), and the value names of the type.
 */
final class CollectdFormat {

    static final String MEASUREMENT = "collectd";

    private final ParserLimits limits;
    private double[] values = new double[8];

    CollectdFormat(ParserLimits limits) {
        this.limits = limits;
    }

    void parse(byte[] payload, TopicMatch match, long receivedAt, List<MetricPoint> out)
            throws RejectException {
        CollectdTopic topic = topicOf(match);
        int end = payload.length;
        if (end > 0 && payload[end - 1] == 0) {
            end--;
        }
        int colon = indexOf(payload, (byte) ':', 0, end);
        if (colon == end) {
            throw RejectException.malformed(
                    "the collectd payload has no ':' between the time and the values");
        }
        long timestamp = parseTime(payload, 0, colon, receivedAt);
        int count = parseValues(payload, colon + 1, end);
        String[] valueNames = CollectdTypes.knownValueNames(topic.type);
        if (valueNames != null && valueNames.length != count) {
            throw RejectException.malformed(
                    "the collectd type '"
                            + topic.type
                            + "' has "
                            + valueNames.length
                            + " values "
                            + Arrays.toString(valueNames)
                            + ", the payload has "
                            + count);
        }
        for (int i = 0; i < count; i++) {
            String field = valueNames != null ? valueNames[i] : CollectdTypes.valueName(i, count);
            out.add(new MetricPoint(MEASUREMENT, topic.tags, field, timestamp, values[i]));
        }
    }

    private long parseTime(byte[] b, int start, int end, long receivedAt) throws RejectException {
        if (end - start == 1 && b[start] == 'N') {
            return receivedAt;
        }
        double seconds = start == end ? Double.NaN : Numbers.parseDouble(b, start, end);
        long millis =
                Double.isNaN(seconds) ? Timestamps.INVALID : Timestamps.fromEpochSeconds(seconds);
        if (millis == Timestamps.INVALID) {
            throw new RejectException(
                    RejectReason.BAD_TIMESTAMP,
                    "the collectd time '"
                            + text(b, start, end)
                            + "' is not epoch seconds in years 1970 to 2200 or 'N'");
        }
        return millis;
    }

    /** Parses the ':'-separated values into {@link #values}; returns their count. */
    private int parseValues(byte[] b, int start, int end) throws RejectException {
        int count = 0;
        int p = start;
        while (true) {
            int valueEnd = indexOf(b, (byte) ':', p, end);
            limits.checkPointCount(count + 1);
            if (count == values.length) {
                values = Arrays.copyOf(values, 2 * count);
            }
            values[count++] = parseValue(b, p, valueEnd, count);
            if (valueEnd == end) {
                return count;
            }
            p = valueEnd + 1;
        }
    }

    private double parseValue(byte[] b, int start, int end, int position) throws RejectException {
        if (start == end) {
            throw RejectException.malformed("the collectd value " + position + " is empty");
        }
        if (Numbers.isNonFiniteLiteral(b, start, end) || (end - start == 1 && b[start] == 'U')) {
            throw new RejectException(
                    RejectReason.NON_FINITE_VALUE,
                    "the collectd value "
                            + position
                            + " is '"
                            + text(b, start, end)
                            + "' (not a finite number)");
        }
        double value = Numbers.parseDouble(b, start, end);
        if (Double.isNaN(value)) {
            throw RejectException.malformed(
                    "the collectd value "
                            + position
                            + " '"
                            + text(b, start, end)
                            + "' is not a number");
        }
        if (Double.isInfinite(value)) {
            throw new RejectException(
                    RejectReason.NON_FINITE_VALUE,
                    "the collectd value " + position + " is too large to be a finite number");
        }
        return value;
    }

    /** The decoded topic, cached in the {@link TopicMatch}. */
    private static CollectdTopic topicOf(TopicMatch match) throws RejectException {
        CollectdTopic topic = (CollectdTopic) match.formatState;
        if (topic == null) {
            topic = CollectdTopic.decode(match);
            match.formatState = topic;
        }
        topic.throwIfInvalid();
        return topic;
    }

    private static int indexOf(byte[] b, byte target, int start, int end) {
        for (int i = start; i < end; i++) {
            if (b[i] == target) {
                return i;
            }
        }
        return end;
    }

    private static String text(byte[] b, int start, int end) {
        return Excerpts.of(b, start, end, 40);
    }

    /** host/plugin/type parts of a collectd topic, with the sorted tags of its points. */
    static final class CollectdTopic {

        final String type;
        final String[] tags;
        private final RejectReason errorReason;
        private final String errorDetail;

        private CollectdTopic(String type, String[] tags, RejectReason reason, String detail) {
            this.type = type;
            this.tags = tags;
            this.errorReason = reason;
            this.errorDetail = detail;
        }

        void throwIfInvalid() throws RejectException {
            if (errorReason != null) {
                throw new RejectException(errorReason, errorDetail);
            }
        }

        static CollectdTopic decode(TopicMatch match) {
            try {
                return decodeChecked(match);
            } catch (RejectException e) {
                return new CollectdTopic(null, null, e.reason(), e.getMessage());
            }
        }

        private static CollectdTopic decodeChecked(TopicMatch match) throws RejectException {
            String topic = match.topic;
            String[] levels = topic.split("/", -1);
            int beforeHash = match.route.topic().levelsBeforeHash();
            boolean depthOk =
                    beforeHash >= 0 ? levels.length == beforeHash + 3 : levels.length >= 4;
            if (!depthOk) {
                throw RejectException.malformed(
                        "the collectd topic '"
                                + Names.abbreviate(topic)
                                + "' is not <prefix>/<host>/<plugin>[-<instance>]/<type>[-<instance>]");
            }
            int n = levels.length;
            String[] own = new String[10];
            int length = 0;
            length = put(own, length, "host", levels[n - 3]);
            length = putWithInstance(own, length, "plugin", levels[n - 2]);
            int typeAt = length;
            length = putWithInstance(own, length, "type", levels[n - 1]);
            String[] tags =
                    TagSets.merge(match.variableTags, match.variableTags.length, own, length);
            return new CollectdTopic(own[typeAt + 1], tags, null, null);
        }

        private static int putWithInstance(String[] tags, int length, String key, String level)
                throws RejectException {
            int dash = level.indexOf('-');
            if (dash < 0) {
                return put(tags, length, key, level);
            }
            length = put(tags, length, key, level.substring(0, dash));
            return put(tags, length, key + "_instance", level.substring(dash + 1));
        }

        private static int put(String[] tags, int length, String key, String value)
                throws RejectException {
            if (value.isEmpty()) {
                throw RejectException.malformed("the collectd topic has an empty " + key);
            }
            Names.checkTagValue(key, value, 0);
            tags[length] = key;
            tags[length + 1] = value;
            return length + 2;
        }
    }
}
