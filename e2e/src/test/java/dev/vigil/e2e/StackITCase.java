package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.bridge.Bridge;
import dev.vigil.bridge.BridgeConfig;
import dev.vigil.bridge.BridgeMetrics;
import dev.vigil.bridge.testutils.Await;
import dev.vigil.bridge.testutils.KafkaExtension;
import dev.vigil.bridge.testutils.MosquittoExtension;
import dev.vigil.bridge.testutils.ServiceScript;
import dev.vigil.bridge.testutils.TestConfigs;
import dev.vigil.common.model.Envelope;
import dev.vigil.common.model.MetricPoint;
import dev.vigil.common.parse.ParserLimits;
import dev.vigil.common.parse.TelemetryParser;
import dev.vigil.common.routing.RoutingConfig;
import dev.vigil.connectors.influxdb.InfluxDbAdmin;
import dev.vigil.connectors.influxdb.testutils.InfluxDbExtension;
import dev.vigil.e2e.testutils.FlinkClusterExtension;
import dev.vigil.e2e.testutils.FlinkRest;
import dev.vigil.e2e.testutils.Influx;
import dev.vigil.pipeline.TelemetryJob;
import dev.vigil.pipeline.demo.DetectionReport;
import dev.vigil.simulator.FleetConfig;
import dev.vigil.simulator.FleetSimulator;
import dev.vigil.simulator.GroundTruth;
import dev.vigil.simulator.InjectionKind;
import dev.vigil.simulator.mqtt.EnvelopePublisher;
import dev.vigil.simulator.mqtt.FleetPublisher;
import dev.vigil.simulator.mqtt.Pacer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole pipeline as deployed, on real services: the simulator publishes over MQTT (Paho, QoS 1)
 * to Mosquitto → the bridge → Kafka → the shaded job jar, submitted through the REST API of a
 * standalone Flink cluster (JobManager and TaskManager JVMs, {@code scripts/services/flink.sh}) →
 * InfluxDB. Then the job is stopped with a savepoint and resumed from it, and its running
 * statistics continue where they were. Last, real collectd metrics of this machine take the same
 * path.
 *
 * <p>The tests share the services and the job, in order: the simulated fleet lives in January 2026
 * (event time), so it runs before anything that publishes wall-clock time.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StackITCase {

    @RegisterExtension
    @Order(1)
    static final MosquittoExtension MQTT = new MosquittoExtension();

    @RegisterExtension
    @Order(2)
    static final KafkaExtension KAFKA = new KafkaExtension();

    @RegisterExtension
    @Order(3)
    static final InfluxDbExtension INFLUX = InfluxDbExtension.plain();

    /** Flink's own metrics go to this test's InfluxDB, as flink-conf/config.yaml configures. */
    @RegisterExtension
    @Order(4)
    static final FlinkClusterExtension FLINK =
            new FlinkClusterExtension(
                    1,
                    () -> {
                        INFLUX.admin().createDatabase("flink");
                        return Map.of(
                                "metrics.reporter.influxdb.port",
                                "" + INFLUX.port(),
                                "metrics.reporter.influxdb.interval",
                                "1 s");
                    });

    private static final String TOPIC = "stack.envelopes";
    private static final String DB = "vigil";
    private static final String FLINK_DB = "flink";
    private static final int PARALLELISM = 2;
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    /** One hour of a small fleet with spikes and sustained deviations, then 10 more minutes. */
    private static final FleetConfig PHASE_1 =
            FleetConfig.builder()
                    .seed(11)
                    .duration(Duration.ofMinutes(60))
                    .sensors(4)
                    .servers(2)
                    .collectdServers(1)
                    .anomalies(InjectionKind.SPIKE, 3)
                    .anomalies(InjectionKind.SUSTAINED_DEVIATION, 2)
                    .anomalies(InjectionKind.LEVEL_SHIFT, 0)
                    .anomalies(InjectionKind.FLATLINE, 0)
                    .anomalies(InjectionKind.SILENCE, 0)
                    .anomalies(InjectionKind.DRIFT, 0)
                    .build();

    private static final Instant PHASE_2_START = PHASE_1.start().plus(PHASE_1.duration());
    private static final FleetConfig PHASE_2 =
            PHASE_1.toBuilder()
                    .start(PHASE_2_START)
                    .duration(Duration.ofMinutes(10))
                    .anomaliesEnabled(false)
                    .build();

    private static Bridge bridge;
    private static FlinkRest rest;
    private static String jarId;
    private static String jobId;
    private static long published;

    @BeforeAll
    static void startTheBridgeAndSubmitTheJob() {
        BridgeConfig bridgeConfig =
                TestConfigs.bridge(MQTT.url(), KAFKA.bootstrapServers(), "stack-bridge", TOPIC);
        // As ./vigil stack configures it: the bridge pushes its metrics for the Pipeline health
        // dashboard.
        bridgeConfig.metrics.influxdbUrl = INFLUX.url();
        bridgeConfig.metrics.influxdbDatabase = DB;
        bridgeConfig.metrics.influxdbIntervalSeconds = 1;
        bridge = new Bridge(bridgeConfig).start();
        rest = FLINK.rest();
        jarId = rest.upload(Path.of(System.getProperty("vigil.job.jar")));
        jobId = rest.run(jarId, TelemetryJob.class.getName(), jobArgs(), PARALLELISM, null);
        rest.awaitAllTasksRunning(jobId, TIMEOUT);
    }

    @AfterAll
    static void stopTheBridge() {
        if (bridge != null) {
            bridge.close();
        }
    }

    /** The job's settings, as {@code ./vigil stack up} passes them. */
    private static List<String> jobArgs() {
        return List.of(
                "--source.type", "kafka",
                "--source.kafka.bootstrap-servers", KAFKA.bootstrapServers(),
                "--source.kafka.topic", TOPIC,
                "--source.kafka.start-from", "earliest",
                "--sink.type", "influxdb",
                "--sink.influxdb.url", INFLUX.url(),
                "--sink.influxdb.database", DB,
                "--checkpoint.interval", "1 s",
                // The fleet's event time is January 2026: no wall-clock advance while we wait.
                "--watermark.idle-timeout", "30 min");
    }

    @Test
    @Order(1)
    void simulatedFleetArrivesInInfluxDbAndResumesFromASavepoint() throws Exception {
        List<Envelope> phase1 = FleetSimulator.generateAll(PHASE_1);
        GroundTruth truth = new FleetSimulator(PHASE_1).groundTruth();
        assertThat(truth.entries()).hasSize(5);
        Expected expected1 = Expected.of(phase1);

        publish(new FleetSimulator(PHASE_1));
        awaitRawPoints(expected1.measurements, expected1.points.size());
        JsonNode stats1 = awaitStats(PHASE_1.start(), expected1.points.size());
        assertThat(stats1.path(1).asLong()).isEqualTo(expected1.points.size());
        assertThat(stats1.path(2).asLong())
                .as("a fresh job writes no mean during each series' warm-up")
                .isLessThan(expected1.points.size());

        Path savepoint =
                Path.of(
                        java.net.URI.create(
                                rest.stopWithSavepoint(jobId, FLINK.savepointDir(), TIMEOUT)));
        assertThat(rest.jobState(jobId)).isEqualTo("FINISHED");
        jobId =
                rest.run(
                        jarId,
                        TelemetryJob.class.getName(),
                        jobArgs(),
                        PARALLELISM,
                        savepoint.toString());
        rest.awaitAllTasksRunning(jobId, TIMEOUT);

        List<Envelope> phase2 = FleetSimulator.generateAll(PHASE_2);
        Expected expected2 = Expected.of(phase2);
        publish(new FleetSimulator(PHASE_2));
        awaitRawPoints(expected1.measurements, expected1.points.size() + expected2.points.size());

        JsonNode stats2 = awaitStats(PHASE_2_START, expected2.points.size());
        assertThat(stats2.path(1).asLong()).isEqualTo(expected2.points.size());
        assertThat(stats2.path(2).asLong())
                .as("every point after the resume has a mean: the statistics were restored")
                .isEqualTo(expected2.points.size());

        assertEveryInjectionDetected(truth);
        assertThat(Influx.rows(INFLUX.admin(), FLINK_DB, "SHOW MEASUREMENTS"))
                .as("Flink's metrics reporter (flink-conf/config.yaml) writes to InfluxDB")
                .extracting(row -> row.path(0).asText())
                .contains("jobmanager_numRegisteredTaskManagers");
    }

    /**
     * The two "Pipeline health" panels that need a Kafka source and a running bridge (exempt in the
     * pipeline's DashboardQueriesITCase, which has neither) return data here, with Grafana's macros
     * and variables substituted.
     */
    @Test
    @Order(2)
    void pipelineHealthPanelsOfKafkaAndTheBridgeReturnData() throws Exception {
        JsonNode dashboard =
                new ObjectMapper()
                        .readTree(
                                Path.of(System.getProperty("vigil.repo.dir", ".."))
                                        .resolve("grafana/dashboards/pipeline-health.json")
                                        .toFile());
        for (String title : List.of("Kafka consumer lag", "MQTT bridge messages per second")) {
            List<String> queries = panelQueries(dashboard.path("panels"), title);
            assertThat(queries).as("queries of panel %s", title).isNotEmpty();
            for (String query : queries) {
                String influxql =
                        query.replace("$timeFilter", "time > now() - 1h")
                                .replace("$__interval", "10s")
                                .replace("$flink_db", FLINK_DB)
                                .replace("$bridge_db", DB)
                                .replace("$job", ".*");
                Await.until(
                        TIMEOUT,
                        () -> !Influx.rows(INFLUX.admin(), DB, influxql).isEmpty(),
                        () -> "panel '" + title + "' returns data: " + influxql);
            }
        }
    }

    /**
     * Real telemetry of this machine: collectd ({@code scripts/services/collectd.sh}, the mqtt
     * plugin, every second) → Mosquitto → the bridge → Kafka → the job → InfluxDB. Its series
     * arrive as measurement {@code collectd} with host, plugin and type tags, under a host the
     * simulated fleet does not have. Runs after the simulated data: collectd's event time is now.
     */
    @Test
    @Order(3)
    void realCollectdMetricsArriveInInfluxDb() {
        if (!ServiceScript.onPath("collectd") && !Files.exists(Path.of("/usr/sbin/collectd"))) {
            throw ServiceScript.missing("collectd", "scripts/services/collectd.sh install");
        }
        Set<String> simulatedHosts = new TreeSet<>(tagValues("host", ""));
        ServiceScript collectd = new ServiceScript("collectd", "collectd", Map.of());
        collectd.run("start", Integer.toString(URI.create(MQTT.url()).getPort()), "1");
        try {
            Set<String> hosts = new TreeSet<>();
            Set<String> plugins = new TreeSet<>();
            Await.until(
                    TIMEOUT,
                    () -> {
                        hosts.clear();
                        hosts.addAll(tagValues("host", ""));
                        hosts.removeAll(simulatedHosts);
                        plugins.clear();
                        for (String host : hosts) {
                            plugins.addAll(tagValues("plugin", hostFilter(host)));
                        }
                        return plugins.containsAll(List.of("cpu", "load", "memory"));
                    },
                    () -> "collectd hosts " + hosts + " with plugins " + plugins);
            String host = hosts.iterator().next();
            assertThat(tagValues("type", hostFilter(host))).contains("load", "memory");
            assertThat(
                            Influx.rows(
                                    INFLUX.admin(),
                                    DB,
                                    "SELECT count(*) FROM collectd WHERE plugin = 'load' AND "
                                            + hostFilter(host).substring(" WHERE ".length())))
                    .as("load values of %s", host)
                    .isNotEmpty();
        } finally {
            collectd.run("stop");
        }
    }

    private static String hostFilter(String host) {
        return " WHERE host = '" + host.replace("'", "\\'") + "'";
    }

    /** The values of tag {@code key} in measurement collectd (with an optional WHERE clause). */
    private static List<String> tagValues(String key, String where) {
        List<String> values = new ArrayList<>();
        for (JsonNode row :
                Influx.rows(
                        INFLUX.admin(),
                        DB,
                        "SHOW TAG VALUES FROM collectd WITH KEY = \"" + key + "\"" + where)) {
            values.add(row.path(1).asText());
        }
        return values;
    }

    private static List<String> panelQueries(JsonNode panels, String title) {
        List<String> queries = new ArrayList<>();
        for (JsonNode panel : panels) {
            if (title.equals(panel.path("title").asText())) {
                panel.path("targets").forEach(t -> queries.add(t.path("query").asText()));
            }
            queries.addAll(panelQueries(panel.path("panels"), title));
        }
        return queries;
    }

    private static void publish(FleetSimulator simulator) throws Exception {
        try (EnvelopePublisher publisher =
                EnvelopePublisher.connect(MQTT.url(), "stack-simulator", 500)) {
            published += FleetPublisher.publish(simulator, publisher, Pacer.unlimited(), n -> {});
        }
        BridgeMetrics metrics = bridge.metrics();
        Await.until(TIMEOUT, () -> metrics.forwarded() == published, metrics::render);
    }

    private static void awaitRawPoints(Set<String> measurements, long expected) {
        InfluxDbAdmin admin = INFLUX.admin();
        long[] stored = new long[1];
        Await.until(
                TIMEOUT,
                () -> {
                    stored[0] = 0;
                    measurements.forEach(m -> stored[0] += Influx.fieldValues(admin, DB, m));
                    return stored[0] >= expected;
                },
                () -> stored[0] + " of " + expected + " raw points in " + measurements);
        assertThat(stored[0]).isEqualTo(expected);
    }

    /**
     * {@code [time, count(value), count(mean)]} of vigil_stats from {@code start} on, once {@code
     * expected} values are there (the bands sink commits independently of the raw sink).
     */
    private static JsonNode awaitStats(Instant start, long expected) {
        String query =
                "SELECT count(\"value\"), count(\"mean\") FROM vigil_stats WHERE time >= "
                        + start.toEpochMilli()
                        + "ms";
        JsonNode[] row = new JsonNode[1];
        Await.until(
                TIMEOUT,
                () -> {
                    List<JsonNode> rows = Influx.rows(INFLUX.admin(), DB, query);
                    row[0] = rows.isEmpty() ? null : rows.get(0);
                    return row[0] != null && row[0].path(1).asLong() >= expected;
                },
                () -> "vigil_stats since " + start + ": " + row[0] + ", expected " + expected);
        return row[0];
    }

    /**
     * Each injected anomaly has a detection in vigil_anomalies on its series that overlaps it (with
     * the demo report's slack).
     */
    private static void assertEveryInjectionDetected(GroundTruth truth) {
        List<String> missed = new ArrayList<>();
        Await.until(
                TIMEOUT,
                () -> {
                    missed.clear();
                    List<JsonNode> anomalies =
                            Influx.rows(
                                    INFLUX.admin(),
                                    DB,
                                    "SELECT \"series\", \"duration_s\" FROM vigil_anomalies");
                    for (GroundTruth.Entry entry : truth.entries()) {
                        if (anomalies.stream().noneMatch(a -> overlaps(a, entry))) {
                            missed.add(entry.toString());
                        }
                    }
                    return missed.isEmpty();
                },
                () -> "not detected: " + missed);
    }

    private static boolean overlaps(JsonNode anomaly, GroundTruth.Entry entry) {
        long start = Instant.parse(anomaly.path(0).asText()).toEpochMilli();
        long end = start + (long) (anomaly.path(2).asDouble() * 1000);
        return anomaly.path(1).asText().equals(entry.getSeries())
                && start <= entry.getEnd() + DetectionReport.SLACK_MS
                && end >= entry.getStart() - DetectionReport.SLACK_MS;
    }

    /** What the parser makes of a run: distinct points (series, field, time) and measurements. */
    private static final class Expected {
        final Set<String> points = new HashSet<>();
        final Set<String> measurements = new TreeSet<>();

        static Expected of(List<Envelope> envelopes) {
            Expected expected = new Expected();
            TelemetryParser parser =
                    new TelemetryParser(RoutingConfig.builtIn(), ParserLimits.defaults());
            List<MetricPoint> points = new ArrayList<>();
            for (Envelope envelope : envelopes) {
                points.clear();
                parser.parse(envelope, points);
                for (MetricPoint p : points) {
                    expected.points.add(p.seriesKey() + "@" + p.getTimestamp());
                    expected.measurements.add(p.getMeasurement());
                }
            }
            return expected;
        }
    }
}
