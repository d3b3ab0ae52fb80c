package dev.vigil.common.parse;

import static dev.vigil.common.parse.ParserFixtures.RECEIVED_AT;
import static dev.vigil.common.parse.ParserFixtures.accept;
import static dev.vigil.common.parse.ParserFixtures.point;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.common.model.MetricPoint;
import dev.vigil.common.routing.RoutingConfig;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonParsingTest {

    private final TelemetryParser parser = ParserFixtures.builtInParser();

    @Test
    void readmeExampleYieldsTwoPointsWithTopicAndPayloadTags() {
        List<MetricPoint> points =
                accept(
                        parser,
                        "sensors/dev1/telemetry",
                        "{\"id\":\"CITIMUM\",\"temperature\":20.04,\"humidity\":32.06,"
                                + "\"timestamp\":1700000000,\"city\":\"Mumbai\"}");

        String[] tags = {"city", "Mumbai", "device", "dev1", "id", "CITIMUM"};
        assertThat(points)
                .containsExactly(
                        point("environment", "temperature", 1_700_000_000_000L, 20.04, tags),
                        point("environment", "humidity", 1_700_000_000_000L, 32.06, tags));
        assertThat(points.get(0).seriesKey())
                .isEqualTo("environment,city=Mumbai,device=dev1,id=CITIMUM temperature");
    }

    @Test
    void nestedObjectsAreFlattenedAndNonNumericValuesIgnored() {
        List<MetricPoint> points =
                accept(
                        parser,
                        "sensors/dev2/telemetry",
                        "{\"env\":{\"temp\":-1.5,\"hum\":{\"rel\":40}},\"list\":[1,2,{\"x\":3}],"
                                + "\"on\":true,\"off\":null,\"note\":\"hello\",\"count\":7}");

        assertThat(points)
                .containsExactly(
                        point("environment", "env.temp", RECEIVED_AT, -1.5, "device", "dev2"),
                        point("environment", "env.hum.rel", RECEIVED_AT, 40, "device", "dev2"),
                        point("environment", "count", RECEIVED_AT, 7, "device", "dev2"));
    }

    @Test
    void eightLevelsOfNestingAreAllowed() {
        List<MetricPoint> points =
                accept(
                        parser,
                        "sensors/dev1/telemetry",
                        "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":{\"g\":{\"v\":1}}}}}}},"
                                + "\"arr\":[[[[[[[0]]]]]]]}");

        assertThat(points)
                .containsExactly(
                        point("environment", "a.b.c.d.e.f.g.v", RECEIVED_AT, 1, "device", "dev1"));
    }

    @Test
    void genericSensorRouteHasNoTopicTags() {
        List<MetricPoint> points =
                accept(parser, "sensors/lab/dev9/raw", "{\"host\":\"pi4\",\"cpu_temp\":51}");

        assertThat(points)
                .containsExactly(point("sensor", "cpu_temp", RECEIVED_AT, 51, "host", "pi4"));
    }

    @Test
    void payloadTagWinsOverTopicVariableOfTheSameName() {
        TelemetryParser custom =
                new TelemetryParser(
                        RoutingConfig.fromYaml(
                                "routes:\n"
                                        + "  - topic: plant/{line}/{cell}/metrics\n"
                                        + "    format: json\n"
                                        + "    measurement: plant\n"
                                        + "    tag-fields: [line]\n"),
                        ParserLimits.defaults());

        List<MetricPoint> points =
                accept(custom, "plant/L1/c3/metrics", "{\"line\":\"L7\",\"speed\":2.5}");

        assertThat(points)
                .containsExactly(
                        point("plant", "speed", RECEIVED_AT, 2.5, "cell", "c3", "line", "L7"));
    }

    @Test
    void numericTagFieldBecomesATagNotAPoint() {
        List<MetricPoint> points =
                accept(parser, "sensors/d/telemetry", "{\"id\":42,\"v\":-3,\"big\":1e300}");

        assertThat(points)
                .containsExactly(
                        point("environment", "v", RECEIVED_AT, -3, "device", "d", "id", "42"),
                        point("environment", "big", RECEIVED_AT, 1e300, "device", "d", "id", "42"));
    }

    @Test
    void hugeIntegerIsStillAFiniteValue() {
        List<MetricPoint> points =
                accept(parser, "sensors/d/telemetry", "{\"v\":123456789012345678901234567890}");

        assertThat(points.get(0).getValue()).isEqualTo(1.2345678901234568e29);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "1700000000                       | 1700000000000",
                "1700000000.5                     | 1700000000500",
                "1700000000123                    | 1700000000123",
                "1700000000123456                 | 1700000000123",
                "1700000000123456789              | 1700000000123",
                "1.700000000123e12                | 1700000000123",
                "0                                | 0",
                "'\"2023-11-14T22:13:20.123Z\"'   | 1700000000123",
                "'\"2023-11-14T23:13:20+01:00\"'  | 1700000000000",
                "'\"2023-11-14T22:13:20\"'        | 1700000000000",
                "'\"1700000000\"'                 | 1700000000000",
                "'\"2200-12-31T23:59:59.999Z\"'   | 7289654399999",
            })
    void timestampUnitIsDetected(String timestampJson, long expectedMillis) {
        List<MetricPoint> points =
                accept(
                        parser,
                        "sensors/dev1/telemetry",
                        "{\"v\":1,\"timestamp\":" + timestampJson + "}");

        assertThat(points).hasSize(1);
        assertThat(points.get(0).getTimestamp()).isEqualTo(expectedMillis);
    }
}
