package dev.vigil.common.parse;

import static dev.vigil.common.parse.ParserFixtures.RECEIVED_AT;
import static dev.vigil.common.parse.ParserFixtures.accept;
import static dev.vigil.common.parse.ParserFixtures.point;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.common.model.Envelope;
import dev.vigil.common.model.MetricPoint;
import dev.vigil.common.model.Reject;
import dev.vigil.common.model.RejectReason;
import dev.vigil.common.routing.RoutingConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cross-format behaviour: routing precedence, check order, details, excerpts, serialization. */
class TelemetryParserTest {

    private final TelemetryParser parser = ParserFixtures.builtInParser();

    @Test
    void firstMatchingRouteWins() {
        assertThat(accept(parser, "sensors/d1/telemetry", "{\"v\":1}"))
                .containsExactly(point("environment", "v", RECEIVED_AT, 1, "device", "d1"));
        assertThat(accept(parser, "sensors/d1/status", "{\"v\":1}"))
                .containsExactly(point("sensor", "v", RECEIVED_AT, 1));

        TelemetryParser catchAllFirst =
                new TelemetryParser(
                        RoutingConfig.fromYaml(
                                "routes:\n"
                                        + "  - {topic: '#', format: line-protocol}\n"
                                        + "  - {topic: 'sensors/+/telemetry', format: json,"
                                        + " measurement: never}\n"),
                        ParserLimits.defaults());
        assertThat(accept(catchAllFirst, "sensors/d1/telemetry", "m v=1"))
                .containsExactly(point("m", "v", RECEIVED_AT, 1));
    }

    @Test
    void sizeIsCheckedAgainstTheConfiguredLimit() {
        TelemetryParser small =
                new TelemetryParser(RoutingConfig.builtIn(), new ParserLimits(10, 2));

        assertThat(accept(small, "telegraf/h", "m v=1,w=2")).hasSize(2);
        Reject tooLarge =
                ParserFixtures.reject(small, Envelope.of("telegraf/h", "m v=1,w=2 1", 7L));
        assertThat(tooLarge.getReason()).isEqualTo(RejectReason.PAYLOAD_TOO_LARGE);
        assertThat(tooLarge.getDetail())
                .isEqualTo("The payload has 11 bytes, more than the limit of 10.");
        Reject tooMany = ParserFixtures.reject(small, Envelope.of("collectd/h/x/y", "N:1:2:3", 7L));
        assertThat(tooMany.getReason()).isEqualTo(RejectReason.TOO_MANY_FIELDS);
    }

    @Test
    void detailsNameTheProblem() {
        assertThat(detail("sensors/d/telemetry", "{\"a\":1e400}"))
                .isEqualTo("Field 'a' is too large to be a finite number.");
        assertThat(detail("telegraf/h", "cpu v=1\ncpu,host= v=1"))
                .isEqualTo("Line 2: tag 'host' has an empty value.");
        assertThat(detail("telegraf/h", "cpu v=1 abc"))
                .isEqualTo("Line 1: timestamp 'abc' is not an integer.");
        assertThat(detail("collectd/h/load/load", "N:1:2"))
                .isEqualTo(
                        "The collectd type 'load' has 3 values [shortterm, midterm, longterm], the"
                                + " payload has 2.");
        assertThat(detail("nowhere", "{}")).isEqualTo("No route matches topic 'nowhere'.");
        assertThat(
                        detail(
                                "sensors/d/telemetry",
                                "{\"a\":1,\"timestamp\":\"3000-01-01T00:00:00Z\"}"))
                .isEqualTo(
                        "Timestamp field 'timestamp' holds '3000-01-01T00:00:00Z', not an epoch"
                                + " time or ISO-8601 date-time in years 1970 to 2200.");
        assertThat(
                        ParserFixtures.reject(
                                        parser,
                                        new Envelope(
                                                "telegraf/h",
                                                new byte[] {'c', ' ', (byte) 0xC3, '('},
                                                1L))
                                .getDetail())
                .isEqualTo("The payload is not valid UTF-8: byte 0xC3 at offset 2.");
    }

    @Test
    void excerptEscapesNonPrintableBytesAndKeepsUnicode() {
        byte[] payload = {'a', '\n', 'b', 0, (byte) 0xFF, (byte) 0xC3, (byte) 0xA9, '\t', 'z'};

        Reject reject = ParserFixtures.reject(parser, new Envelope("telegraf/h", payload, 1L));

        assertThat(reject.getExcerpt()).isEqualTo("a\\x0Ab\\x00\\xFFé\\x09z");
    }

    @Test
    void excerptIsCutAtTwoHundredCharacters() {
        String payload = "cpu v=" + "x".repeat(500);

        Reject reject = ParserFixtures.reject(parser, Envelope.of("telegraf/h", payload, 1L));

        assertThat(reject.getExcerpt()).isEqualTo(payload.substring(0, 200));
        String binary = "\u0001".repeat(100);
        assertThat(
                        ParserFixtures.reject(parser, Envelope.of("telegraf/h", binary, 1L))
                                .getExcerpt())
                .isEqualTo("\\x01".repeat(50));
    }

    @Test
    void parserIsReusableAcrossMessagesAndFormats() {
        for (int i = 0; i < 3; i++) {
            assertThat(accept(parser, "telegraf/h", "cpu,a=1 v=" + i))
                    .containsExactly(point("cpu", "v", RECEIVED_AT, i, "a", "1", "host", "h"));
            assertThat(accept(parser, "sensors/d/telemetry", "{\"id\":\"x" + i + "\",\"v\":2}"))
                    .containsExactly(
                            point(
                                    "environment",
                                    "v",
                                    RECEIVED_AT,
                                    2,
                                    "device",
                                    "d",
                                    "id",
                                    "x" + i));
            assertThat(accept(parser, "collectd/h/load/load", "N:1:2:3")).hasSize(3);
            ParserFixtures.reject(parser, Envelope.of("telegraf/h", "cpu v=", 1L));
        }
    }

    @Test
    void survivesJavaSerialization() throws IOException, ClassNotFoundException {
        accept(parser, "telegraf/h", "warm v=1");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(parser);
        }
        TelemetryParser copy;
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (TelemetryParser) in.readObject();
        }

        assertThat(accept(copy, "telegraf/h", "cpu v=2"))
                .containsExactly(point("cpu", "v", RECEIVED_AT, 2, "host", "h"));
    }

    private String detail(String topic, String payload) {
        List<MetricPoint> out = new ArrayList<>();
        Reject reject = parser.parse(Envelope.of(topic, payload, RECEIVED_AT), out);
        assertThat(reject).isNotNull();
        return reject.getDetail();
    }
}
