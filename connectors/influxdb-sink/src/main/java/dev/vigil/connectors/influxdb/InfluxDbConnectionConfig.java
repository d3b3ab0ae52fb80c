package dev.vigil.connectors.influxdb;

import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how to reach one InfluxDB 1.x database. Immutable; {@link #toString()} never shows the
 * password. Built by {@link InfluxDbSinkBuilder} (validated there) or {@link #of}.
 */
public final class InfluxDbConnectionConfig implements Serializable {

    private static final long serialVersionUID = 1L;

    private final URI url;
    private final String database;
    private final String retentionPolicy;
    private final String username;
    private final String password;
    private final Duration requestTimeout;
    private final boolean gzip;

    InfluxDbConnectionConfig(
            URI url,
            String database,
            String retentionPolicy,
            String username,
            String password,
            Duration requestTimeout,
            boolean gzip) {
        this.url = Objects.requireNonNull(url, "url");
        this.database = database;
        this.retentionPolicy = retentionPolicy;
        this.username = username;
        this.password = password;
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        this.gzip = gzip;
    }

    /** Connection without a fixed database (for {@link InfluxDbAdmin}); credentials may be null. */
    public static InfluxDbConnectionConfig of(String url, String username, String password) {
        return new InfluxDbConnectionConfig(
                InfluxDbSinkBuilder.parseUrl(url),
                null,
                null,
                username,
                password,
                InfluxDbSinkBuilder.DEFAULT_REQUEST_TIMEOUT,
                false);
    }

    /** Base URL, e.g. {@code http://127.0.0.1:8086} (no trailing slash). */
    public URI getUrl() {
        return url;
    }

    /** Target database, or {@code null} when not bound to one. */
    public String getDatabase() {
        return database;
    }

    /** Retention policy to write into, or {@code null} for the database default. */
    public String getRetentionPolicy() {
        return retentionPolicy;
    }

    /** User name, or {@code null} without authentication. */
    public String getUsername() {
        return username;
    }

    /** Password, or {@code null}. Never log it. */
    public String getPassword() {
        return password;
    }

    public boolean hasCredentials() {
        return username != null;
    }

    public Duration getRequestTimeout() {
        return requestTimeout;
    }

    public boolean isGzip() {
        return gzip;
    }

    @Override
    public String toString() {
        return "InfluxDbConnectionConfig{url="
                + url
                + ", database="
                + database
                + ", retentionPolicy="
                + retentionPolicy
                + ", username="
                + username
                + ", password="
                + (password == null ? "<none>" : "<hidden>")
                + ", requestTimeout="
                + requestTimeout
                + ", gzip="
                + gzip
                + '}';
    }
}
