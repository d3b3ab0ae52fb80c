package dev.vigil.pipeline.grafana;

import static dev.vigil.pipeline.grafana.GrafanaFiles.DATASOURCE_TYPE;
import static dev.vigil.pipeline.grafana.GrafanaFiles.DATASOURCE_UID;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The Grafana files are well-formed and consistent (no Grafana, no InfluxDB needed). */
class DashboardStructureTest {

    private static final Map<String, String> EXPECTED_UIDS =
            Map.of(
                    "fleet-overview.json", "vigil-fleet-overview",
                    "series-explorer.json", "vigil-series-explorer",
                    "pipeline-health.json", "vigil-pipeline-health");

    private final Map<String, JsonNode> dashboards = GrafanaFiles.dashboards();

    @Test
    void theThreeDashboardsParseWithStableUidsAndSchemaVersion39() {
        assertThat(dashboards).containsOnlyKeys(EXPECTED_UIDS.keySet());
        dashboards.forEach(
                (file, d) -> {
                    assertThat(d.path("uid").asText()).as(file).isEqualTo(EXPECTED_UIDS.get(file));
                    assertThat(d.path("schemaVersion").asInt()).as(file).isEqualTo(39);
                    assertThat(d.path("title").asText()).as(file).startsWith("vigil — ");
                    assertThat(d.has("id")).as(file + ": no instance-specific id").isFalse();
                });
    }

    @Test
    void panelIdsAreUniqueAndPanelsFitTheGrid() {
        dashboards.forEach(
                (file, d) -> {
                    List<Integer> ids = new ArrayList<>();
                    for (JsonNode panel : GrafanaFiles.panels(d)) {
                        ids.add(panel.path("id").asInt(-1));
                        JsonNode grid = panel.path("gridPos");
                        assertThat(grid.path("x").asInt() + grid.path("w").asInt())
                                .as(file + " panel " + panel.path("title").asText())
                                .isBetween(1, 24);
                        assertThat(panel.path("title").asText()).as(file).isNotBlank();
                    }
                    assertThat(ids).as(file).doesNotContain(-1).doesNotHaveDuplicates();
                });
    }

    @Test
    void everyDatasourceReferenceIsTheVigilInfluxDb() {
        dashboards.forEach(
                (file, d) -> {
                    Map<String, JsonNode> refs = GrafanaFiles.datasourceReferences(d);
                    assertThat(refs).as(file).isNotEmpty();
                    refs.forEach(
                            (path, ref) -> {
                                assertThat(ref.path("uid").asText())
                                        .as(file + " " + path)
                                        .isEqualTo(DATASOURCE_UID);
                                assertThat(ref.path("type").asText())
                                        .as(file + " " + path)
                                        .isEqualTo(DATASOURCE_TYPE);
                            });
                });
    }

    @Test
    void panelsTargetsAnnotationsAndVariablesNameTheDatasourceExplicitly() {
        dashboards.forEach(
                (file, d) -> {
                    for (JsonNode panel : GrafanaFiles.panels(d)) {
                        String what = file + " panel '" + panel.path("title").asText() + "'";
                        String type = panel.path("type").asText();
                        if (type.equals("row") || type.equals("text")) {
                            assertThat(panel.has("targets")).as(what).isFalse();
                            continue;
                        }
                        assertUsesVigilInfluxDb(panel, what);
                        assertThat(panel.path("targets")).as(what).isNotEmpty();
                        for (JsonNode target : panel.path("targets")) {
                            String t = what + " target " + target.path("refId").asText();
                            assertUsesVigilInfluxDb(target, t);
                            assertThat(target.path("rawQuery").asBoolean()).as(t).isTrue();
                            assertThat(target.path("query").asText()).as(t).startsWith("SELECT ");
                        }
                    }
                    for (JsonNode annotation : GrafanaFiles.annotations(d)) {
                        assertUsesVigilInfluxDb(annotation, file + " annotation");
                        assertThat(annotation.path("query").asText()).startsWith("SELECT ");
                        assertThat(annotation.path("target").path("query").asText())
                                .as(file + " annotation target (Grafana 10+ form)")
                                .isEqualTo(annotation.path("query").asText());
                    }
                    for (JsonNode variable : GrafanaFiles.templateVariables(d)) {
                        if (variable.path("type").asText().equals("query")) {
                            assertUsesVigilInfluxDb(
                                    variable, file + " variable " + variable.path("name"));
                            assertThat(variable.path("query").asText())
                                    .startsWith("SHOW TAG VALUES");
                        }
                    }
                });
    }

