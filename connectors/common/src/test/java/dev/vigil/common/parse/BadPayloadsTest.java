package dev.vigil.common.parse;

import static dev.vigil.common.parse.ParserFixtures.RECEIVED_AT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.common.model.Envelope;
import dev.vigil.common.model.MetricPoint;
import dev.vigil.common.model.Reject;
import dev.vigil.common.model.RejectReason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The corpus of bad payloads: {@code bad-payloads.tsv} plus generated ones (sizes, counts and
 * lengths that are awkward to write by hand). Each must be rejected with its reason, with nothing
 * appended to the output and a non-null excerpt.
 */
class BadPayloadsTest {

    private static final TelemetryParser PARSER = ParserFixtures.builtInParser();

    @ParameterizedTest(name = "[{index}] {0} {3}")
    @MethodSource("corpus")
    void isRejectedWithItsReason(
            RejectReason expected, String topic, byte[] payload, String description) {
        Reject reject = ParserFixtures.reject(PARSER, new Envelope(topic, payload, RECEIVED_AT));

        assertThat(reject.getReason()).as(reject.getDetail()).isEqualTo(expected);
        assertThat(reject.getExcerpt().length()).isLessThanOrEqualTo(Reject.EXCERPT_LIMIT);
    }

    @Test
    void corpusCoversEveryParsingReasonWithAtLeastSixtyPayloads() {
        List<Arguments> cases = corpus().toList();

        assertThat(cases).hasSizeGreaterThanOrEqualTo(60);
        assertThat(cases.stream().map(c -> (RejectReason) c.get()[0]).distinct())
                .containsExactlyInAnyOrder(
                        RejectReason.EMPTY_PAYLOAD,
                        RejectReason.PAYLOAD_TOO_LARGE,
                        RejectReason.INVALID_UTF8,
                        RejectReason.UNKNOWN_TOPIC,
                        RejectReason.MALFORMED,
                        RejectReason.NO_NUMERIC_FIELDS,
                        RejectReason.NON_FINITE_VALUE,
                        RejectReason.TOO_MANY_FIELDS,
                        RejectReason.BAD_TIMESTAMP,
                        RejectReason.INVALID_NAME);
    }

    @Test
    void rejectKeepsPointsAlreadyInTheOutputList() {
        List<MetricPoint> out = new ArrayList<>();
        MetricPoint earlier = ParserFixtures.point("m", "f", 1L, 1.0);
        out.add(earlier);

        Reject reject =
                PARSER.parse(
                        Envelope.of("telegraf/h1", "cpu v=1\nmem v=2\ndisk v=x", RECEIVED_AT), out);

        assertThat(reject.getReason()).isEqualTo(RejectReason.MALFORMED);
        assertThat(reject.getDetail()).isEqualTo("Line 3: 'x' is not a valid value for field 'v'.");
        assertThat(out).containsExactly(earlier);
    }

    @Test
    void nullEnvelopePartsAreRejectedNotThrown() {
        List<MetricPoint> out = new ArrayList<>();

        assertThat(PARSER.parse(null, out).getReason()).isEqualTo(RejectReason.EMPTY_PAYLOAD);
        assertThat(PARSER.parse(new Envelope("telegraf/h1", null, 5L), out).getReason())
                .isEqualTo(RejectReason.EMPTY_PAYLOAD);
        Reject noTopic = PARSER.parse(Envelope.of(null, "cpu v=1", 5L), out);
        assertThat(noTopic.getReason()).isEqualTo(RejectReason.UNKNOWN_TOPIC);
        assertThat(noTopic.getDetail()).isEqualTo("The message has no topic.");
        assertThat(out).isEmpty();
    }

    static Stream<Arguments> corpus() {
        return Stream.concat(fromTsv(), generated());
    }

