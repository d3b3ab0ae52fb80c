package dev.vigil.connectors.influxdb;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.connector.base.sink.AsyncSinkBaseBuilder;
import org.apache.flink.connector.base.sink.writer.ElementConverter;

/**
 * Builds an {@link InfluxDbSink}; {@link #build()} validates every setting and reports all problems
 * at once. Required: url, database, element converter. Credentials are optional: read them from the
 * environment or a file (e.g. {@code INFLUX_USERNAME}/{@code INFLUX_PASSWORD}); the password is
 * never logged nor shown by {@code toString()}.
 *
 * <p>Defaults: batches of up to {@value #DEFAULT_MAX_BATCH_SIZE} lines or 4 MiB, sent at least
 * every second; {@value #DEFAULT_MAX_IN_FLIGHT_REQUESTS} requests in flight; up to {@value
 * #DEFAULT_MAX_BUFFERED_REQUESTS} buffered lines; request timeout 30 s; retries with backoff 100 ms
 * doubling up to 10 s, giving up after 10 minutes of uninterrupted failures.
 */
public class InfluxDbSinkBuilder<InputT>
        extends AsyncSinkBaseBuilder<InputT, String, InfluxDbSinkBuilder<InputT>> {

    public static final int DEFAULT_MAX_BATCH_SIZE = 5000;
    public static final long DEFAULT_MAX_BATCH_SIZE_IN_BYTES = 4L * 1024 * 1024;
    public static final long DEFAULT_MAX_TIME_IN_BUFFER_MS = 1000;
    public static final int DEFAULT_MAX_IN_FLIGHT_REQUESTS = 4;
    public static final int DEFAULT_MAX_BUFFERED_REQUESTS = 50_000;
    public static final long DEFAULT_MAX_RECORD_SIZE_IN_BYTES = 1024 * 1024;
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(100);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(10);
    public static final Duration DEFAULT_MAX_RETRY_TIME = Duration.ofMinutes(10);

    private String url;
    private String database;
    private String retentionPolicy;
    private String username;
    private String password;
    private ElementConverter<InputT, String> elementConverter;
    private boolean createDatabase;
    private String retentionPolicyDuration;
    private boolean gzip;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
    private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
    private Duration maxRetryTime = DEFAULT_MAX_RETRY_TIME;

    InfluxDbSinkBuilder() {}

    /** Base URL of the InfluxDB 1.x HTTP API, e.g. {@code http://127.0.0.1:8086}. Required. */
    public InfluxDbSinkBuilder<InputT> setUrl(String url) {
        this.url = url;
        return this;
    }

    /** Target database. Required. */
    public InfluxDbSinkBuilder<InputT> setDatabase(String database) {
        this.database = database;
        return this;
    }

    /** Retention policy to write into; default: the database's default policy. */
    public InfluxDbSinkBuilder<InputT> setRetentionPolicy(String retentionPolicy) {
        this.retentionPolicy = retentionPolicy;
        return this;
    }

    /** Basic-auth credentials (both null = no authentication). Never logged. */
    public InfluxDbSinkBuilder<InputT> setCredentials(String username, String password) {
        this.username = username;
        this.password = password;
        return this;
    }

    /** Encodes one element as one line of line protocol. Required. */
    public InfluxDbSinkBuilder<InputT> setElementConverter(
            ElementConverter<InputT, String> elementConverter) {
        this.elementConverter = elementConverter;
        return this;
    }

    /**
     * Option {@code create-database}: when true, each writer runs {@code CREATE DATABASE} (a no-op
     * when it exists) on start, and creates/alters the retention policy when a policy and its
     * duration are set. Needs an admin user when authentication is enabled. Default false: a
     * missing database fails the job with a clear message.
     */
    public InfluxDbSinkBuilder<InputT> setCreateDatabase(boolean createDatabase) {
        this.createDatabase = createDatabase;
        return this;
    }

    /** InfluxQL duration of the retention policy to create, e.g. {@code 30d} or {@code INF}. */
    public InfluxDbSinkBuilder<InputT> setRetentionPolicyDuration(String duration) {
        this.retentionPolicyDuration = duration;
        return this;
    }

    /** Gzip request bodies (saves bandwidth, costs CPU). Default false. */
    public InfluxDbSinkBuilder<InputT> setGzip(boolean gzip) {
        this.gzip = gzip;
        return this;
    }

    /** Timeout of one HTTP request (connect + response); a timeout is retried. */
    public InfluxDbSinkBuilder<InputT> setRequestTimeout(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
        return this;
    }

    /** Exponential backoff between retries: {@code initial}, doubling, capped at {@code max}. */
    public InfluxDbSinkBuilder<InputT> setRetryBackoff(Duration initial, Duration max) {
        this.initialBackoff = initial;
        this.maxBackoff = max;
        return this;
    }

    /** How long writes may keep failing (retryable errors) before the job fails. */
    public InfluxDbSinkBuilder<InputT> setMaxRetryTime(Duration maxRetryTime) {
        this.maxRetryTime = maxRetryTime;
        return this;
    }

    @Override
    public InfluxDbSink<InputT> build() {
        List<String> problems = new ArrayList<>();
        URI parsedUrl = validateUrl(problems);
        requireText(database, "database is required (setDatabase)", problems);
        if (elementConverter == null) {
            problems.add("element converter is required (setElementConverter)");
        }
        validateCredentials(problems);
        validateRetention(problems);
        validateDurations(problems);
        int batchSize = orDefault(getMaxBatchSize(), DEFAULT_MAX_BATCH_SIZE);
        int buffered = orDefault(getMaxBufferedRequests(), DEFAULT_MAX_BUFFERED_REQUESTS);
        long batchBytes = orDefault(getMaxBatchSizeInBytes(), DEFAULT_MAX_BATCH_SIZE_IN_BYTES);
        long recordBytes = orDefault(getMaxRecordSizeInBytes(), DEFAULT_MAX_RECORD_SIZE_IN_BYTES);
        int inFlight = orDefault(getMaxInFlightRequests(), DEFAULT_MAX_IN_FLIGHT_REQUESTS);
        long bufferTime = orDefault(getMaxTimeInBufferMS(), DEFAULT_MAX_TIME_IN_BUFFER_MS);
        validateBatching(
                batchSize, buffered, batchBytes, recordBytes, inFlight, bufferTime, problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(
                    "invalid InfluxDB sink configuration: " + String.join("; ", problems));
        }
        InfluxDbConnectionConfig connection =
                new InfluxDbConnectionConfig(
                        parsedUrl,
                        database,
                        retentionPolicy,
                        username,
                        password,
                        requestTimeout,
                        gzip);
        return new InfluxDbSink<>(
                elementConverter,
                batchSize,
                inFlight,
                buffered,
                batchBytes,
                bufferTime,
                recordBytes,
                connection,
                createDatabase,
                retentionPolicyDuration,
                initialBackoff,
                maxBackoff,
                maxRetryTime);
    }

    /** Parses and normalises an http(s) base URL (no trailing slash, no query). */
    static URI parseUrl(String url) {
        List<String> problems = new ArrayList<>();
        URI parsed = parseUrl(url, problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(problems.get(0));
        }
        return parsed;
    }

    private URI validateUrl(List<String> problems) {
        if (url == null || url.isBlank()) {
            problems.add("url is required (setUrl), e.g. http://127.0.0.1:8086");
            return null;
        }
        return parseUrl(url, problems);
    }

    private static URI parseUrl(String url, List<String> problems) {
        try {
            URI uri = new URI(url.strip());
            boolean http =
                    "http".equalsIgnoreCase(uri.getScheme())
                            || "https".equalsIgnoreCase(uri.getScheme());
            if (!http || uri.getHost() == null || uri.getQuery() != null) {
                problems.add("url must look like http(s)://host:port, got '" + url + "'");
                return null;
            }
            String text = uri.toString();
            return URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        } catch (URISyntaxException e) {
            problems.add("url is not a valid URI: '" + url + "' (" + e.getMessage() + ")");
            return null;
        }
    }

    private void validateCredentials(List<String> problems) {
        if (username == null && password != null) {
            problems.add("a password is set without a user name (setCredentials)");
        }
        if (username != null && username.isBlank()) {
            problems.add("user name must not be blank (setCredentials)");
        }
    }

    private void validateRetention(List<String> problems) {
        if (retentionPolicy != null && retentionPolicy.isBlank()) {
            problems.add("retention policy must not be blank (setRetentionPolicy)");
        }
        if (retentionPolicyDuration != null && (retentionPolicy == null || !createDatabase)) {
            problems.add(
                    "a retention-policy duration needs setRetentionPolicy(..) and"
                            + " setCreateDatabase(true)");
        }
    }

    private void validateDurations(List<String> problems) {
        requirePositive(requestTimeout, "request timeout", problems);
        requirePositive(initialBackoff, "initial backoff", problems);
        requirePositive(maxBackoff, "max backoff", problems);
        requirePositive(maxRetryTime, "max retry time", problems);
        if (initialBackoff != null
                && maxBackoff != null
                && initialBackoff.compareTo(maxBackoff) > 0) {
            problems.add("initial backoff must not exceed max backoff");
        }
    }

    private static void validateBatching(
            int batchSize,
            int buffered,
            long batchBytes,
            long recordBytes,
            int inFlight,
            long bufferTime,
            List<String> problems) {
        if (batchSize <= 0
                || inFlight <= 0
                || batchBytes <= 0
                || recordBytes <= 0
                || bufferTime <= 0) {
            problems.add("batch size, in-flight requests, byte limits and buffer time must be > 0");
        }
        if (buffered < batchSize) {
            problems.add(
                    "max buffered requests ("
                            + buffered
                            + ") must be >= max batch size ("
                            + batchSize
                            + ")");
        }
        if (recordBytes > batchBytes) {
            problems.add(
                    "max record size ("
                            + recordBytes
                            + " B) must be <= max batch size in bytes ("
                            + batchBytes
                            + " B)");
        }
    }

    private static void requireText(String value, String message, List<String> problems) {
        if (value == null || value.isBlank()) {
            problems.add(message);
        }
    }

    private static void requirePositive(Duration d, String name, List<String> problems) {
        if (d == null || d.isNegative() || d.isZero()) {
            problems.add(name + " must be > 0");
        }
    }

    private static int orDefault(Integer value, int fallback) {
        return value == null ? fallback : value;
    }

    private static long orDefault(Long value, long fallback) {
        return value == null ? fallback : value;
    }
}
