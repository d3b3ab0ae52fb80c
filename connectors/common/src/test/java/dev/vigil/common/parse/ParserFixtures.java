package dev.vigil.common.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.common.model.Envelope;
import dev.vigil.common.model.MetricPoint;
import dev.vigil.common.model.Reject;
import dev.vigil.common.model.SeriesIdentity;
import dev.vigil.common.routing.RoutingConfig;
import java.util.ArrayList;
import java.util.List;

/** Shared helpers: a parser on the built-in routing and exact point expectations. */
final class ParserFixtures {

    /** A fixed receive time: 2024-01-01T00:00:00Z. */
    static final long RECEIVED_AT = 1_704_067_200_000L;

    private ParserFixtures() {}

    static TelemetryParser builtInParser() {
        return new TelemetryParser(RoutingConfig.builtIn(), ParserLimits.defaults());
    }

    /** A point; {@code tags} alternate keys and values in any order. */
    static MetricPoint point(
            String measurement, String field, long timestamp, double value, String... tags) {
        return new MetricPoint(measurement, SeriesIdentity.sortTags(tags), field, timestamp, value);
    }

    /** Parses and asserts acceptance; returns the points. */
    static List<MetricPoint> accept(TelemetryParser parser, String topic, String payload) {
        return accept(parser, Envelope.of(topic, payload, RECEIVED_AT));
    }

    static List<MetricPoint> accept(TelemetryParser parser, Envelope envelope) {
        List<MetricPoint> out = new ArrayList<>();
        Reject reject = parser.parse(envelope, out);
        assertThat(reject).as("reject of %s", envelope).isNull();
        assertThat(out).isNotEmpty();
        return out;
    }

    /** Parses and asserts rejection with nothing appended; returns the reject. */
    static Reject reject(TelemetryParser parser, Envelope envelope) {
        List<MetricPoint> out = new ArrayList<>();
        Reject reject = parser.parse(envelope, out);
        assertThat(reject).as("reject of %s (points: %s)", envelope, out).isNotNull();
        assertThat(out).isEmpty();
        assertThat(reject.getExcerpt()).isNotNull();
        assertThat(reject.getDetail()).isNotBlank();
        assertThat(reject.getTopic()).isEqualTo(envelope.getTopic());
        assertThat(reject.getReceivedAt()).isEqualTo(envelope.getReceivedAt());
        return reject;
    }
}
