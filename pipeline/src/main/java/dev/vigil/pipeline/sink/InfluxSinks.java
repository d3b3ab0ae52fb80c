package dev.vigil.pipeline.sink;

import dev.vigil.connectors.influxdb.InfluxDbAdmin;
import dev.vigil.connectors.influxdb.InfluxDbSink;
import dev.vigil.connectors.influxdb.InfluxDbSinkBuilder;
import dev.vigil.pipeline.TelemetryWorkflow;
import dev.vigil.pipeline.config.VigilConfig;
import dev.vigil.pipeline.config.VigilOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.connector.base.sink.writer.ElementConverter;

/**
 * The four InfluxDB sinks of the job (raw, stats, anomalies, rejects), in one database. Credentials
 * come from the environment ({@code INFLUX_USERNAME}, {@code INFLUX_PASSWORD}) or a password file —
 * never from the config file or the command line.
 */
public final class InfluxSinks {

    public static final String USERNAME_ENV = "INFLUX_USERNAME";
    public static final String PASSWORD_ENV = "INFLUX_PASSWORD";

    private InfluxSinks() {}

    public static TelemetryWorkflow.Sinks create(VigilConfig config) {
        Duration flush = config.get(VigilOptions.INFLUX_FLUSH_INTERVAL);
        return new TelemetryWorkflow.Sinks()
                .raw(sink(config, new InfluxSchema.RawConverter(), flush))
                .scored(sink(config, new InfluxSchema.StatsConverter(), flush))
                .anomalies(
                        sink(
                                config,
                                new InfluxSchema.AnomalyConverter(),
                                config.get(VigilOptions.INFLUX_ANOMALIES_FLUSH_INTERVAL)))
                .rejects(sink(config, new InfluxSchema.RejectConverter(), flush));
    }

    /**
     * The same four outputs as line-protocol files in {@code directory}, for {@code influx -import}
     * later.
     */
    public static TelemetryWorkflow.Sinks files(Path directory, String database) {
        return new TelemetryWorkflow.Sinks()
                .raw(
                        new LineProtocolFileSink<>(
                                directory, "raw", database, new InfluxSchema.RawConverter()))
                .scored(
                        new LineProtocolFileSink<>(
                                directory, "stats", database, new InfluxSchema.StatsConverter()))
                .anomalies(
                        new LineProtocolFileSink<>(
                                directory,
                                "anomalies",
                                database,
                                new InfluxSchema.AnomalyConverter()))
                .rejects(
                        new LineProtocolFileSink<>(
                                directory,
                                "rejects",
                                database,
                                new InfluxSchema.RejectConverter()));
    }

    /**
     * Prepares the database from the client before the job starts: creates it (when {@code
     * create-database}), the retention policy, and the downsampling continuous query (when {@code
     * downsample-interval} is set). Idempotent.
     */
    public static void prepareDatabase(VigilConfig config) {
        if (!config.get(VigilOptions.INFLUX_CREATE_DATABASE)) {
            return;
        }
        String db = config.get(VigilOptions.INFLUX_DATABASE);
        String user = System.getenv(USERNAME_ENV);
        InfluxDbAdmin admin =
                InfluxDbAdmin.connect(
                        config.get(VigilOptions.INFLUX_URL),
                        user == null || user.isEmpty() ? null : user,
                        user == null || user.isEmpty() ? null : password(config));
        admin.createDatabase(db);
        String retention = config.get(VigilOptions.INFLUX_RETENTION);
        if (retention != null) {
            admin.createOrAlterRetentionPolicy(db, RETENTION_POLICY, retention, true);
        }
        Duration interval = config.get(VigilOptions.INFLUX_DOWNSAMPLE_INTERVAL);
        if (interval != null) {
            admin.createOrAlterRetentionPolicy(
                    db,
                    DOWNSAMPLED_POLICY,
                    config.get(VigilOptions.INFLUX_DOWNSAMPLE_RETENTION),
                    false);
            dropDownsampling(admin, db);
            admin.execute(downsampleQuery(db, interval));
        }
    }

    private static void dropDownsampling(InfluxDbAdmin admin, String db) {
        try {
            admin.execute("DROP CONTINUOUS QUERY \"" + DOWNSAMPLE_CQ + "\" ON \"" + db + "\"");
        } catch (RuntimeException e) {
            if (!String.valueOf(e.getMessage()).contains("not found")) {
                throw e;
            }
        }
    }

    /** The retention policy of {@code sink.influxdb.retention}. */
    public static final String RETENTION_POLICY = "vigil";

    public static final String DOWNSAMPLED_POLICY = "vigil_downsampled";
    public static final String DOWNSAMPLE_CQ = "vigil_downsample";

    /**
     * Mean of every numeric field of every measurement per interval, same measurement names, all
     * tags kept.
     */
    static String downsampleQuery(String db, Duration interval) {
        return "CREATE CONTINUOUS QUERY \""
                + DOWNSAMPLE_CQ
                + "\" ON \""
                + db
                + "\" BEGIN SELECT mean(*) INTO \""
                + db
                + "\".\""
                + DOWNSAMPLED_POLICY
                + "\".:MEASUREMENT FROM /.*/ GROUP BY time("
                + interval.toSeconds()
                + "s), * END";
    }

    private static <T> InfluxDbSink<T> sink(
            VigilConfig config, ElementConverter<T, String> converter, Duration flushInterval) {
        InfluxDbSinkBuilder<T> b =
                InfluxDbSink.<T>builder()
                        .setUrl(config.get(VigilOptions.INFLUX_URL))
                        .setDatabase(config.get(VigilOptions.INFLUX_DATABASE))
                        .setCreateDatabase(config.get(VigilOptions.INFLUX_CREATE_DATABASE))
                        .setElementConverter(converter);
        b.setMaxTimeInBufferMS(Math.max(1, flushInterval.toMillis()));
        String retention = config.get(VigilOptions.INFLUX_RETENTION);
        if (retention != null) {
            b.setRetentionPolicy(RETENTION_POLICY).setRetentionPolicyDuration(retention);
        }
        String user = System.getenv(USERNAME_ENV);
        if (user != null && !user.isEmpty()) {
            b.setCredentials(user, password(config));
        }
        return b.build();
    }

    private static String password(VigilConfig config) {
        String file = config.get(VigilOptions.INFLUX_PASSWORD_FILE);
        if (file != null) {
            try {
                return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new IllegalArgumentException(
                        "Cannot read the InfluxDB password file " + file + ": " + e.getMessage());
            }
        }
        String password = System.getenv(PASSWORD_ENV);
        if (password == null) {
            throw new IllegalArgumentException(
                    USERNAME_ENV
                            + " is set but no password: set "
                            + PASSWORD_ENV
                            + " or sink.influxdb.password-file.");
        }
        return password;
    }
}
