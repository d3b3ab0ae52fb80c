package dev.vigil.common.parse;

import java.nio.charset.StandardCharsets;

/** Number parsing straight from payload bytes (no intermediate strings on the common path). */
final class Numbers {

    /** Returned by {@link #parseDouble} when the text is not a decimal number. */
    static final double NOT_A_NUMBER = Double.NaN;

    private static final double[] POWERS_OF_TEN = new double[23];

    static {
        double p = 1.0;
        for (int i = 0; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = p;
            p *= 10.0;
        }
    }

    private static final long MANTISSA_LIMIT = 1L << 53;
    private static final long ACCUMULATE_BELOW = 100_000_000_000_000_000L; // 1e17

    private Numbers() {}

    /**
     * Parses {@code [+-]digits[.digits][(e|E)[+-]digits]} (digits on at least one side of the
     * point) from {@code bytes[start, end)}. Returns {@link #NOT_A_NUMBER} (NaN) for any other
     * text, and an infinity when the value overflows. Correctly rounded: the exact fast path is
     * used when the decimal mantissa and power of ten are exactly representable, otherwise {@link
     * Double#parseDouble}.
     */
    static double parseDouble(byte[] bytes, int start, int end) {
        int i = start;
        boolean negative = false;
        if (i < end && (bytes[i] == '-' || bytes[i] == '+')) {
            negative = bytes[i] == '-';
            i++;
        }
        long mantissa = 0;
        int exponent = 0;
        int digits = 0;
        boolean exact = true;
        for (; i < end && isDigit(bytes[i]); i++, digits++) {
            if (mantissa < ACCUMULATE_BELOW) {
                mantissa = mantissa * 10 + (bytes[i] - '0');
            } else {
                exponent++;
                exact = false;
            }
        }
        if (i < end && bytes[i] == '.') {
            for (i++; i < end && isDigit(bytes[i]); i++, digits++) {
                if (mantissa < ACCUMULATE_BELOW) {
                    mantissa = mantissa * 10 + (bytes[i] - '0');
                    exponent--;
                } else {
                    exact = false;
                }
            }
        }
        if (digits == 0) {
            return NOT_A_NUMBER;
        }
        if (i < end && (bytes[i] == 'e' || bytes[i] == 'E')) {
            i++;
            boolean negativeExponent = false;
            if (i < end && (bytes[i] == '-' || bytes[i] == '+')) {
                negativeExponent = bytes[i] == '-';
                i++;
            }
            int exponentStart = i;
            int explicit = 0;
            for (; i < end && isDigit(bytes[i]); i++) {
                explicit = Math.min(explicit * 10 + (bytes[i] - '0'), 100_000);
            }
            if (i == exponentStart) {
                return NOT_A_NUMBER;
            }
            exponent += negativeExponent ? -explicit : explicit;
        }
        if (i != end) {
            return NOT_A_NUMBER;
        }
        if (exact && mantissa < MANTISSA_LIMIT && exponent >= -22 && exponent <= 22) {
            double value = mantissa;
            value =
                    exponent < 0
                            ? value / POWERS_OF_TEN[-exponent]
                            : value * POWERS_OF_TEN[exponent];
            return negative ? -value : value;
        }
        return Double.parseDouble(new String(bytes, start, end - start, StandardCharsets.US_ASCII));
    }

    /**
     * Whether {@code bytes[start, end)} spells NaN or infinity in one of the usual ways ({@code
     * nan}, {@code -nan}, {@code inf}, {@code +Infinity}, ...; case-insensitive).
     */
    static boolean isNonFiniteLiteral(byte[] bytes, int start, int end) {
        int i = start;
        if (i < end && (bytes[i] == '-' || bytes[i] == '+')) {
            i++;
        }
        return equalsIgnoreCase(bytes, i, end, "nan")
                || equalsIgnoreCase(bytes, i, end, "inf")
                || equalsIgnoreCase(bytes, i, end, "infinity");
    }

    static boolean equalsIgnoreCase(byte[] bytes, int start, int end, String ascii) {
        if (end - start != ascii.length()) {
            return false;
        }
        for (int k = 0; k < ascii.length(); k++) {
            int b = bytes[start + k];
            if (b >= 'A' && b <= 'Z') {
                b += 'a' - 'A';
            }
            if (b != ascii.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }
}
