package dev.vigil.pipeline.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.common.model.Envelope;
import dev.vigil.common.model.MetricPoint;
import dev.vigil.common.model.Reject;
import dev.vigil.common.parse.ParserLimits;
import dev.vigil.common.parse.TelemetryParser;
import dev.vigil.common.routing.RoutingConfig;
import dev.vigil.pipeline.sink.InfluxSchema;
import dev.vigil.pipeline.testutils.HostilePayloads;
import dev.vigil.pipeline.testutils.ReferenceLineProtocol;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Hostile input at the parsers: never throws; a message gives points or a reject with a reason;
 * every accepted point survives the InfluxDB line-protocol round trip (the sink's encoder, then an
 * independent reader) as exactly one point with the same measurement, tags, field, value and
 * timestamp — no payload can inject a point or a tag. Tries per property come from {@code
 * jqwik.tries.default} (src/test/resources/junit-platform.properties: 17,000 × 6 properties in CI);
 * {@code -Djqwik.tries.default=1000000} for a long run.
 */
class HostileInputFuzzTest {

    private static final int BATCH = 10;
    private static final AtomicLong PAYLOADS = new AtomicLong();
    private static final AtomicLong ACCEPTED = new AtomicLong();
    private static final AtomicLong REJECTED = new AtomicLong();

    private final TelemetryParser parser =
            new TelemetryParser(RoutingConfig.builtIn(), ParserLimits.defaults());
    private final InfluxSchema.RawConverter converter = new InfluxSchema.RawConverter();
    private final List<MetricPoint> out = new ArrayList<>();

    @Property(seed = "6001")
    void randomBytes(@ForAll("randomBytesPayloads") List<Envelope> batch) {
        batch.forEach(this::check);
    }

    @Property(seed = "6002")
    void json(@ForAll("jsonPayloads") List<Envelope> batch) {
        batch.forEach(this::check);
    }

    @Property(seed = "6003")
    void lineProtocol(@ForAll("lineProtocolPayloads") List<Envelope> batch) {
        batch.forEach(this::check);
    }

    @Property(seed = "6004")
    void collectd(@ForAll("collectdPayloads") List<Envelope> batch) {
        batch.forEach(this::check);
    }

    @Property(seed = "6005")
    void invalidUtf8AndOverlong(@ForAll("invalidOrOverlongPayloads") List<Envelope> batch) {
        batch.forEach(this::check);
    }

    @Property(seed = "6006")
    void mixed(@ForAll("mixedPayloads") List<Envelope> batch) {
        batch.forEach(this::check);
    }

    @AfterContainer
    static void atLeastAHundredThousandPayloads() {
        System.out.printf(
                "Hostile input: %d payloads, %d accepted, %d rejected%n",
                PAYLOADS.get(), ACCEPTED.get(), REJECTED.get());
        assertThat(ACCEPTED.get() + REJECTED.get()).isEqualTo(PAYLOADS.get());
        if (Integer.getInteger("jqwik.tries.default", 1_700) >= 1_700) {
            assertThat(PAYLOADS.get()).isGreaterThanOrEqualTo(100_000);
        }
    }

    private void check(Envelope envelope) {
        PAYLOADS.incrementAndGet();
        out.clear();
        Reject reject = parser.parse(envelope, out);
        if (reject != null) {
            REJECTED.incrementAndGet();
            assertThat(out).as("points of a rejected message").isEmpty();
            assertThat(reject.getReason()).isNotNull();
            assertThat(reject.getDetail()).isNotBlank();
            assertThat(reject.getExcerpt()).isNotNull();
            return;
        }
        ACCEPTED.incrementAndGet();
        assertThat(out).as("points of an accepted message").isNotEmpty();
        for (MetricPoint point : out) {
            assertRoundTrip(point);
        }
    }

    /** What InfluxDB would store from the sink's line is exactly this point. */
    private void assertRoundTrip(MetricPoint point) {
        assertThat(Double.isFinite(point.getValue())).as("finite value of %s", point).isTrue();
        String line = converter.apply(point, null);
        List<ReferenceLineProtocol.Point> read = ReferenceLineProtocol.read(line);
        assertThat(read).as("points InfluxDB reads from %s", line).hasSize(1);
        ReferenceLineProtocol.Point stored = read.get(0);
        assertThat(stored.measurement)
                .as("measurement in %s", line)
                .isEqualTo(point.getMeasurement());
        assertThat(stored.tags).as("tags in %s", line).isEqualTo(tags(point));
        assertThat(stored.fields).as("fields in %s", line).containsOnlyKeys(point.getField());
        assertThat(Double.parseDouble(stored.fields.get(point.getField())))
                .as("value in %s", line)
                .isEqualTo(point.getValue());
        assertThat(stored.timestamp).isEqualTo(String.valueOf(point.getTimestamp()));
    }

    private static Map<String, String> tags(MetricPoint point) {
        Map<String, String> tags = new LinkedHashMap<>();
        String[] kv = point.getTags();
        for (int i = 0; i + 1 < kv.length; i += 2) {
            tags.put(kv[i], kv[i + 1]);
        }
        return tags;
    }

    /** Ten payloads per try: jqwik's per-try overhead dominates the parser's own time. */
    private static Arbitrary<List<Envelope>> batches(Arbitrary<Envelope> payloads) {
        return payloads.list().ofSize(BATCH);
    }

    @Provide
    Arbitrary<List<Envelope>> randomBytesPayloads() {
        return batches(HostilePayloads.randomBytes());
    }

    @Provide
    Arbitrary<List<Envelope>> jsonPayloads() {
        return batches(HostilePayloads.json());
    }

    @Provide
    Arbitrary<List<Envelope>> lineProtocolPayloads() {
        return batches(HostilePayloads.lineProtocol());
    }

    @Provide
    Arbitrary<List<Envelope>> collectdPayloads() {
        return batches(HostilePayloads.collectd());
    }

    @Provide
    Arbitrary<List<Envelope>> invalidOrOverlongPayloads() {
        return batches(
                Arbitraries.oneOf(HostilePayloads.invalidUtf8(), HostilePayloads.overlong()));
    }

    @Provide
    Arbitrary<List<Envelope>> mixedPayloads() {
        return batches(HostilePayloads.any());
    }
}
