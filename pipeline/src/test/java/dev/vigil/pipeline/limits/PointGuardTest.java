package dev.vigil.pipeline.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.common.model.Envelope;
import dev.vigil.common.model.MetricPoint;
import dev.vigil.common.model.Reject;
import dev.vigil.common.model.RejectReason;
import dev.vigil.pipeline.config.VigilConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PointGuardTest {

    /** 2024-01-01T00:00:00Z. */
    private static final long T0 = 1_704_067_200_000L;

    private static final long HOUR = 3_600_000L;

    @Test
    void defaultsComeFromTheConfiguration() {
        PointGuard guard = PointGuard.from(VigilConfig.defaults());

        assertThat(guard.isAllowed("anything/at/all")).isTrue();
        assertThat(guard.inTimeRange(T0 + HOUR, T0)).isTrue();
        assertThat(guard.inTimeRange(T0 + HOUR + 1, T0)).isFalse();
        assertThat(guard.inTimeRange(0L, T0)).as("no age limit by default").isTrue();
    }

    @Test
    void configuredLimitsAreRead() {
        VigilConfig config =
                VigilConfig.load(
                        null,
                        Map.of(
                                "limits.allowed-topics", "sensors/#;telegraf/+",
                                "limits.max-future", "5 min",
                                "limits.max-age", "30 d",
                                "limits.max-series-per-device", "2"));
        PointGuard guard = PointGuard.from(config);

        assertThat(guard.isAllowed("telegraf/h1")).isTrue();
        assertThat(guard.isAllowed("telegraf/h1/x")).isFalse();
        assertThat(guard.inTimeRange(T0 + 300_000, T0)).isTrue();
        assertThat(guard.inTimeRange(T0 + 300_001, T0)).isFalse();
        assertThat(guard.inTimeRange(T0 - 30 * 24 * HOUR, T0)).isTrue();
        assertThat(guard.inTimeRange(T0 - 30 * 24 * HOUR - 1, T0)).isFalse();
        Envelope e = envelope("sensors/d1/telemetry");
        assertThat(guard.checkPoints(e, List.of(point("a", T0), point("b", T0)))).isNull();
        assertThat(guard.checkPoints(e, List.of(point("c", T0))).getReason())
                .isEqualTo(RejectReason.TOO_MANY_SERIES);
    }

    @Test
    void topicsOutsideTheAllowListAreRejectedWithAReason() {
        PointGuard guard = guard(List.of("sensors/+/telemetry", "telegraf/#"), 0);

        assertThat(guard.checkEnvelope(envelope("sensors/d1/telemetry"))).isNull();
        assertThat(guard.checkEnvelope(envelope("telegraf/a/b"))).isNull();
        Reject reject = guard.checkEnvelope(envelope("admin/reset"));

        assertThat(reject.getReason()).isEqualTo(RejectReason.TOPIC_NOT_ALLOWED);
        assertThat(reject.getDetail())
                .isEqualTo("The topic 'admin/reset' is not on limits.allowed-topics.");
        assertThat(reject.getTopic()).isEqualTo("admin/reset");
        assertThat(reject.getReceivedAt()).isEqualTo(T0);
        assertThat(guard.check(envelope("admin/reset"), point("v", T0)))
                .isEqualTo(RejectReason.TOPIC_NOT_ALLOWED);
        assertThat(guard(List.of("a/b"), 0).checkEnvelope(new Envelope(null, new byte[1], T0)))
                .isNotNull();
    }

    @Test
    void anInvalidAllowListFailsAtBuildTime() {
        assertThatThrownBy(() -> guard(List.of(""), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void timestampsTooFarAheadOrTooOldRejectTheWholeMessage() {
        PointGuard guard =
                new PointGuard(
                        List.of(), Duration.ofHours(1), Duration.ofDays(7), 0, Duration.ZERO);
        Envelope e = envelope("sensors/d1/telemetry");

        assertThat(
                        guard.checkPoints(
                                e, List.of(point("v", T0 + HOUR), point("w", T0 - 7 * 24 * HOUR))))
                .isNull();
        Reject future = guard.checkPoints(e, List.of(point("v", T0), point("w", T0 + HOUR + 1)));
        assertThat(future.getReason()).isEqualTo(RejectReason.TIMESTAMP_OUT_OF_RANGE);
        assertThat(future.getDetail())
                .isEqualTo(
                        "The timestamp 2024-01-01T01:00:00.001Z of m,device=d1 w is more than"
                                + " limits.max-future = PT1H ahead of its receive time"
                                + " 2024-01-01T00:00:00Z.");
        Reject old = guard.checkPoints(e, List.of(point("v", T0 - 7 * 24 * HOUR - 1)));
        assertThat(old.getReason()).isEqualTo(RejectReason.TIMESTAMP_OUT_OF_RANGE);
        assertThat(old.getDetail())
                .isEqualTo(
                        "The timestamp 2023-12-24T23:59:59.999Z of m,device=d1 v is more than"
                                + " limits.max-age = PT168H before its receive time"
                                + " 2024-01-01T00:00:00Z.");
        assertThat(guard.check(e, point("v", Long.MAX_VALUE)))
                .isEqualTo(RejectReason.TIMESTAMP_OUT_OF_RANGE);
        assertThat(guard.inTimeRange(T0, 17L)).as("no real receive time: not judged").isTrue();
    }

    @Test
    void aClockSkewedDeviceIsCountedExactly() {
        PointGuard guard =
                new PointGuard(
                        List.of(), Duration.ofMinutes(5), Duration.ofDays(1), 0, Duration.ZERO);
        int accepted = 0;
        int rejected = 0;
        // A device whose clock runs 10 minutes ahead, then is corrected: 100 messages, 1 minute
        // apart.
        for (int i = 0; i < 100; i++) {
            long receivedAt = T0 + i * 60_000L;
            long skew = i < 40 ? 10 * 60_000L : 0L;
            Envelope e = new Envelope("sensors/d1/telemetry", new byte[] {'{', '}'}, receivedAt);
            if (guard.checkPoints(e, List.of(point("v", receivedAt + skew))) == null) {
                accepted++;
            } else {
                rejected++;
            }
        }
        assertThat(accepted).isEqualTo(60);
        assertThat(rejected).isEqualTo(40);
    }

    @Test
    void aDeviceMayNotExceedItsSeriesButKeepsTheOnesItHas() {
        PointGuard guard = guard(List.of(), 3);
        Envelope d1 = envelope("sensors/d1/telemetry");

        assertThat(guard.checkPoints(d1, points("a", "b"))).isNull();
        assertThat(guard.checkPoints(d1, points("a", "b", "c", "c"))).isNull();
        Reject reject = guard.checkPoints(d1, points("a", "d"));
        assertThat(reject.getReason()).isEqualTo(RejectReason.TOO_MANY_SERIES);
        assertThat(reject.getDetail())
                .isEqualTo(
                        "Device 'd1' would send 4 series, more than limits.max-series-per-device"
                                + " = 3.");
        assertThat(guard.checkPoints(d1, points("a", "b", "c"))).as("known series").isNull();
        assertThat(guard.checkPoints(envelope("sensors/d2/telemetry"), points("a", "b", "c")))
                .as("another device has its own budget")
                .isNull();
        assertThat(guard.check(d1, point("e", T0))).isEqualTo(RejectReason.TOO_MANY_SERIES);
        assertThat(guard.check(d1, point("a", T0))).isNull();
    }

    @Test
    void seriesUnseenForTheTtlFreeTheirPlace() {
        PointGuard guard =
                new PointGuard(
                        List.of(), Duration.ofHours(1), Duration.ZERO, 2, Duration.ofHours(1));
        assertThat(guard.checkPoints(envelopeAt("sensors/d1/x", T0), points("a", "b"))).isNull();
        assertThat(guard.checkPoints(envelopeAt("sensors/d1/x", T0 + HOUR - 1), points("c")))
                .isNotNull();
        assertThat(guard.checkPoints(envelopeAt("sensors/d1/x", T0 + HOUR), points("c"))).isNull();
    }

    @Test
    void theTrackerIsBoundedInDevices() {
        SeriesPerDeviceTracker tracker = new SeriesPerDeviceTracker(10, HOUR, 3);
        for (int d = 0; d < 5; d++) {
            tracker.offer("sensors/d" + d + "/x", new long[] {1, 2}, 2, T0 + d);
        }
        assertThat(tracker.trackedDevices()).isEqualTo(3);
        assertThat(tracker.trackedSeries("d0")).isZero();
        assertThat(tracker.trackedSeries("d4")).isEqualTo(2);
    }

    @Test
    void noneLetsEverythingThrough() {
        PointGuard guard = PointGuard.none();
        Envelope e = envelope("any");
        List<MetricPoint> many = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            many.add(point("f" + i, 0L));
        }
        assertThat(guard.checkEnvelope(e)).isNull();
        assertThat(guard.checkPoints(e, many)).isNull();
    }

    private static PointGuard guard(List<String> topics, int maxSeries) {
        return new PointGuard(
                topics, Duration.ofHours(1), Duration.ZERO, maxSeries, Duration.ofDays(7));
    }

    private static Envelope envelope(String topic) {
        return envelopeAt(topic, T0);
    }

    private static Envelope envelopeAt(String topic, long receivedAt) {
        return Envelope.of(topic, "{}", receivedAt);
    }

    private static MetricPoint point(String field, long timestamp) {
        return new MetricPoint("m", new String[] {"device", "d1"}, field, timestamp, 1.0);
    }

    private static List<MetricPoint> points(String... fields) {
        List<MetricPoint> points = new ArrayList<>();
        for (String field : fields) {
            points.add(point(field, T0));
        }
        return points;
    }
}
