package dev.vigil.pipeline.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Strings on the wire of vigil's own serializers. An ASCII string (the usual measurement, field and
 * tag) is a varint header and its bytes, so both directions are a bulk array copy inside the JDK —
 * Flink's {@code StringValue} encodes and decodes char by char, and its {@code readString} was the
 * largest item of deserializing a point ({@code bench/PROFILE.md}, round 4). Any other string goes
 * through {@code StringValue} after its header, so every string round-trips exactly (unpaired
 * surrogates included, which a JSON escape can produce).
 *
 * <p>Header: 0 = {@code null}; 1 = a {@code StringValue} follows; 2·n + 2 = n ASCII bytes follow.
 */
public final class WireStrings {

    private WireStrings() {}

    private static final int NULL = 0;
    private static final int STRING_VALUE = 1;

    public static void write(String s, DataOutputView out) throws IOException {
        if (s == null) {
            writeVarInt(NULL, out);
            return;
        }
        if (isAscii(s)) {
            writeVarInt(2 * s.length() + 2, out);
            // not out.writeBytes(s): Flink 1.20's DataOutputSerializer advances its position twice
            out.write(s.getBytes(StandardCharsets.ISO_8859_1));
        } else {
            writeVarInt(STRING_VALUE, out);
            StringValue.writeString(s, out);
        }
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** Writes every string of {@code strings}, as {@link #write}; the count is the caller's. */
    public static void writeEach(String[] strings, DataOutputView out) throws IOException {
        for (String s : strings) {
            write(s, out);
        }
    }

    /** Reads {@code n} strings written by {@link #writeEach}. */
    public static String[] readEach(int n, DataInputView in) throws IOException {
        String[] strings = new String[n];
        for (int i = 0; i < n; i++) {
            strings[i] = read(in);
        }
        return strings;
    }

    public static String read(DataInputView in) throws IOException {
        int header = readVarInt(in);
        if (header == NULL) {
            return null;
        }
        if (header == STRING_VALUE) {
            return StringValue.readString(in);
        }
        if ((header & 1) != 0) {
            throw new IOException("Malformed string header " + header + " in serialized data");
        }
        byte[] bytes = new byte[(header - 2) >>> 1];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    public static void writeVarInt(int value, DataOutputView out) throws IOException {
        int v = value;
        while ((v & ~0x7F) != 0) {
            out.writeByte((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.writeByte(v);
    }

    public static int readVarInt(DataInputView in) throws IOException {
        int value = 0;
        for (int shift = 0; shift < 32; shift += 7) {
            int b = in.readUnsignedByte();
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IOException("Malformed varint in a serialized string length");
    }
}
