package dev.vigil.pipeline.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.common.model.Envelope;
import dev.vigil.connectors.influxdb.InfluxDbAdmin;
import dev.vigil.connectors.influxdb.InfluxDbSinkException;
import dev.vigil.connectors.influxdb.testutils.InfluxDbExtension;
import dev.vigil.pipeline.TelemetryJob;
import dev.vigil.pipeline.TelemetryWorkflow;
import dev.vigil.pipeline.config.VigilConfig;
import dev.vigil.pipeline.model.Anomaly;
import dev.vigil.pipeline.model.AnomalyKind;
import dev.vigil.pipeline.parse.ParseFunction;
import dev.vigil.pipeline.sink.InfluxSchema;
import dev.vigil.pipeline.sink.InfluxSinks;
import dev.vigil.simulator.FleetConfig;
import dev.vigil.simulator.FleetSimulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.util.TestStreamEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every query of every Grafana dashboard, run against a real InfluxDB filled by the real job: the
 * workflow with the InfluxDB sinks over a simulated fleet on a MiniCluster (parallelism 2) whose
 * metrics go through Flink's InfluxDB reporter into database {@value #FLINK_DB}. Each panel target,
 * annotation and template variable query must parse and return data, except the panels that need a
 * service this test does not run ({@link #NEEDS_ABSENT_SERVICE}).
 */
class DashboardQueriesITCase {

    private static final String VIGIL_DB = "vigil";
    private static final String FLINK_DB = "flink";

    /** Where Telegraf would write the MQTT bridge's scraped metrics: exists, stays empty here. */
    private static final String BRIDGE_DB = "telegraf";

    /** Panels whose data comes from a service that is not in this test: they only must parse. */
    private static final Set<String> NEEDS_ABSENT_SERVICE =
            Set.of(
                    "Kafka consumer lag", // needs a Kafka source (source.type=kafka)
                    "MQTT bridge messages per second"); // pushed by a running bridge: none in this

    // test

    private static final FleetConfig FLEET =
            FleetConfig.builder().duration(Duration.ofHours(1)).build();

    @RegisterExtension
    @Order(1)
    static final InfluxDbExtension INFLUX = InfluxDbExtension.plain();

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    () ->
                            new MiniClusterResourceConfiguration.Builder()
                                    .setNumberTaskManagers(1)
                                    .setNumberSlotsPerTaskManager(2)
                                    .setConfiguration(influxReporter())
                                    .build());

    private static final List<Anomaly> emitted = new ArrayList<>();
    private static JobExecutionResult result;
    private static long wallStartMs;
    private static long wallEndMs;

    /**
     * Flink's InfluxDB metrics reporter exactly as flink-conf/config.yaml configures it, except
     * where InfluxDB is (this test's influxd) and a short interval.
     */
    private static Configuration influxReporter() {
        INFLUX.admin().createDatabase(FLINK_DB);
        INFLUX.admin().createDatabase(BRIDGE_DB);
        JsonNode reporter =
                GrafanaFiles.readYaml(GrafanaFiles.repoDir().resolve("flink-conf/config.yaml"))
                        .path("metrics")
                        .path("reporter")
                        .path("influxdb");
        assertThat(reporter.path("db").asText()).isEqualTo(FLINK_DB);
        Configuration c = new Configuration();
        String prefix = "metrics.reporter.influxdb.";
        reporter.fields()
                .forEachRemaining(e -> c.setString(prefix + e.getKey(), e.getValue().asText()));
        c.setString(prefix + "host", "127.0.0.1");
        c.setString(prefix + "port", String.valueOf(INFLUX.port()));
        c.setString(prefix + "interval", "500 ms");
        return c;
    }

    @BeforeAll
    static void runTheJobIntoInfluxDb(@InjectMiniCluster MiniCluster cluster) throws Exception {
        List<Envelope> envelopes = FleetSimulator.generateAll(FLEET);
        VigilConfig config =
                VigilConfig.load(
                        null,
                        Map.of(
                                "sink.influxdb.url",
                                INFLUX.url(),
                                "sink.influxdb.database",
                                VIGIL_DB,
                                "checkpoint.interval",
                                "200 ms",
                                "job.parallelism",
                                "2"));
        // The extension's cluster (with the reporter): in @BeforeAll it is not the context env yet.
        StreamExecutionEnvironment env = new TestStreamEnvironment(cluster, 2);
        TelemetryJob.configure(env, config);
        TelemetryWorkflow.Streams streams =
                new TelemetryWorkflow(config)
                        .build(
                                env.fromData(envelopes, TypeInformation.of(Envelope.class))
                                        .name("envelopes (simulator)")
                                        .uid("source-envelopes"));
        TelemetryWorkflow.sinkTo(streams, InfluxSinks.create(config));
        CloseableIterator<Anomaly> anomalies = streams.anomalies.collectAsync();

        // Flink's reporter stamps metrics with the wall clock (vigil's data carries event time):
        // the pipeline-health queries run over the job's wall-clock window.
        wallStartMs = System.currentTimeMillis();
        JobClient job = env.executeAsync("vigil dashboards it");
        try (CloseableIterator<Anomaly> it = anomalies) {
            it.forEachRemaining(emitted::add);
        }
        result = job.getJobExecutionResult().get();
        wallEndMs = System.currentTimeMillis();
    }

    // ------------------------------------------------------------------ what the job wrote

    @Test
    void influxDbHoldsExactlyTheRawPointsTheJobAccepted() {
        long accepted = accumulator(ParseFunction.POINTS);
        assertThat(accepted).isPositive();
        assertThat(rawFieldValuesInInfluxDb()).isEqualTo(accepted);
    }

    @Test
    void influxDbHoldsExactlyTheAnomaliesTheJobEmitted() {
        assertThat(emitted).hasSizeGreaterThan(5);
        InfluxDbAdmin admin = INFLUX.admin();
        assertThat(
                        admin.queryLong(
                                VIGIL_DB,
                                "SELECT count(\"score\") FROM \"" + InfluxSchema.ANOMALIES + "\""))
                .isEqualTo(emitted.size());
        Map<String, Long> byKind = new LinkedHashMap<>();
        for (AnomalyKind kind : AnomalyKind.values()) {
            byKind.put(kind.name().toLowerCase(Locale.ROOT), 0L);
        }
        emitted.forEach(
                a -> byKind.merge(a.getKind().name().toLowerCase(Locale.ROOT), 1L, Long::sum));
        byKind.forEach(
                (kind, count) ->
                        assertThat(
                                        admin.queryLong(
                                                VIGIL_DB,
                                                "SELECT count(\"score\") FROM \"vigil_anomalies\""
                                                        + " WHERE \"kind\" = '"
                                                        + kind
                                                        + "'"))
                                .as(kind)
                                .isEqualTo(count));
    }

    @Test
    void rejectsAreStoredOnePointPerRejectedMessage() {
        long rejected = accumulator(ParseFunction.REJECTED);
        assertThat(rejected).isPositive();
        assertThat(
                        INFLUX.admin()
                                .queryLong(
                                        VIGIL_DB, "SELECT sum(\"count\") FROM \"vigil_rejects\""))
                .isEqualTo(rejected);
    }

    // ------------------------------------------------------------------ the dashboards

    @Test
    void fleetOverviewQueriesReturnData() {
        List<String> problems = new ArrayList<>();
        runDashboard("fleet-overview.json", simulatedTime(), Map.of(), problems);
        assertThat(problems).isEmpty();
    }

    @Test
    void seriesExplorerQueriesReturnDataForSensorsAndServers() {
        List<Map<String, String>> selections = anomalousSeriesPerMeasurement();
        assertThat(selections)
                .extracting(s -> s.get("measurement"))
                .as("a sensor measurement and a server measurement")
                .contains("environment")
                .anyMatch(m -> Set.of("cpu", "system", "mem", "net", "collectd").contains(m));
        List<String> problems = new ArrayList<>();
        for (Map<String, String> selection : selections) {
            runDashboard("series-explorer.json", simulatedTime(), selection, problems);
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void pipelineHealthQueriesReturnFlinkMetrics() {
        List<String> problems = new ArrayList<>();
        runDashboard(
                "pipeline-health.json",
                new GrafanaMacros(wallStartMs - 2000, wallEndMs + 2000, "1s", 1000),
                Map.of("job", "vigil dashboards it"),
                problems);
        assertThat(problems).isEmpty();
        assertThat(
                        INFLUX.admin()
                                .queryLong(
                                        FLINK_DB,
                                        "SELECT max(\"value\") FROM"
                                                + " \"jobmanager_job_numberOfCompletedCheckpoints\""))
                .as("the checkpoint panels show real checkpoints")
                .isPositive();
    }

    @Test
    void theExceptionsAreRealPanelsThatDependOnAnotherService() {
        Set<String> titles = new TreeSet<>();
        Map<String, JsonNode> dashboards = GrafanaFiles.dashboards();
        for (JsonNode panel : GrafanaFiles.panels(dashboards.get("pipeline-health.json"))) {
            if (NEEDS_ABSENT_SERVICE.contains(panel.path("title").asText())) {
                titles.add(panel.path("title").asText());
                assertThat(panel.path("description").asText())
                        .containsAnyOf("Needs a Kafka source", "Needs a running MQTT bridge");
            }
        }
        assertThat(titles).containsExactlyInAnyOrderElementsOf(NEEDS_ABSENT_SERVICE);
    }

    // ------------------------------------------------------------------ helpers

    /**
     * Resolves the dashboard's variables (each by running its own query; {@code preferred} picks
     * among the values it returns), then runs every target and annotation. Appends a line per query
     * that fails or returns no data.
     */
    private static void runDashboard(
            String file,
            GrafanaMacros macros,
            Map<String, String> preferred,
            List<String> problems) {
        JsonNode dashboard = GrafanaFiles.dashboards().get(file);
        String where = file + " " + preferred;
        for (JsonNode variable : GrafanaFiles.templateVariables(dashboard)) {
            resolveVariable(variable, macros, preferred, where);
        }
        for (JsonNode panel : GrafanaFiles.panels(dashboard)) {
            String title = panel.path("title").asText();
            for (JsonNode target : panel.path("targets")) {
                String what = where + " panel '" + title + "' " + target.path("refId").asText();
                String query = macros.apply(target.path("query").asText());
                checkQuery(what, query, !NEEDS_ABSENT_SERVICE.contains(title), problems);
            }
        }
        for (JsonNode annotation : GrafanaFiles.annotations(dashboard)) {
            String what = where + " annotation '" + annotation.path("name").asText() + "'";
            checkQuery(what, macros.apply(annotation.path("query").asText()), true, problems);
        }
    }

    private static void resolveVariable(
            JsonNode variable, GrafanaMacros macros, Map<String, String> preferred, String where) {
        String name = variable.path("name").asText();
        String type = variable.path("type").asText();
        if (!type.equals("query")) {
            macros.set(name, variable.path("current").path("value").asText());
            return;
        }
        List<String> values = tagValues(macros.apply(variable.path("query").asText()));
        String wanted = preferred.get(name);
        if (values.isEmpty() && variable.path("includeAll").asBoolean() && wanted == null) {
            macros.setAll(name, variable.path("allValue").asText());
            return;
        }
        assertThat(values).as(where + " variable " + name).isNotEmpty();
        if (wanted != null) {
            assertThat(values).as(where + " variable " + name).contains(wanted);
        }
        macros.set(name, wanted != null ? wanted : values.get(0));
    }

    private static void checkQuery(
            String what, String query, boolean mustReturnData, List<String> problems) {
        assertThat(query).as(what).doesNotContainPattern("\\$[A-Za-z_{]");
        JsonNode json;
        try {
            json = INFLUX.admin().query(VIGIL_DB, query);
        } catch (InfluxDbSinkException e) {
            problems.add(what + ": " + e.getMessage());
            return;
        }
        if (mustReturnData && !hasValues(json)) {
            problems.add(what + ": no data for " + query);
        }
    }

    /** True when some row of some series has a non-null value besides its time. */
    private static boolean hasValues(JsonNode json) {
        for (JsonNode series : json.path("results").path(0).path("series")) {
            for (JsonNode row : series.path("values")) {
                for (int i = 1; i < row.size(); i++) {
                    if (!row.get(i).isNull()) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** The "value" column of a SHOW TAG VALUES result, in order, without duplicates. */
    private static List<String> tagValues(String query) {
        Set<String> values = new LinkedHashSet<>();
        JsonNode json = INFLUX.admin().query(VIGIL_DB, query);
        for (JsonNode series : json.path("results").path(0).path("series")) {
            for (JsonNode row : series.path("values")) {
                values.add(row.get(row.size() - 1).asText());
            }
        }
        return new ArrayList<>(values);
    }

    /**
     * For each measurement with anomalies, the variable values selecting its first anomalous
     * series: measurement, field, entity (device or host) and instance (collectd type_instance).
     */
    private static List<Map<String, String>> anomalousSeriesPerMeasurement() {
        JsonNode json =
                INFLUX.admin()
                        .query(
                                VIGIL_DB,
                                "SELECT first(\"score\") FROM \"vigil_anomalies\" GROUP BY"
                                        + " \"measurement\", \"field\", \"device\", \"host\","
                                        + " \"type_instance\"");
        Map<String, Map<String, String>> byMeasurement = new LinkedHashMap<>();
        for (JsonNode series : json.path("results").path(0).path("series")) {
            JsonNode tags = series.path("tags");
            String measurement = tags.path("measurement").asText();
            if (byMeasurement.containsKey(measurement)) {
                continue;
            }
            Map<String, String> selection = new LinkedHashMap<>();
            selection.put("measurement", measurement);
            selection.put("field", tags.path("field").asText());
            String device = tags.path("device").asText();
            selection.put("entity", device.isEmpty() ? tags.path("host").asText() : device);
            String instance = tags.path("type_instance").asText();
            if (!instance.isEmpty()) {
                selection.put("instance", instance);
            }
            byMeasurement.put(measurement, selection);
        }
        return new ArrayList<>(byMeasurement.values());
    }

    /** Sum over the raw measurements (all but vigil_*) of the count of every field. */
    private static long rawFieldValuesInInfluxDb() {
        InfluxDbAdmin admin = INFLUX.admin();
        long total = 0;
        for (String measurement : tagValuesOfShowMeasurements(admin)) {
            if (measurement.startsWith("vigil_")) {
                continue;
            }
            JsonNode json = admin.query(VIGIL_DB, "SELECT count(*) FROM \"" + measurement + "\"");
            for (JsonNode series : json.path("results").path(0).path("series")) {
                JsonNode row = series.path("values").path(0);
                for (int i = 1; i < row.size(); i++) {
                    total += row.get(i).asLong();
                }
            }
        }
        return total;
    }

    private static List<String> tagValuesOfShowMeasurements(InfluxDbAdmin admin) {
        List<String> names = new ArrayList<>();
        JsonNode json = admin.query(VIGIL_DB, "SHOW MEASUREMENTS");
        for (JsonNode row : json.path("results").path(0).path("series").path(0).path("values")) {
            names.add(row.get(0).asText());
        }
        assertThat(names).contains("environment", "collectd", InfluxSchema.STATS);
        return names;
    }

    private static GrafanaMacros simulatedTime() {
        long from = FLEET.start().toEpochMilli();
        long to = from + FLEET.duration().toMillis() + Duration.ofMinutes(10).toMillis();
        return new GrafanaMacros(from, to, "1m", 60_000);
    }

    private static long accumulator(String name) {
        Object value = result.getAccumulatorResult(name);
        return value == null ? 0 : ((Number) value).longValue();
    }
}
