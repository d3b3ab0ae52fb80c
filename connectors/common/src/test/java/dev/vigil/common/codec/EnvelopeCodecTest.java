package dev.vigil.common.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.common.model.Envelope;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EnvelopeCodecTest {

    private static final long AT = 1_700_000_000_123L;

    @Test
    void roundTripKeepsTopicPayloadAndTime() throws Exception {
        Envelope in = Envelope.of("sensors/dev-1/telemetry", "{\"temperature\": 21.5}", AT);
        assertThat(EnvelopeCodec.decode(EnvelopeCodec.encode(in))).isEqualTo(in);
    }

    @Test
    void roundTripOfBinaryPayloadUnicodeTopicAndNoTopic() throws Exception {
        byte[] binary = new byte[300];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) i;
        }
        Envelope unicode = new Envelope("collectd/höst-ü/cpu-0/cpu-idle", binary, -5L);
        Envelope noTopic = new Envelope(null, new byte[0], 0L);
        assertThat(EnvelopeCodec.decode(EnvelopeCodec.encode(unicode))).isEqualTo(unicode);
        assertThat(EnvelopeCodec.decode(EnvelopeCodec.encode(noTopic))).isEqualTo(noTopic);
    }

    /** Every ASCII character takes the direct path; one non-ASCII byte the strict decoder. */
    @Test
    void asciiTopicsOfEveryCharacterAndMixedTopicsRoundTrip() throws Exception {
        StringBuilder ascii = new StringBuilder();
        for (char c = 0; c < 0x80; c++) {
            ascii.append(c);
        }
        for (String topic : List.of(ascii.toString(), "sensors/dev-00001/telemetry", "a/ü/b", "")) {
            Envelope e = Envelope.of(topic, "{}", AT);
            assertThat(EnvelopeCodec.decode(EnvelopeCodec.encode(e))).isEqualTo(e);
        }
    }

    @Test
    void layoutIsVersionTopicTimePayload() {
        byte[] bytes = EnvelopeCodec.encode(Envelope.of("a/b", "xy", 258L));
        assertThat(bytes).containsExactly(1, 4, 'a', '/', 'b', 0, 0, 0, 0, 0, 0, 1, 2, 2, 'x', 'y');
        assertThat(EnvelopeCodec.encodedSize(3, 2)).isEqualTo(bytes.length);
    }

    @Test
    void encodedSizeMatchesForLargePayloads() {
        byte[] payload = new byte[200_000];
        String topic = "sensors/" + "d".repeat(200) + "/telemetry";
        int topicBytes = topic.getBytes(StandardCharsets.UTF_8).length;
        assertThat(EnvelopeCodec.encode(new Envelope(topic, payload, AT)))
                .hasSize(EnvelopeCodec.encodedSize(topicBytes, payload.length));
    }

    @Test
    void nullPayloadIsEncodedAsEmpty() throws Exception {
        Envelope decoded =
                EnvelopeCodec.decode(EnvelopeCodec.encode(new Envelope("a/b", null, AT)));
        assertThat(decoded.getPayload()).isEmpty();
    }

    @Test
    void garbageIsRejectedWithAReason() {
        assertReason(new byte[0], "empty");
        assertReason(new byte[] {7, 0}, "unknown envelope version 7");
        assertReason(new byte[] {1, 10, 'a'}, "the topic has 9 bytes but only 1 remain");
        assertReason(new byte[] {1, 0, 0, 0}, "ends before the receive time");
        assertReason(new byte[] {1, (byte) 0x80}, "ends inside the topic length");
        assertReason(
                new byte[] {1, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0x7f},
                "negative");
        assertReason(
                new byte[] {1, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff},
                "longer than 5 bytes");
        assertReason(new byte[] {1, 2, (byte) 0xc3, 0, 0, 0, 0, 0, 0, 0, 0, 0}, "not valid UTF-8");
        byte[] trailing = Arrays.copyOf(EnvelopeCodec.encode(Envelope.of("a/b", "x", AT)), 16);
        assertReason(trailing, "1 unexpected bytes after the envelope");
    }

    @Test
    void tryDecodeReturnsNullForGarbage() {
        assertThat(EnvelopeCodec.tryDecode("{\"temperature\": 1}".getBytes(StandardCharsets.UTF_8)))
                .isNull();
        assertThat(EnvelopeCodec.tryDecode(null)).isNull();
    }

    @Test
    void decodeOrUnroutableKeepsTheBytesWithoutTopic() {
        byte[] garbage = {9, 9, 9};
        Envelope envelope = EnvelopeCodec.decodeOrUnroutable(garbage, AT);
        assertThat(envelope.getTopic()).isNull();
        assertThat(envelope.getPayload()).containsExactly(9, 9, 9);
        assertThat(envelope.getReceivedAt()).isEqualTo(AT);
        assertThat(EnvelopeCodec.decodeOrUnroutable(null, AT).getPayload()).isEmpty();
    }

    @Test
    void randomBytesNeverThrowAndTruncationsAreAlwaysGarbage() {
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = new byte[random.nextInt(40)];
            random.nextBytes(bytes);
            EnvelopeCodec.decodeOrUnroutable(bytes, AT); // must not throw
        }
        byte[] valid = EnvelopeCodec.encode(Envelope.of("sensors/d/telemetry", "{\"t\":1}", AT));
        for (int length = 0; length < valid.length; length++) {
            assertThat(EnvelopeCodec.tryDecode(Arrays.copyOf(valid, length)))
                    .as("prefix of %d bytes", length)
                    .isNull();
        }
    }

    @Test
    void partitionKeyIsTheSecondTopicLevel() {
        assertThat(EnvelopeCodec.partitionKey("sensors/dev-1/telemetry")).isEqualTo("dev-1");
        assertThat(EnvelopeCodec.partitionKey("telegraf/web-3")).isEqualTo("web-3");
        assertThat(EnvelopeCodec.partitionKey("collectd/db-2/cpu-0/cpu-idle")).isEqualTo("db-2");
        assertThat(EnvelopeCodec.partitionKey("lonely")).isEqualTo("lonely");
        assertThat(EnvelopeCodec.partitionKey("a//b")).isEqualTo("a//b");
        assertThat(EnvelopeCodec.partitionKey(null)).isEmpty();
        assertThat(EnvelopeCodec.partitionKey("")).isEmpty();
    }

    private static void assertReason(byte[] bytes, String reason) {
        assertThatThrownBy(() -> EnvelopeCodec.decode(bytes))
                .isInstanceOf(EnvelopeCodecException.class)
                .hasMessageContaining(reason);
        assertThat(EnvelopeCodec.tryDecode(bytes)).isNull();
    }
}
