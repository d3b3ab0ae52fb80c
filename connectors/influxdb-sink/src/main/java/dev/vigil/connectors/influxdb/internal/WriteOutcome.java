package dev.vigil.connectors.influxdb.internal;

/** What one {@code /write} request came to, as decided by {@link WriteResponseClassifier}. */
public final class WriteOutcome {

    /** Kinds of outcome. */
    public enum Kind {
        /** All points written (HTTP 204). */
        SUCCESS,
        /** Some or all points rejected as invalid; the others were written. Not retried. */
        BAD_POINTS,
        /** Server error, timeout or connection failure: retry the same lines later. */
        RETRYABLE,
        /** Authentication, authorization, missing database, ...: fail the job. */
        FATAL
    }

    private static final WriteOutcome SUCCESS = new WriteOutcome(Kind.SUCCESS, 0, "");

    private final Kind kind;
    private final int rejectedPoints;
    private final String message;

    private WriteOutcome(Kind kind, int rejectedPoints, String message) {
        this.kind = kind;
        this.rejectedPoints = rejectedPoints;
        this.message = message;
    }

    public static WriteOutcome success() {
        return SUCCESS;
    }

    public static WriteOutcome badPoints(int rejectedPoints, String serverMessage) {
        return new WriteOutcome(Kind.BAD_POINTS, rejectedPoints, serverMessage);
    }

    public static WriteOutcome retryable(String message) {
        return new WriteOutcome(Kind.RETRYABLE, 0, message);
    }

    public static WriteOutcome fatal(String message) {
        return new WriteOutcome(Kind.FATAL, 0, message);
    }

    public Kind getKind() {
        return kind;
    }

    /** Number of points the server reported as dropped or unparsable (BAD_POINTS only). */
    public int getRejectedPoints() {
        return rejectedPoints;
    }

    /** Human-readable explanation (server message for BAD_POINTS). */
    public String getMessage() {
        return message;
    }

    @Override
    public String toString() {
        return kind + (message.isEmpty() ? "" : ": " + message);
    }
}
