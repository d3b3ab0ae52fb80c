package dev.vigil.pipeline.grafana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The repository's Grafana files (grafana/) as JSON trees, and walks over dashboards. */
final class GrafanaFiles {

    static final String DATASOURCE_TYPE = "influxdb";
    static final String DATASOURCE_UID = "vigil-influxdb";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private GrafanaFiles() {}

    /** The repository root: {@code vigil.repo.dir} (failsafe) or the first parent with grafana/. */
    static Path repoDir() {
        String configured = System.getProperty("vigil.repo.dir");
        if (configured != null && Files.isDirectory(Paths.get(configured, "grafana"))) {
            return Paths.get(configured);
        }
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("grafana").resolve("dashboards"))) {
                return dir;
            }
        }
        throw new IllegalStateException(
                "cannot find grafana/dashboards above " + Paths.get("").toAbsolutePath());
    }

    static Path grafanaDir() {
        return repoDir().resolve("grafana");
    }

    /** Every dashboard JSON file in grafana/dashboards, by file name, parsed. */
    static Map<String, JsonNode> dashboards() {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (Path file : files(grafanaDir().resolve("dashboards"), ".json")) {
            out.put(file.getFileName().toString(), readJson(file));
        }
        return out;
    }

    /** Every provisioning YAML file under grafana/provisioning, parsed. */
    static Map<Path, JsonNode> provisioning() {
        Map<Path, JsonNode> out = new LinkedHashMap<>();
        Path root = grafanaDir().resolve("provisioning");
        for (String sub : List.of("datasources", "dashboards")) {
            for (Path file : files(root.resolve(sub), ".yaml")) {
                out.put(file, readYaml(file));
            }
        }
        return out;
    }

    static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable JSON " + file + ": " + e.getMessage(), e);
        }
    }

    static JsonNode readYaml(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable YAML " + file + ": " + e.getMessage(), e);
        }
    }

    /** All panels, rows' nested panels included, in dashboard order. */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            out.add(panel);
            for (JsonNode nested : panel.path("panels")) {
                out.add(nested);
            }
        }
        return out;
    }

    static List<JsonNode> templateVariables(JsonNode dashboard) {
        List<JsonNode> out = new ArrayList<>();
        dashboard.path("templating").path("list").forEach(out::add);
        return out;
    }

    static List<JsonNode> annotations(JsonNode dashboard) {
        List<JsonNode> out = new ArrayList<>();
        dashboard.path("annotations").path("list").forEach(out::add);
        return out;
    }

    /** Every object node named "datasource" anywhere in the tree, with its JSON path. */
    static Map<String, JsonNode> datasourceReferences(JsonNode node) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        collectDatasources(node, "$", out);
        return out;
    }

    private static void collectDatasources(JsonNode node, String path, Map<String, JsonNode> out) {
        if (node.isObject()) {
            node.fields()
                    .forEachRemaining(
                            e -> {
                                String child = path + "." + e.getKey();
                                if (e.getKey().equals("datasource")) {
                                    out.put(child, e.getValue());
                                }
                                collectDatasources(e.getValue(), child, out);
                            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectDatasources(node.get(i), path + "[" + i + "]", out);
            }
        }
    }

    private static List<Path> files(Path dir, String suffix) {
        try (Stream<Path> paths = Files.list(dir)) {
            return paths.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }
}
