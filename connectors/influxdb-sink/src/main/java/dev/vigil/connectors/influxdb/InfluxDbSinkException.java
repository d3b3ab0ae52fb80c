package dev.vigil.connectors.influxdb;

/**
 * A non-retryable InfluxDB failure (authentication, missing database or retention policy, gave up
 * retrying, ...). The message says what happened and what to do; it never contains credentials.
 */
public class InfluxDbSinkException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InfluxDbSinkException(String message) {
        super(message);
    }

    public InfluxDbSinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
