package dev.vigil.pipeline.limits;

import dev.vigil.common.codec.EnvelopeCodec;
import dev.vigil.common.model.Envelope;
import dev.vigil.common.model.MetricPoint;
import dev.vigil.common.model.Reject;
import dev.vigil.common.model.RejectReason;
import dev.vigil.common.parse.Excerpts;
import dev.vigil.common.routing.TopicPattern;
import dev.vigil.pipeline.config.VigilConfig;
import dev.vigil.pipeline.config.VigilOptions;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The job's input limits, applied where parsing happens (see {@code LIMITS.md} of the pipeline):
 *
 * <ul>
 *   <li>topic allow-list ({@code limits.allowed-topics}, MQTT filters; empty allows every topic):
 *       {@link RejectReason#TOPIC_NOT_ALLOWED}, checked before parsing;
 *   <li>time: a point more than {@code limits.max-future} ahead of its receive time, or more than
 *       {@code limits.max-age} behind it (0 = no age limit), is {@link
 *       RejectReason#TIMESTAMP_OUT_OF_RANGE};
 *   <li>series per device ({@code limits.max-series-per-device}, device = the topic's partition
 *       key, as the bridge keys Kafka/Kinesis): {@link RejectReason#TOO_MANY_SERIES}.
 * </ul>
 *
 * <p>Like the parser, all-or-nothing per message: one point out of limits rejects the message, so
 * accepted + rejected = received still holds. Not thread-safe: one instance per subtask.
 */
public final class PointGuard implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Devices tracked per subtask for the series limit; the least recently seen is dropped. */
    public static final int MAX_TRACKED_DEVICES = 100_000;

    /**
     * Receive times before 2001-01-01 are not real (replays of line-protocol files number their
     * envelopes from 0): the time range is not checked for them.
     */
    public static final long KNOWN_RECEIVE_TIMES_FROM = 978_307_200_000L;

    private final List<String> allowedTopics;
    private final long maxFutureMs;
    private final long maxAgeMs;
    private final int maxSeriesPerDevice;
    private final long seriesTtlMs;

    private transient List<TopicPattern> allowed;
    private transient SeriesPerDeviceTracker tracker;
    private transient long[] seriesIds;

    /**
     * @param allowedTopics MQTT topic filters; empty allows every topic
     * @param maxFuture how far ahead of the receive time a timestamp may be
     * @param maxAge how far behind the receive time a timestamp may be; zero means no limit
     * @param maxSeriesPerDevice series a device may send within {@code seriesTtl}; 0 = no limit
     * @param seriesTtl a device's series unseen for this long no longer count
     */
    public PointGuard(
            List<String> allowedTopics,
            Duration maxFuture,
            Duration maxAge,
            int maxSeriesPerDevice,
            Duration seriesTtl) {
        if (maxFuture.isNegative() || maxAge.isNegative() || maxSeriesPerDevice < 0) {
            throw new IllegalArgumentException(
                    "limits must not be negative: max-future="
                            + maxFuture
                            + ", max-age="
                            + maxAge
                            + ", max-series-per-device="
                            + maxSeriesPerDevice);
        }
        this.allowedTopics = new ArrayList<>(allowedTopics);
        this.maxFutureMs = maxFuture.toMillis();
        this.maxAgeMs = maxAge.toMillis();
        this.maxSeriesPerDevice = maxSeriesPerDevice;
        this.seriesTtlMs = seriesTtl.toMillis();
        allowed(); // validates the filters now, at job build time
    }

    /** The guard the job's configuration asks for. */
    public static PointGuard from(VigilConfig config) {
        return new PointGuard(
                config.get(VigilOptions.ALLOWED_TOPICS),
                config.get(VigilOptions.MAX_FUTURE),
                config.get(VigilOptions.MAX_AGE),
                config.get(VigilOptions.MAX_SERIES_PER_DEVICE),
                config.get(VigilOptions.SERIES_TTL));
    }

    /** A guard that lets everything through. */
    public static PointGuard none() {
        return new PointGuard(List.of(), Duration.ofDays(365_000), Duration.ZERO, 0, Duration.ZERO);
    }

    /** Before parsing: the topic allow-list. Returns the reject, or null when allowed. */
    public Reject checkEnvelope(Envelope envelope) {
        if (isAllowed(envelope.getTopic())) {
            return null;
        }
        return reject(
                envelope,
                RejectReason.TOPIC_NOT_ALLOWED,
                "The topic '" + envelope.getTopic() + "' is not on limits.allowed-topics.");
    }

    /**
     * After parsing: time range and series per device for all points of one message. Returns the
     * reject (and admits nothing), or null (and counts the message's series for its device).
     */
    public Reject checkPoints(Envelope envelope, List<MetricPoint> points) {
        long receivedAt = envelope.getReceivedAt();
        for (int i = 0, n = points.size(); i < n; i++) {
            MetricPoint point = points.get(i);
            if (!inTimeRange(point.getTimestamp(), receivedAt)) {
                return reject(
                        envelope,
                        RejectReason.TIMESTAMP_OUT_OF_RANGE,
                        timeDetail(point, receivedAt));
            }
        }
        return checkSeries(envelope, points);
    }

    /**
     * One point on its own (for callers that reject per point): the reason, or null when within the
     * limits. A point that passes is counted for its device's series.
     */
    public RejectReason check(Envelope envelope, MetricPoint point) {
        if (!isAllowed(envelope.getTopic())) {
            return RejectReason.TOPIC_NOT_ALLOWED;
        }
        if (!inTimeRange(point.getTimestamp(), envelope.getReceivedAt())) {
            return RejectReason.TIMESTAMP_OUT_OF_RANGE;
        }
        return checkSeries(envelope, List.of(point)) == null ? null : RejectReason.TOO_MANY_SERIES;
    }

    boolean isAllowed(String topic) {
        if (allowedTopics.isEmpty()) {
            return true;
        }
        if (topic == null) {
            return false;
        }
        for (TopicPattern pattern : allowed()) {
            if (pattern.matches(topic)) {
                return true;
            }
        }
        return false;
    }

    boolean inTimeRange(long timestamp, long receivedAt) {
        if (receivedAt < KNOWN_RECEIVE_TIMES_FROM) {
            return true; // no real receive time to judge by (e.g. a replayed line-protocol file)
        }
        if (timestamp > saturatedAdd(receivedAt, maxFutureMs)) {
            return false;
        }
        return maxAgeMs == 0 || timestamp >= receivedAt - maxAgeMs;
    }

    private Reject checkSeries(Envelope envelope, List<MetricPoint> points) {
        if (maxSeriesPerDevice == 0 || points.isEmpty()) {
            return null;
        }
        int n = points.size();
        long[] ids = seriesIds(n);
        for (int i = 0; i < n; i++) {
            ids[i] = points.get(i).getSeriesId();
        }
        int count = tracker().offer(envelope.getTopic(), ids, n, envelope.getReceivedAt());
        if (count <= maxSeriesPerDevice) {
            return null;
        }
        return reject(
                envelope,
                RejectReason.TOO_MANY_SERIES,
                "Device '"
                        + EnvelopeCodec.partitionKey(envelope.getTopic())
                        + "' would send "
                        + count
                        + " series, more than limits.max-series-per-device = "
                        + maxSeriesPerDevice
                        + ".");
    }

    /** A scratch array for {@code n} series ids, reused across messages. */
    private long[] seriesIds(int n) {
        if (seriesIds == null || seriesIds.length < n) {
            seriesIds = new long[Math.max(n, 16)];
        }
        return seriesIds;
    }

    private String timeDetail(MetricPoint point, long receivedAt) {
        boolean future = point.getTimestamp() > receivedAt;
        return "The timestamp "
                + instant(point.getTimestamp())
                + " of "
                + point.seriesKey()
                + " is "
                + (future
                        ? "more than limits.max-future = "
                                + Duration.ofMillis(maxFutureMs)
                                + " ahead of"
                        : "more than limits.max-age = " + Duration.ofMillis(maxAgeMs) + " before")
                + " its receive time "
                + instant(receivedAt)
                + ".";
    }

    private static String instant(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    private static Reject reject(Envelope envelope, RejectReason reason, String detail) {
        return new Reject(
                reason,
                detail,
                envelope.getTopic(),
                Excerpts.of(envelope.getPayload()),
                envelope.getReceivedAt());
    }

    private List<TopicPattern> allowed() {
        if (allowed == null) {
            List<TopicPattern> patterns = new ArrayList<>(allowedTopics.size());
            for (String filter : allowedTopics) {
                patterns.add(TopicPattern.compile(filter));
            }
            allowed = patterns;
        }
        return allowed;
    }

    private SeriesPerDeviceTracker tracker() {
        if (tracker == null) {
            tracker =
                    new SeriesPerDeviceTracker(
                            maxSeriesPerDevice, seriesTtlMs, MAX_TRACKED_DEVICES);
        }
        return tracker;
    }
}
