package dev.vigil.common.parse;

import dev.vigil.common.model.RejectReason;

/** Name and tag value limits, shared by all formats ({@code INVALID_NAME} rejects). */
final class Names {

    private Names() {}

    /**
     * @param what e.g. "field name" — used in the detail
     * @param line line number for the detail, 0 for none
     */
    static void checkName(String what, String name, int line) throws RejectException {
        if (name.isEmpty() || name.length() > ParserLimits.MAX_NAME_LENGTH) {
            throw invalidName(what, name, where(line));
        }
        boolean measurement = what.equals("measurement");
        int bad = unstorableAt(name, !measurement);
        if (bad >= 0) {
            throw unstorable("the " + what, name, line, bad);
        }
        if (measurement && readAsComment(name)) {
            throw new RejectException(
                    RejectReason.INVALID_NAME,
                    where(line)
                            + "the measurement '"
                            + abbreviate(name)
                            + "' starts with '#', a tab or NUL, which InfluxDB would drop");
        }
    }

    static void checkTagValue(String key, String value, int line) throws RejectException {
        if (value.isEmpty() || value.length() > ParserLimits.MAX_TAG_VALUE_LENGTH) {
            throw invalidTagValue(key, value, where(line));
        }
        int bad = unstorableAt(value, true);
        if (bad >= 0) {
            throw unstorable("the value of tag '" + abbreviate(key) + "'", value, line, bad);
        }
    }

    /**
     * InfluxDB line protocol cannot carry a line break in a name or tag value, nor a backslash that
     * ends it or precedes {@code ,}, {@code =} or a space (it would read an escape): such names are
     * rejected rather than stored altered (found by the hostile-input fuzz suite).
     *
     * @return the index of the first such character, or -1 when {@code text} can be stored (the
     *     usual case: no detail is built then, names are checked for every point)
     */
    private static int unstorableAt(String text, boolean equalsEscaped) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                return i;
            }
            if (c == '\\'
                    && (i + 1 == text.length() || isEscapable(text.charAt(i + 1), equalsEscaped))) {
                return i;
            }
        }
        return -1;
    }

    /** The reject for {@code text}, whose character at {@code bad} cannot be stored. */
    private static RejectException unstorable(String what, String text, int line, int bad) {
        char c = text.charAt(bad);
        if (c == '\n' || c == '\r') {
            return new RejectException(
                    RejectReason.INVALID_NAME,
                    where(line) + what + " '" + abbreviate(text) + "' contains a line break");
        }
        return new RejectException(
                RejectReason.INVALID_NAME,
                where(line)
                        + what
                        + " '"
                        + abbreviate(text)
                        + "' has a backslash before ',', a space, its end (or '=' in a tag or field),"
                        + " which InfluxDB cannot store");
    }

    /**
     * InfluxDB skips tabs and NULs at the start of a line (spaces are escaped), and reads a line
     * starting with '#' as a comment: such a measurement would be altered or dropped.
     */
    private static boolean readAsComment(String measurement) {
        char first = measurement.charAt(0);
        return first == '#' || first == '\t' || first == '\0';
    }

    private static boolean isEscapable(char c, boolean equalsEscaped) {
        return c == ',' || c == ' ' || (equalsEscaped && c == '=');
    }

    /** {@code "line 3: "}, or {@code ""} for line 0. */
    static String where(int line) {
        return line > 0 ? "line " + line + ": " : "";
    }

    private static RejectException invalidName(String what, String name, String where) {
        if (name.isEmpty()) {
            return new RejectException(
                    RejectReason.INVALID_NAME, where + "the " + what + " is empty");
        }
        return new RejectException(
                RejectReason.INVALID_NAME,
                where
                        + "the "
                        + what
                        + " '"
                        + abbreviate(name)
                        + "' has "
                        + name.length()
                        + " characters, more than "
                        + ParserLimits.MAX_NAME_LENGTH);
    }

    private static RejectException invalidTagValue(String key, String value, String where) {
        if (value.isEmpty()) {
            return new RejectException(
                    RejectReason.INVALID_NAME, where + "the value of tag '" + key + "' is empty");
        }
        return new RejectException(
                RejectReason.INVALID_NAME,
                where
                        + "the value of tag '"
                        + abbreviate(key)
                        + "' has "
                        + value.length()
                        + " characters, more than "
                        + ParserLimits.MAX_TAG_VALUE_LENGTH);
    }

    /** At most 40 characters of {@code text}, for details. */
    static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }
}
