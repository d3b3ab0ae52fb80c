package dev.vigil.common.model;

import java.util.Arrays;

/**
 * Canonical series keys and their stable 64-bit ids. Stable across JVMs and versions: never change
 * the hash.
 */
public final class SeriesIdentity {

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private SeriesIdentity() {}

    /** {@code measurement,k1=v1,k2=v2 field} — for display and logs (not line-protocol escaped). */
    public static String seriesKey(String measurement, String[] tags, String field) {
        StringBuilder sb = new StringBuilder(64).append(measurement);
        for (int i = 0; i + 1 < tags.length; i += 2) {
            sb.append(',').append(tags[i]).append('=').append(tags[i + 1]);
        }
        return sb.append(' ').append(field).toString();
    }

    /**
     * FNV-1a over the UTF-8 bytes of the parts (with separators that cannot be confused), finished
     * with a murmur3-style mix so that close keys spread over all Flink key groups.
     */
    public static long seriesId(String measurement, String[] tags, String field) {
        long h = FNV_OFFSET;
        h = hash(h, measurement);
        for (String part : tags) {
            h = hash(h ^ 0x1f, part);
        }
        h = hash(h ^ 0x1e, field);
        return mix(h);
    }

    /**
     * FNV-1a over the UTF-8 bytes of {@code s}, exactly as of {@code s.getBytes(UTF_8)} (a lone
     * surrogate is a {@code '?'}), encoded on the fly: no byte array per name (the ids are computed
     * for every parsed point).
     */
    private static long hash(long h, String s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                h = fnv(h, c);
            } else if (c < 0x800) {
                h = fnv(fnv(h, 0xc0 | (c >> 6)), 0x80 | (c & 0x3f));
            } else if (!Character.isSurrogate(c)) {
                h = fnv(fnv(fnv(h, 0xe0 | (c >> 12)), 0x80 | ((c >> 6) & 0x3f)), 0x80 | (c & 0x3f));
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < n
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                h = fnv(h, 0xf0 | (cp >> 18));
                h = fnv(h, 0x80 | ((cp >> 12) & 0x3f));
                h = fnv(h, 0x80 | ((cp >> 6) & 0x3f));
                h = fnv(h, 0x80 | (cp & 0x3f));
            } else {
                h = fnv(h, '?'); // what the UTF-8 encoder writes for a lone surrogate
            }
        }
        return fnv(h, 0xff); // terminator: "ab"+"c" != "a"+"bc"
    }

    private static long fnv(long h, int octet) {
        return (h ^ octet) * FNV_PRIME;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }

    /**
     * Returns {@code [k1, v1, k2, v2, ...]} sorted by key from alternating key/value input (last
     * value wins for a duplicate key).
     */
    public static String[] sortTags(String... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException(
                    "tags must be key/value pairs, got " + keyValues.length + " items");
        }
        int n = keyValues.length / 2;
        String[][] pairs = new String[n][];
        for (int i = 0; i < n; i++) {
            pairs[i] = new String[] {keyValues[2 * i], keyValues[2 * i + 1]};
        }
        Arrays.sort(pairs, (a, b) -> a[0].compareTo(b[0]));
        String[] out = new String[2 * n];
        int size = 0;
        for (String[] pair : pairs) {
            if (size > 0 && out[size - 2].equals(pair[0])) {
                out[size - 1] = pair[1];
            } else {
                out[size++] = pair[0];
                out[size++] = pair[1];
            }
        }
        return size == out.length ? out : Arrays.copyOf(out, size);
    }
}
