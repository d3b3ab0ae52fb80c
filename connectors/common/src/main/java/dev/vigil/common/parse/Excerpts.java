package dev.vigil.common.parse;

import dev.vigil.common.model.Reject;

/**
 * Payload excerpts for rejects: at most {@link Reject#EXCERPT_LIMIT} characters, printable text
 * kept, every other byte (controls, invalid UTF-8, invisible formatting characters) written as
 * {@code \xNN}.
 */
public final class Excerpts {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private Excerpts() {}

    /** Never null; empty for a null or empty payload. */
    public static String of(byte[] payload) {
        if (payload == null) {
            return "";
        }
        return of(payload, 0, payload.length, Reject.EXCERPT_LIMIT);
    }

    /** {@code payload[start, end)} as at most {@code limit} characters, escaped as above. */
    static String of(byte[] payload, int start, int end, int limit) {
        StringBuilder sb = new StringBuilder(Math.min(end - start, limit) + 8);
        int i = start;
        while (i < end) {
            int b = payload[i] & 0xff;
            if (b >= 0x20 && b < 0x7f) {
                if (sb.length() + 1 > limit) {
                    break;
                }
                sb.append((char) b);
                i++;
                continue;
            }
            int sequence = b >= 0x80 ? Utf8.sequenceLength(payload, i, end) : 0;
            if (sequence > 1) {
                int codePoint = Utf8.decode(payload, i, sequence);
                if (isVisible(codePoint)) {
                    if (sb.length() + Character.charCount(codePoint) > limit) {
                        break;
                    }
                    sb.appendCodePoint(codePoint);
                    i += sequence;
                    continue;
                }
            }
            int bytes = Math.max(sequence, 1);
            if (sb.length() + 4 * bytes > limit) {
                break;
            }
            for (int k = 0; k < bytes; k++) {
                appendEscaped(sb, payload[i + k] & 0xff);
            }
            i += bytes;
        }
        return sb.toString();
    }

    private static void appendEscaped(StringBuilder sb, int b) {
        sb.append('\\').append('x').append(HEX[b >> 4]).append(HEX[b & 0xF]);
    }

    private static boolean isVisible(int codePoint) {
        switch (Character.getType(codePoint)) {
            case Character.CONTROL:
            case Character.FORMAT:
            case Character.LINE_SEPARATOR:
            case Character.PARAGRAPH_SEPARATOR:
            case Character.UNASSIGNED:
            case Character.PRIVATE_USE:
            case Character.SURROGATE:
                return false;
            default:
                return true;
        }
    }
}
