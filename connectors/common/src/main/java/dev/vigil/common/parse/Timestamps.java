package dev.vigil.common.parse;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Timestamp normalisation to epoch milliseconds. Accepted range: years 1970 to 2200 inclusive.
 * Methods return {@link #INVALID} for values that cannot be read or are out of range.
 */
final class Timestamps {

    static final long INVALID = Long.MIN_VALUE;

    /** 1970-01-01T00:00:00Z. */
    static final long MIN_MILLIS = 0L;

    /** 2200-12-31T23:59:59.999Z. */
    static final long MAX_MILLIS =
            LocalDateTime.of(2201, 1, 1, 0, 0).toInstant(ZoneOffset.UTC).toEpochMilli() - 1;

    // Auto-detection thresholds: below 1e11 the number is seconds (1e11 s is the year 5138),
    // below 1e14 milliseconds, below 1e17 microseconds, else nanoseconds.
    private static final long SECONDS_BELOW = 100_000_000_000L;
    private static final long MILLIS_BELOW = 100_000_000_000_000L;
    private static final long MICROS_BELOW = 100_000_000_000_000_000L;

    private Timestamps() {}

    static boolean inRange(long millis) {
        return millis >= MIN_MILLIS && millis <= MAX_MILLIS;
    }

    /** Epoch seconds/ms/us/ns, unit detected from the magnitude. */
    static long fromEpochAutoDetect(long value) {
        long millis;
        if (value < 0) {
            return INVALID;
        } else if (value < SECONDS_BELOW) {
            millis = value * 1000L;
        } else if (value < MILLIS_BELOW) {
            millis = value;
        } else if (value < MICROS_BELOW) {
            millis = value / 1_000L;
        } else {
            millis = value / 1_000_000L;
        }
        return checked(millis);
    }

    /** Epoch seconds/ms/us/ns with a fraction, unit detected from the magnitude. */
    static long fromEpochAutoDetect(double value) {
        if (!Double.isFinite(value) || value < 0) {
            return INVALID;
        }
        double millis;
        if (value < SECONDS_BELOW) {
            millis = value * 1000.0;
        } else if (value < MILLIS_BELOW) {
            millis = value;
        } else if (value < MICROS_BELOW) {
            millis = value / 1_000.0;
        } else {
            millis = value / 1_000_000.0;
        }
        if (millis > MAX_MILLIS) {
            return INVALID;
        }
        return checked(Math.round(millis));
    }

    /** Epoch seconds with an optional fraction (collectd). */
    static long fromEpochSeconds(double seconds) {
        if (!Double.isFinite(seconds) || seconds < 0 || seconds * 1000.0 > MAX_MILLIS) {
            return INVALID;
        }
        return checked(Math.round(seconds * 1000.0));
    }

    /**
     * ISO-8601 date-time with an offset ({@code 2023-11-14T22:13:20.5Z}, {@code ...+05:30}) or
     * without one (then UTC); a string of digits is read as an epoch number.
     */
    static long fromText(String text) {
        if (text.isEmpty()) {
            return INVALID;
        }
        if (isDigits(text)) {
            return text.length() > 18 ? INVALID : fromEpochAutoDetect(Long.parseLong(text));
        }
        try {
            return checked(
                    DateTimeFormatter.ISO_DATE_TIME
                            .parse(text, Timestamps::toInstant)
                            .toEpochMilli());
        } catch (DateTimeParseException | ArithmeticException e) {
            return INVALID;
        }
    }

    private static Instant toInstant(java.time.temporal.TemporalAccessor parsed) {
        if (parsed.isSupported(java.time.temporal.ChronoField.OFFSET_SECONDS)) {
            return Instant.from(parsed);
        }
        return LocalDateTime.from(parsed).toInstant(ZoneOffset.UTC);
    }

    private static boolean isDigits(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static long checked(long millis) {
        return inRange(millis) ? millis : INVALID;
    }
}
