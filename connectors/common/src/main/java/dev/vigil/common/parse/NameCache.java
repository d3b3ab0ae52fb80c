package dev.vigil.common.parse;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Decodes short UTF-8 byte ranges to strings, remembering recent ones: measurement, tag and field
 * names repeat in almost every message, so the common case allocates nothing. Direct-mapped (a
 * colliding name just replaces the slot); not thread-safe, one per parser.
 */
final class NameCache {

    private static final int SLOTS = 1024; // power of two
    private static final int MAX_CACHED_BYTES = 64;

    private final byte[][] keys = new byte[SLOTS][];
    private final String[] values = new String[SLOTS];

    /** The string of valid UTF-8 {@code bytes[start, end)}. */
    String decode(byte[] bytes, int start, int end) {
        int length = end - start;
        if (length > MAX_CACHED_BYTES) {
            return new String(bytes, start, length, StandardCharsets.UTF_8);
        }
        int hash = 0x811c9dc5;
        for (int i = start; i < end; i++) {
            hash = (hash ^ bytes[i]) * 0x01000193;
        }
        int slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
        byte[] key = keys[slot];
        if (key != null && Arrays.equals(key, 0, key.length, bytes, start, end)) {
            return values[slot];
        }
        String value = new String(bytes, start, length, StandardCharsets.UTF_8);
        keys[slot] = Arrays.copyOfRange(bytes, start, end);
        values[slot] = value;
        return value;
    }
}