    @Test
    void seriesExplorerHasItsVariablesAndAnAnomalyAnnotation() {
        JsonNode explorer = dashboards.get("series-explorer.json");
        assertThat(GrafanaFiles.templateVariables(explorer))
                .extracting(v -> v.path("name").asText())
                .containsExactly("measurement", "field", "entity", "instance");
        assertThat(GrafanaFiles.annotations(explorer))
                .singleElement()
                .satisfies(
                        a ->
                                assertThat(a.path("query").asText())
                                        .contains("FROM \"vigil_anomalies\"")
                                        .contains("/^$measurement$/")
                                        .contains("/^$entity$/"));
    }

    @Test
    void provisioningFilesParseAndPointAtExistingFolders() {
        Map<Path, JsonNode> files = GrafanaFiles.provisioning();
        Path grafana = GrafanaFiles.grafanaDir();
        JsonNode datasources = files.get(grafana.resolve("provisioning/datasources/vigil.yaml"));
        JsonNode providers = files.get(grafana.resolve("provisioning/dashboards/vigil.yaml"));
        assertThat(files).hasSize(2);

        assertThat(datasources.path("apiVersion").asInt()).isEqualTo(1);
        JsonNode ds = datasources.path("datasources").get(0);
        assertThat(ds.path("uid").asText()).isEqualTo(DATASOURCE_UID);
        assertThat(ds.path("type").asText()).isEqualTo(DATASOURCE_TYPE);
        assertThat(ds.path("url").asText()).isEqualTo("http://influxdb:8086");
        assertThat(ds.path("jsonData").path("dbName").asText()).isEqualTo("vigil");

        assertThat(providers.path("apiVersion").asInt()).isEqualTo(1);
        JsonNode provider = providers.path("providers").get(0);
        assertThat(provider.path("type").asText()).isEqualTo("file");
        assertThat(provider.path("options").path("path").asText())
                .isEqualTo("/var/lib/grafana/dashboards");
        // grafana/dashboards is what gets mounted at that path.
        assertThat(grafana.resolve("dashboards")).isDirectory();
        assertThat(Files.isDirectory(grafana.resolve("provisioning/datasources"))).isTrue();
    }

    @Test
    void flinkConfigurationHasTheInfluxDbReporter() {
        JsonNode config =
                GrafanaFiles.readYaml(GrafanaFiles.repoDir().resolve("flink-conf/config.yaml"));
        JsonNode reporter = config.path("metrics").path("reporter").path("influxdb");
        assertThat(reporter.path("factory.class").asText())
                .isEqualTo("org.apache.flink.metrics.influxdb.InfluxdbReporterFactory");
        assertThat(reporter.path("db").asText()).isEqualTo("flink");
        assertThat(reporter.path("port").asInt()).isEqualTo(8086);
        Set<String> keys = new HashSet<>();
        reporter.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).contains("host", "interval");
    }

    private static void assertUsesVigilInfluxDb(JsonNode node, String what) {
        JsonNode ref = node.path("datasource");
        assertThat(ref.isObject()).as(what + " has a datasource object").isTrue();
        assertThat(ref.path("uid").asText()).as(what).isEqualTo(DATASOURCE_UID);
        assertThat(ref.path("type").asText()).as(what).isEqualTo(DATASOURCE_TYPE);
    }
}
