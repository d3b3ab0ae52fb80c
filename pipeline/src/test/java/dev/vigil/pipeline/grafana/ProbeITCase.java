package dev.vigil.pipeline.grafana;

import dev.vigil.common.model.Envelope;
import dev.vigil.connectors.influxdb.InfluxDbAdmin;
import dev.vigil.connectors.influxdb.testutils.InfluxDbExtension;
import dev.vigil.pipeline.TelemetryJob;
import dev.vigil.pipeline.TelemetryWorkflow;
import dev.vigil.pipeline.config.VigilConfig;
import dev.vigil.pipeline.sink.InfluxSinks;
import dev.vigil.simulator.FleetConfig;
import dev.vigil.simulator.FleetSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ProbeITCase {
    @RegisterExtension
    @Order(1)
    static final InfluxDbExtension INFLUX = InfluxDbExtension.plain();

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    () -> {
                        dev.vigil.connectors.influxdb.InfluxDbAdmin.connect(
                                        "http://127.0.0.1:28086", null, null)
                                .createDatabase("flink");
                        Configuration c = new Configuration();
                        c.setString(
                                "metrics.reporter.influxdb.factory.class",
                                "org.apache.flink.metrics.influxdb.InfluxdbReporterFactory");
                        c.setString("metrics.reporter.influxdb.host", "127.0.0.1");
                        c.setString("metrics.reporter.influxdb.port", String.valueOf(28086));
                        c.setString("metrics.reporter.influxdb.db", "flink");
                        c.setString("metrics.reporter.influxdb.interval", "500 ms");
                        return new MiniClusterResourceConfiguration.Builder()
                                .setNumberTaskManagers(1)
                                .setNumberSlotsPerTaskManager(2)
                                .setConfiguration(c)
                                .build();
                    });

    @Test
    void probe() throws Exception {
        long t0 = System.currentTimeMillis();
        List<Envelope> envelopes =
                FleetSimulator.generateAll(
                        FleetConfig.builder().duration(Duration.ofHours(2)).build());
        System.err.println(
                "envelopes " + envelopes.size() + " in " + (System.currentTimeMillis() - t0));
        VigilConfig config =
                VigilConfig.load(
                        null,
                        Map.of(
                                "sink.influxdb.url",
                                "http://127.0.0.1:28086",
                                "checkpoint.interval",
                                "200 ms",
                                "job.parallelism",
                                "2"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        TelemetryJob.configure(env, config);
        TelemetryWorkflow.Streams streams =
                new TelemetryWorkflow(config)
                        .build(env.fromData(envelopes, TypeInformation.of(Envelope.class)));
        TelemetryWorkflow.sinkTo(streams, InfluxSinks.create(config));
        env.execute("probe");
        System.err.println("job done in " + (System.currentTimeMillis() - t0));
        InfluxDbAdmin admin =
                dev.vigil.connectors.influxdb.InfluxDbAdmin.connect(
                        "http://127.0.0.1:28086", null, null);
        StringBuilder out = new StringBuilder();
        out.append(admin.query("flink", "SHOW MEASUREMENTS LIMIT 2000").toPrettyString());
        out.append(admin.query("flink", "SHOW TAG KEYS").toPrettyString());
        out.append(admin.query("flink", "SHOW FIELD KEYS").toPrettyString());
        out.append(admin.query("vigil", "SHOW MEASUREMENTS").toPrettyString());
        Files.writeString(Path.of("/tmp/probe.json"), out);
    }
}