    private static Stream<Arguments> generated() {
        String json = "sensors/dev1/telemetry";
        String lp = "telegraf/h1";
        String oversized = "{\"a\":\"" + "x".repeat(ParserLimits.DEFAULT_MAX_PAYLOAD_BYTES) + "\"}";
        byte[] oversizedInvalid = new byte[ParserLimits.DEFAULT_MAX_PAYLOAD_BYTES + 1];
        oversizedInvalid[0] = (byte) 0xFF;
        return Stream.of(
                generated(RejectReason.PAYLOAD_TOO_LARGE, json, oversized, "JSON over 64 KiB"),
                generated(
                        RejectReason.PAYLOAD_TOO_LARGE,
                        lp,
                        "cpu v=1\n".repeat(9000),
                        "line protocol over 64 KiB"),
                Arguments.of(
                        RejectReason.PAYLOAD_TOO_LARGE,
                        "unknown/topic",
                        oversizedInvalid,
                        "size is checked before UTF-8 and topic"),
                generated(RejectReason.TOO_MANY_FIELDS, json, jsonFields(1001), "1001 JSON fields"),
                generated(
                        RejectReason.TOO_MANY_FIELDS,
                        lp,
                        "cpu " + lpFields(1001),
                        "1001 fields on one line"),
                generated(
                        RejectReason.TOO_MANY_FIELDS,
                        lp,
                        "cpu " + lpFields(500) + "\nmem " + lpFields(501),
                        "1001 fields over two lines"),
                generated(
                        RejectReason.TOO_MANY_FIELDS,
                        "collectd/h1/custom/many",
                        "N" + ":1".repeat(1001),
                        "1001 collectd values"),
                generated(
                        RejectReason.INVALID_NAME,
                        json,
                        "{\"" + "f".repeat(257) + "\":1}",
                        "257-character JSON field name"),
                generated(
                        RejectReason.INVALID_NAME,
                        json,
                        "{\"o\":{\"" + "f".repeat(255) + "\":1}}",
                        "flattened name over 256 characters"),
                generated(
                        RejectReason.INVALID_NAME,
                        json,
                        "{\"a\":1,\"city\":\"" + "c".repeat(1025) + "\"}",
                        "1025-character JSON tag value"),
                generated(
                        RejectReason.INVALID_NAME,
                        lp,
                        "m".repeat(257) + " v=1",
                        "257-character measurement"),
                generated(
                        RejectReason.INVALID_NAME,
                        lp,
                        "cpu " + "f".repeat(257) + "=1",
                        "257-character field key"),
                generated(
                        RejectReason.INVALID_NAME,
                        lp,
                        "cpu," + "k".repeat(257) + "=a v=1",
                        "257-character tag key"),
                generated(
                        RejectReason.INVALID_NAME,
                        lp,
                        "cpu,k=" + "v".repeat(1025) + " v=1",
                        "1025-character tag value"),
                generated(
                        RejectReason.INVALID_NAME,
                        "sensors/" + "d".repeat(1025) + "/telemetry",
                        "{\"a\":1}",
                        "1025-character topic variable"),
                generated(
                        RejectReason.INVALID_NAME,
                        "collectd/" + "h".repeat(1025) + "/cpu/percent",
                        "N:1",
                        "1025-character collectd host"));
    }

    private static String jsonFields(int count) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < count; i++) {
            sb.append(i == 0 ? "" : ",").append("\"f").append(i).append("\":").append(i);
        }
        return sb.append('}').toString();
    }

    private static String lpFields(int count) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++) {
            sb.append(i == 0 ? "" : ",").append('f').append(i).append('=').append(i);
        }
        return sb.toString();
    }

    private static Arguments generated(
            RejectReason reason, String topic, String payload, String description) {
        return Arguments.of(reason, topic, payload.getBytes(StandardCharsets.UTF_8), description);
    }

    private static Stream<Arguments> fromTsv() {
        List<Arguments> rows = new ArrayList<>();
        for (String line : readResource("/bad-payloads.tsv").split("\n", -1)) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] columns = line.split("\t", -1);
            if (columns.length != 4) {
                throw new IllegalStateException("expected 4 columns: " + line);
            }
            rows.add(
                    Arguments.of(
                            RejectReason.valueOf(columns[0]),
                            columns[1],
                            unescape(columns[2]),
                            columns[3]));
        }
        return rows.stream();
    }

    /** Decodes {@code \n \r \t \0 \\ \xNN} (a raw byte); everything else is UTF-8 text. */
    static byte[] unescape(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '\\') {
                int next = text.indexOf('\\', i);
                String chunk = text.substring(i, next < 0 ? text.length() : next);
                bytes.writeBytes(chunk.getBytes(StandardCharsets.UTF_8));
                i += chunk.length();
                continue;
            }
            char escape = text.charAt(i + 1);
            switch (escape) {
                case 'n' -> bytes.write('\n');
                case 'r' -> bytes.write('\r');
                case 't' -> bytes.write('\t');
                case '0' -> bytes.write(0);
                case '\\' -> bytes.write('\\');
                case 'x' -> {
                    bytes.write(Integer.parseInt(text.substring(i + 2, i + 4), 16));
                    i += 2;
                }
                default -> throw new IllegalArgumentException("unknown escape in " + text);
            }
            i += 2;
        }
        return bytes.toByteArray();
    }

    private static String readResource(String name) {
        try (InputStream in = BadPayloadsTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
