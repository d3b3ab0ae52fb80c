package dev.vigil.common.parse;

/** Strict UTF-8 checks over bytes, without decoding (no overlongs, no surrogates, max U+10FFFF). */
final class Utf8 {

    private Utf8() {}

    /** Offset of the first byte that does not start a valid sequence, or -1 if all is valid. */
    static int firstInvalid(byte[] bytes, int length) {
        int i = 0;
        while (i < length) {
            if (bytes[i] >= 0) {
                i++;
                continue;
            }
            int sequence = sequenceLength(bytes, i, length);
            if (sequence == 0) {
                return i;
            }
            i += sequence;
        }
        return -1;
    }

    /**
     * Length (1..4) of the valid UTF-8 sequence starting at {@code i}, or 0 if the bytes there are
     * not valid UTF-8.
     */
    static int sequenceLength(byte[] bytes, int i, int end) {
        int lead = bytes[i] & 0xff;
        if (lead < 0x80) {
            return 1;
        }
        if (lead < 0xC2) {
            return 0; // continuation byte or overlong 2-byte lead
        }
        if (lead < 0xE0) {
            return continuation(bytes, i + 1, end, 0x80, 0xBF) ? 2 : 0;
        }
        if (lead < 0xF0) {
            int low = lead == 0xE0 ? 0xA0 : 0x80; // overlong
            int high = lead == 0xED ? 0x9F : 0xBF; // surrogates
            return continuation(bytes, i + 1, end, low, high)
                            && continuation(bytes, i + 2, end, 0x80, 0xBF)
                    ? 3
                    : 0;
        }
        if (lead < 0xF5) {
            int low = lead == 0xF0 ? 0x90 : 0x80; // overlong
            int high = lead == 0xF4 ? 0x8F : 0xBF; // above U+10FFFF
            return continuation(bytes, i + 1, end, low, high)
                            && continuation(bytes, i + 2, end, 0x80, 0xBF)
                            && continuation(bytes, i + 3, end, 0x80, 0xBF)
                    ? 4
                    : 0;
        }
        return 0;
    }

    private static boolean continuation(byte[] bytes, int i, int end, int low, int high) {
        if (i >= end) {
            return false;
        }
        int b = bytes[i] & 0xff;
        return b >= low && b <= high;
    }

    /** The code point of the valid sequence of {@code length} bytes at {@code i}. */
    static int decode(byte[] bytes, int i, int length) {
        int lead = bytes[i] & 0xff;
        switch (length) {
            case 1:
                return lead;
            case 2:
                return ((lead & 0x1F) << 6) | (bytes[i + 1] & 0x3F);
            case 3:
                return ((lead & 0x0F) << 12) | ((bytes[i + 1] & 0x3F) << 6) | (bytes[i + 2] & 0x3F);
            default:
                return ((lead & 0x07) << 18)
                        | ((bytes[i + 1] & 0x3F) << 12)
                        | ((bytes[i + 2] & 0x3F) << 6)
                        | (bytes[i + 3] & 0x3F);
        }
    }
}
