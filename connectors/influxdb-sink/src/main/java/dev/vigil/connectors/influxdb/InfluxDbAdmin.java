package dev.vigil.connectors.influxdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.connectors.influxdb.internal.InfluxDbHttp;
import java.io.IOException;
import java.net.http.HttpResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Administration and queries over the InfluxDB 1.x {@code /query} endpoint: create databases and
 * retention policies (the sink's {@code create-database} option), run InfluxQL for tests and tools.
 * Errors become {@link InfluxDbSinkException}s with a clear message.
 */
public final class InfluxDbAdmin {

    private static final Logger LOG = LoggerFactory.getLogger(InfluxDbAdmin.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final InfluxDbConnectionConfig connection;
    private final InfluxDbHttp http;

    public InfluxDbAdmin(InfluxDbConnectionConfig connection) {
        this.connection = connection;
        this.http = new InfluxDbHttp(connection);
    }

    /** Admin for {@code url} with optional credentials (null for none). */
    public static InfluxDbAdmin connect(String url, String username, String password) {
        return new InfluxDbAdmin(InfluxDbConnectionConfig.of(url, username, password));
    }

    /** True when {@code /ping} answers. */
    public boolean ping() {
        return http.ping();
    }

    /** {@code CREATE DATABASE "name"} (a no-op when it exists). */
    public void createDatabase(String database) {
        execute("CREATE DATABASE " + identifier(database));
        LOG.info("database '{}' present on {}", database, connection.getUrl());
    }

    /**
     * Creates the retention policy, or alters it when it exists with other settings. Duration is
     * InfluxQL ({@code 30d}, {@code 12h}, {@code INF}).
     */
    public void createOrAlterRetentionPolicy(
            String database, String policy, String duration, boolean makeDefault) {
        String target = identifier(policy) + " ON " + identifier(database);
        String settings =
                " DURATION " + duration + " REPLICATION 1" + (makeDefault ? " DEFAULT" : "");
        try {
            execute("CREATE RETENTION POLICY " + target + settings);
        } catch (InfluxDbSinkException e) {
            if (!e.getMessage().contains("already exists")) {
                throw e;
            }
            execute("ALTER RETENTION POLICY " + target + settings);
        }
    }

    /** Runs a statement that changes something (POST /query); returns the parsed result. */
    public JsonNode execute(String influxql) {
        return run(null, influxql, true);
    }

    /** Runs a read query (GET /query) against the connection's database, if it has one. */
    public JsonNode query(String influxql) {
        return run(connection.getDatabase(), influxql, false);
    }

    /** Runs a read query against {@code database} (GET /query); returns the parsed JSON. */
    public JsonNode query(String database, String influxql) {
        return run(database, influxql, false);
    }

    /**
     * The single number returned by a query such as {@code SELECT count(f) FROM m}: the first value
     * column of the first row, 0 when the result has no series.
     */
    public long queryLong(String database, String influxql) {
        JsonNode series = query(database, influxql).path("results").path(0).path("series");
        if (series.isMissingNode() || series.size() == 0) {
            return 0;
        }
        return series.path(0).path("values").path(0).path(1).asLong();
    }

    private JsonNode run(String database, String influxql, boolean post) {
        HttpResponse<String> response;
        try {
            response = http.query(database, influxql, post);
        } catch (IOException e) {
            throw new InfluxDbSinkException(
                    "cannot reach InfluxDB at " + connection.getUrl() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InfluxDbSinkException("interrupted querying " + connection.getUrl(), e);
        }
        if (response.statusCode() == 401) {
            throw new InfluxDbSinkException(http.classifier().authenticationFailed());
        }
        JsonNode json = parse(response.body());
        String error = firstError(json);
        if (response.statusCode() >= 300 || error != null) {
            throw new InfluxDbSinkException(
                    "InfluxQL failed on "
                            + connection.getUrl()
                            + " (HTTP "
                            + response.statusCode()
                            + "): "
                            + (error == null ? response.body() : error)
                            + " — statement: "
                            + influxql);
        }
        return json;
    }

    private JsonNode parse(String body) {
        try {
            return JSON.readTree(body == null || body.isEmpty() ? "{}" : body);
        } catch (IOException e) {
            throw new InfluxDbSinkException(
                    "unreadable /query response from " + connection.getUrl() + ": " + body, e);
        }
    }

    private static String firstError(JsonNode json) {
        if (json.hasNonNull("error")) {
            return json.get("error").asText();
        }
        for (JsonNode result : json.path("results")) {
            if (result.hasNonNull("error")) {
                return result.get("error").asText();
            }
        }
        return null;
    }

    /** Double-quoted InfluxQL identifier. */
    static String identifier(String name) {
        return '"' + name.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
