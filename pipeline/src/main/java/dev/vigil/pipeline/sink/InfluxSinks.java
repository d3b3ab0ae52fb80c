package dev.vigil.pipeline.sink;

import dev.vigil.connectors.influxdb.InfluxDbSink;
import dev.vigil.connectors.influxdb.InfluxDbSinkBuilder;
import dev.vigil.pipeline.TelemetryWorkflow;
import dev.vigil.pipeline.config.VigilConfig;
import dev.vigil.pipeline.config.VigilOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
        return new TelemetryWorkflow.Sinks()
                .raw(sink(config, new InfluxSchema.RawConverter()))
                .scored(sink(config, new InfluxSchema.StatsConverter()))
                .anomalies(sink(config, new InfluxSchema.AnomalyConverter()))
                .rejects(sink(config, new InfluxSchema.RejectConverter()));
    }

    private static <T> InfluxDbSink<T> sink(
            VigilConfig config, ElementConverter<T, String> converter) {
        InfluxDbSinkBuilder<T> b =
                InfluxDbSink.<T>builder()
                        .setUrl(config.get(VigilOptions.INFLUX_URL))
                        .setDatabase(config.get(VigilOptions.INFLUX_DATABASE))
                        .setCreateDatabase(config.get(VigilOptions.INFLUX_CREATE_DATABASE))
                        .setElementConverter(converter);
        String retention = config.get(VigilOptions.INFLUX_RETENTION);
        if (retention != null) {
            b.setRetentionPolicy("vigil").setRetentionPolicyDuration(retention);
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
