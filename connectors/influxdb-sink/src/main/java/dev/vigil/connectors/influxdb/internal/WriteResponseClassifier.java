package dev.vigil.connectors.influxdb.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps InfluxDB 1.x {@code /write} responses to {@link WriteOutcome}s (responses verified against
 * 1.6.7).
 *
 * <ul>
 *   <li>204 → success.
 *   <li>400 ({@code unable to parse ...}, {@code partial write: ... dropped=N}, field type
 *       conflicts, {@code time} as a key) → bad points: the valid points of the batch were written,
 *       the rest is counted and dropped.
 *   <li>401 → fatal, "authentication failed for user X on URL".
 *   <li>403 → fatal, the user lacks WRITE privilege.
 *   <li>404 {@code database not found} → fatal, "database 'x' does not exist".
 *   <li>500 {@code retention policy not found} → fatal (it would never heal by retrying).
 *   <li>413 → fatal (batch larger than the server's max-body-size).
 *   <li>other 5xx, 429, timeouts, connection errors → retryable.
 *   <li>any other status → fatal with status and body.
 * </ul>
 */
public final class WriteResponseClassifier {

    private static final Pattern DROPPED = Pattern.compile("dropped=(\\d+)");
    private static final Pattern UNABLE_TO_PARSE = Pattern.compile("unable to parse");
    private static final Pattern JSON_ERROR =
            Pattern.compile("^\\s*\\{\\s*\"error\"\\s*:\\s*\"(.*)\"\\s*}\\s*$", Pattern.DOTALL);

    private final String url;
    private final String database;
    private final String retentionPolicy;
    private final String username;

    public WriteResponseClassifier(
            String url, String database, String retentionPolicy, String username) {
        this.url = url;
        this.database = database;
        this.retentionPolicy = retentionPolicy;
        this.username = username;
    }

    /** Classifies an HTTP response of a write carrying {@code lineCount} lines. */
    public WriteOutcome classify(int status, String body, int lineCount) {
        String error = errorMessage(body);
        if (status == 204 || status == 200) {
            return WriteOutcome.success();
        }
        if (status == 400) {
            return WriteOutcome.badPoints(rejectedPoints(error, lineCount), error);
        }
        if (status == 401) {
            return WriteOutcome.fatal(authenticationFailed());
        }
        if (status == 403) {
            return WriteOutcome.fatal(
                    "authorization failed on "
                            + url
                            + ": "
                            + error
                            + " (grant WRITE on database '"
                            + database
                            + "' to user "
                            + username
                            + ")");
        }
        if (status == 404 && error.contains("database not found")) {
            return WriteOutcome.fatal(databaseNotFound());
        }
        if (error.contains("retention policy not found")) {
            return WriteOutcome.fatal(
                    "retention policy '"
                            + retentionPolicy
                            + "' does not exist on database '"
                            + database
                            + "' at "
                            + url
                            + ": create it or set create-database with a retention-policy duration");
        }
        if (status == 413) {
            return WriteOutcome.fatal(
                    "InfluxDB at "
                            + url
                            + " rejected a batch as too large (HTTP 413): lower the sink's max batch"
                            + " size in bytes or raise [http] max-body-size");
        }
        if (status >= 500 || status == 429 || status == 408) {
            return WriteOutcome.retryable("HTTP " + status + " from " + url + ": " + error);
        }
        return WriteOutcome.fatal(
                "unexpected HTTP "
                        + status
                        + " from "
                        + url
                        + " writing to database '"
                        + database
                        + "': "
                        + error);
    }

    /** Classifies a request that got no response. */
    public WriteOutcome classify(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof HttpTimeoutException) {
            return WriteOutcome.retryable("timeout writing to " + url + ": " + cause.getMessage());
        }
        if (cause instanceof ConnectException) {
            return WriteOutcome.retryable("cannot connect to " + url + ": " + describe(cause));
        }
        if (cause instanceof IOException) {
            return WriteOutcome.retryable("I/O error writing to " + url + ": " + describe(cause));
        }
        return WriteOutcome.fatal("unexpected failure writing to " + url + ": " + describe(cause));
    }

    /** "authentication failed for user X on URL: check INFLUX_USERNAME/INFLUX_PASSWORD". */
    public String authenticationFailed() {
        return "authentication failed for user "
                + (username == null ? "<none: no credentials configured>" : username)
                + " on "
                + url
                + ": check INFLUX_USERNAME/INFLUX_PASSWORD";
    }

    /** "database 'x' does not exist: create it or set create-database". */
    public String databaseNotFound() {
        return "database '"
                + database
                + "' does not exist on "
                + url
                + ": create it or set create-database";
    }

    /** Extracts {@code error} from InfluxDB's {@code {"error":"..."}} body (JSON-unescaped). */
    static String errorMessage(String body) {
        if (body == null) {
            return "";
        }
        Matcher m = JSON_ERROR.matcher(body);
        if (!m.matches()) {
            return body.strip();
        }
        return m.group(1).replace("\\n", "\n").replace("\\\"", "\"").replace("\\\\", "\\");
    }

    static int rejectedPoints(String error, int lineCount) {
        int rejected = 0;
        Matcher unparsable = UNABLE_TO_PARSE.matcher(error);
        while (unparsable.find()) {
            rejected++;
        }
        Matcher dropped = DROPPED.matcher(error);
        if (dropped.find()) {
            rejected += Integer.parseInt(dropped.group(1));
        } else if (!error.startsWith("partial write") && rejected == 0) {
            rejected = lineCount; // a plain 400: nothing of the batch was written
        }
        return Math.min(rejected, lineCount);
    }

    private static Throwable unwrap(Throwable t) {
        Throwable current = t;
        while ((current instanceof java.util.concurrent.CompletionException
                        || current instanceof java.util.concurrent.ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    private static String describe(Throwable t) {
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : " " + t.getMessage());
    }
}
