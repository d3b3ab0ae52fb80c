package dev.vigil.pipeline.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.connectors.influxdb.testutils.InfluxDbExtension;
import dev.vigil.pipeline.config.VigilConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The database preparation at job start, against a real InfluxDB: database, retention,
 * downsampling.
 */
class InfluxSinksITCase {

    @RegisterExtension static final InfluxDbExtension INFLUX = InfluxDbExtension.plain();

    @Test
    void createsDatabaseRetentionAndDownsamplingIdempotently() {
        VigilConfig config =
                VigilConfig.load(
                        null,
                        Map.of(
                                "sink.influxdb.url", INFLUX.url(),
                                "sink.influxdb.database", "prepared",
                                "sink.influxdb.retention", "30d",
                                "sink.influxdb.downsample-interval", "5 min"));

        InfluxSinks.prepareDatabase(config);
        InfluxSinks.prepareDatabase(config); // a restarted job prepares again

        String policies =
                INFLUX.admin().query("prepared", "SHOW RETENTION POLICIES ON prepared").toString();
        assertThat(policies)
                .contains("[\"vigil\",\"720h0m0s\"", "[\"vigil_downsampled\",\"87360h0m0s\"");
        assertThat(policies).containsPattern("\"vigil\",\"720h0m0s\",\"[^\"]*\",1,true");
        String queries = INFLUX.admin().query("SHOW CONTINUOUS QUERIES").toString();
        assertThat(queries)
                .contains("vigil_downsample")
                .contains("INTO prepared.vigil_downsampled.:MEASUREMENT")
                .contains("GROUP BY time(5m)");
    }

    @Test
    void downsampleQueryShape() {
        assertThat(InfluxSinks.downsampleQuery("vigil", java.time.Duration.ofMinutes(5)))
                .isEqualTo(
                        "CREATE CONTINUOUS QUERY \"vigil_downsample\" ON \"vigil\" BEGIN SELECT mean(*) INTO"
                                + " \"vigil\".\"vigil_downsampled\".:MEASUREMENT FROM /.*/ GROUP BY"
                                + " time(300s), * END");
    }
}
