package dev.vigil.common.codec;

import dev.vigil.common.model.Envelope;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The one binary encoding of an {@link Envelope} on the transport (Kafka record values, Kinesis
 * record data), written by the MQTT bridge and read by the job:
 *
 * <pre>
 * byte    version (= 1)
 * varint  topic length in UTF-8 bytes + 1 (0 = no topic)
 * bytes   topic (UTF-8)
 * long    receivedAt, epoch milliseconds, big-endian (8 bytes)
 * varint  payload length
 * bytes   payload
 * </pre>
 *
 * Varints are unsigned LEB128 (7 bits per byte, low bits first), at most 5 bytes. A 40-byte topic
 * and an 80-byte payload encode to 131 bytes. Decoding is strict: trailing bytes, truncation,
 * lengths beyond the input, an unknown version or a topic that is not UTF-8 make the input garbage.
 *
 * <p>The job must never fail on garbage: it uses {@link #decodeOrUnroutable}, which turns garbage
 * into an envelope without topic that the parser rejects (and counts) like any other bad message.
 */
public final class EnvelopeCodec {

    /** First byte of every encoded envelope. A new layout gets a new version; readers keep old. */
    public static final byte VERSION_1 = 1;

    /** Fixed bytes of an encoded envelope besides the topic and payload bytes and their lengths. */
    private static final int FIXED_BYTES = 1 + Long.BYTES;

    private static final int MAX_VARINT_BYTES = 5;

    private EnvelopeCodec() {}

    /** Encodes {@code envelope}; a {@code null} payload is encoded as an empty one. */
    public static byte[] encode(Envelope envelope) {
        byte[] topic =
                envelope.getTopic() == null
                        ? null
                        : envelope.getTopic().getBytes(StandardCharsets.UTF_8);
        byte[] payload = envelope.getPayload() == null ? new byte[0] : envelope.getPayload();
        int topicField = topic == null ? 0 : topic.length + 1;
        ByteBuffer out =
                ByteBuffer.allocate(
                        FIXED_BYTES
                                + varintSize(topicField)
                                + (topic == null ? 0 : topic.length)
                                + varintSize(payload.length)
                                + payload.length);
        out.put(VERSION_1);
        putVarint(out, topicField);
        if (topic != null) {
            out.put(topic);
        }
        out.putLong(envelope.getReceivedAt());
        putVarint(out, payload.length);
        out.put(payload);
        return out.array();
    }

    /**
     * The size {@link #encode} produces for a topic of {@code topicBytes} UTF-8 bytes and a payload
     * of {@code payloadBytes} bytes, without encoding (the bridge checks record limits with it).
     */
    public static int encodedSize(int topicBytes, int payloadBytes) {
        return FIXED_BYTES
                + varintSize(topicBytes + 1)
                + topicBytes
                + varintSize(payloadBytes)
                + payloadBytes;
    }

    /**
     * Decodes {@code bytes}.
     *
     * @throws EnvelopeCodecException when the bytes are not an encoded envelope
     */
    public static Envelope decode(byte[] bytes) throws EnvelopeCodecException {
        if (bytes == null || bytes.length == 0) {
            throw new EnvelopeCodecException("the record is empty");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        byte version = in.get();
        if (version != VERSION_1) {
            throw new EnvelopeCodecException(
                    "unknown envelope version " + (version & 0xff) + ", expected " + VERSION_1);
        }
        int topicField = getLength(in, "topic");
        String topic = topicField == 0 ? null : topic(in, topicField - 1);
        if (in.remaining() < Long.BYTES) {
            throw new EnvelopeCodecException("the record ends before the receive time");
        }
        long receivedAt = in.getLong();
        byte[] payload = getBytes(in, getLength(in, "payload"), "payload");
        if (in.hasRemaining()) {
            throw new EnvelopeCodecException(
                    in.remaining() + " unexpected bytes after the envelope");
        }
        return new Envelope(topic, payload, receivedAt);
    }

    /** Decodes {@code bytes}, or returns {@code null} when they are not an encoded envelope. */
    public static Envelope tryDecode(byte[] bytes) {
        try {
            return decode(bytes);
        } catch (EnvelopeCodecException e) {
            return null;
        }
    }

    /**
     * Decodes {@code bytes}; garbage becomes an envelope with a {@code null} topic, the raw bytes
     * as payload and {@code fallbackReceivedAt}, which the parser rejects as {@code UNKNOWN_TOPIC}
     * ("the message has no topic"). Never throws.
     */
    public static Envelope decodeOrUnroutable(byte[] bytes, long fallbackReceivedAt) {
        Envelope envelope = tryDecode(bytes);
        if (envelope != null) {
            return envelope;
        }
        return new Envelope(null, bytes == null ? new byte[0] : bytes, fallbackReceivedAt);
    }

    /**
     * The transport partition key of an MQTT topic: its second level, the device or host in every
     * routed topic ({@code sensors/<device>/telemetry}, {@code telegraf/<host>}, {@code
     * collectd/<host>/...}), so all messages of one series go to the same Kafka partition or
     * Kinesis shard and keep their order. A topic with one level is its own key; no topic gives
     * {@code ""}.
     */
    public static String partitionKey(String topic) {
        if (topic == null) {
            return "";
        }
        long range = partitionKeyRange(topic);
        return topic.substring((int) (range >>> 32), (int) range);
    }

    /**
     * Where {@link #partitionKey} lies in a non-null {@code topic}, as {@code start << 32 | end}:
     * for callers that look the key up without cutting a string per message.
     */
    public static long partitionKeyRange(String topic) {
        int first = topic.indexOf('/');
        if (first < 0) {
            return topic.length();
        }
        int second = topic.indexOf('/', first + 1);
        int end = second < 0 ? topic.length() : second;
        return end == first + 1 ? topic.length() : (long) (first + 1) << 32 | end;
    }

    // ------------------------------------------------------------------ varints and fields

    static int varintSize(int value) {
        int size = 1;
        while ((value & ~0x7f) != 0) {
            value >>>= 7;
            size++;
        }
        return size;
    }

    private static void putVarint(ByteBuffer out, int value) {
        while ((value & ~0x7f) != 0) {
            out.put((byte) ((value & 0x7f) | 0x80));
            value >>>= 7;
        }
        out.put((byte) value);
    }

    private static int getLength(ByteBuffer in, String what) throws EnvelopeCodecException {
        int value = 0;
        for (int i = 0; i < MAX_VARINT_BYTES; i++) {
            if (!in.hasRemaining()) {
                throw new EnvelopeCodecException("the record ends inside the " + what + " length");
            }
            byte b = in.get();
            value |= (b & 0x7f) << (7 * i);
            if ((b & 0x80) == 0) {
                if (value < 0) {
                    throw new EnvelopeCodecException("the " + what + " length is negative");
                }
                return value;
            }
        }
        throw new EnvelopeCodecException("the " + what + " length is longer than 5 bytes");
    }

    private static byte[] getBytes(ByteBuffer in, int length, String what)
            throws EnvelopeCodecException {
        requireRemaining(in, length, what);
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }

    private static void requireRemaining(ByteBuffer in, int length, String what)
            throws EnvelopeCodecException {
        if (length > in.remaining()) {
            throw new EnvelopeCodecException(
                    "the "
                            + what
                            + " has "
                            + length
                            + " bytes but only "
                            + in.remaining()
                            + " remain");
        }
    }

    /**
     * The topic of {@code length} bytes at the buffer's position. ASCII (every routed topic in
     * practice) is copied into a string directly; anything else goes through a strict UTF-8
     * decoder, which rejects malformed input (decoded per record, the decoder was most of the
     * topic's cost).
     */
    private static String topic(ByteBuffer in, int length) throws EnvelopeCodecException {
        requireRemaining(in, length, "topic");
        byte[] array = in.array();
        int start = in.arrayOffset() + in.position();
        if (isAscii(array, start, length)) {
            in.position(in.position() + length);
            return new String(array, start, length, StandardCharsets.ISO_8859_1);
        }
        return utf8(getBytes(in, length, "topic"));
    }

    private static boolean isAscii(byte[] bytes, int start, int length) {
        for (int i = start; i < start + length; i++) {
            if (bytes[i] < 0) {
                return false;
            }
        }
        return true;
    }

    private static String utf8(byte[] bytes) throws EnvelopeCodecException {
        CharsetDecoder decoder =
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            return decoder.decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new EnvelopeCodecException("the topic is not valid UTF-8");
        }
    }
}
