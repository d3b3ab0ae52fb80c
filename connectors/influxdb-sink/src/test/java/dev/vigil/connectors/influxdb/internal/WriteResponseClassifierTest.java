package dev.vigil.connectors.influxdb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.connectors.influxdb.internal.WriteOutcome.Kind;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Bodies below are verbatim InfluxDB 1.6.7 responses. */
class WriteResponseClassifierTest {

    private final WriteResponseClassifier classifier =
            new WriteResponseClassifier("http://127.0.0.1:18086", "vigil", "week", "admin");

    @Test
    void noContentIsSuccess() {
        assertThat(classifier.classify(204, "", 10).getKind()).isEqualTo(Kind.SUCCESS);
    }

    @Test
    void partialWriteWithParseErrorsCountsEachUnparsableLine() {
        String body =
                "{\"error\":\"partial write: unable to parse 'p1 f=??? 2000': invalid boolean\\n"
                        + "unable to parse 'p1,bad f 4000': missing tag value dropped=0\"}";

        WriteOutcome outcome = classifier.classify(400, body, 4);

        assertThat(outcome.getKind()).isEqualTo(Kind.BAD_POINTS);
        assertThat(outcome.getRejectedPoints()).isEqualTo(2);
        assertThat(outcome.getMessage())
                .startsWith("partial write: unable to parse 'p1 f=??? 2000': invalid boolean\n");
    }

    @Test
    void partialWriteWithDroppedPointsCountsDropped() {
        String body =
                "{\"error\":\"partial write: invalid field name: input field \\\"time\\\" on"
                        + " measurement \\\"c4\\\" is invalid dropped=3\"}";

        WriteOutcome outcome = classifier.classify(400, body, 10);

        assertThat(outcome.getKind()).isEqualTo(Kind.BAD_POINTS);
        assertThat(outcome.getRejectedPoints()).isEqualTo(3);
        assertThat(outcome.getMessage()).contains("input field \"time\" on measurement \"c4\"");
    }

    @Test
    void plainBadRequestRejectsTheWholeBatch() {
        WriteOutcome outcome = classifier.classify(400, "{\"error\":\"bad timestamp\"}", 7);

        assertThat(outcome.getRejectedPoints()).isEqualTo(7);
    }

    @Test
    void unauthorizedIsFatalAndNamesUserUrlAndVariables() {
        WriteOutcome outcome = classifier.classify(401, "{\"error\":\"authorization failed\"}", 1);

        assertThat(outcome.getKind()).isEqualTo(Kind.FATAL);
        assertThat(outcome.getMessage())
                .isEqualTo(
                        "authentication failed for user admin on http://127.0.0.1:18086: check"
                                + " INFLUX_USERNAME/INFLUX_PASSWORD");
    }

    @Test
    void forbiddenIsFatal() {
        WriteOutcome outcome =
                classifier.classify(
                        403,
                        "{\"error\":\"\\\"bob\\\" user is not authorized to write to database"
                                + " \\\"a\\\"\"}",
                        1);

        assertThat(outcome.getKind()).isEqualTo(Kind.FATAL);
        assertThat(outcome.getMessage())
                .contains("\"bob\" user is not authorized to write to database \"a\"");
    }

    @Test
    void databaseNotFoundIsFatalWithAdvice() {
        WriteOutcome outcome =
                classifier.classify(404, "{\"error\":\"database not found: \\\"vigil\\\"\"}", 1);

        assertThat(outcome.getKind()).isEqualTo(Kind.FATAL);
        assertThat(outcome.getMessage())
                .isEqualTo(
                        "database 'vigil' does not exist on http://127.0.0.1:18086: create it or"
                                + " set create-database");
    }

    @Test
    void missingRetentionPolicyIsFatalDespiteStatus500() {
        WriteOutcome outcome =
                classifier.classify(500, "{\"error\":\"retention policy not found: week\"}", 1);

        assertThat(outcome.getKind()).isEqualTo(Kind.FATAL);
        assertThat(outcome.getMessage()).startsWith("retention policy 'week' does not exist");
    }

    @Test
    void serverErrorsAndThrottlingAreRetryable() {
        assertThat(classifier.classify(500, "{\"error\":\"timeout\"}", 1).getKind())
                .isEqualTo(Kind.RETRYABLE);
        assertThat(classifier.classify(503, "", 1).getKind()).isEqualTo(Kind.RETRYABLE);
        assertThat(classifier.classify(429, "", 1).getKind()).isEqualTo(Kind.RETRYABLE);
    }

    @Test
    void tooLargeAndUnknownClientErrorsAreFatal() {
        assertThat(classifier.classify(413, "", 1).getMessage()).contains("max-body-size");
        assertThat(classifier.classify(405, "nope", 1).getMessage())
                .isEqualTo(
                        "unexpected HTTP 405 from http://127.0.0.1:18086 writing to database"
                                + " 'vigil': nope");
    }

    @Test
    void connectionErrorsAndTimeoutsAreRetryable() {
        assertThat(classifier.classify(new CompletionException(new ConnectException("refused"))))
                .extracting(WriteOutcome::getKind)
                .isEqualTo(Kind.RETRYABLE);
        assertThat(classifier.classify(new HttpTimeoutException("request timed out")).getKind())
                .isEqualTo(Kind.RETRYABLE);
        assertThat(classifier.classify(new IllegalStateException("bug")).getKind())
                .isEqualTo(Kind.FATAL);
    }
}
