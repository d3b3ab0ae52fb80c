package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.bridge.testutils.ServiceScript;
import dev.vigil.pipeline.config.VigilConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker/compose.yml cannot run here (no Docker engine); this checks what can be checked without
 * one: it parses, images are pinned in docker/.env, build contexts and mounted files exist, host
 * ports are those of scripts/stack.env, and the job's arguments are real settings.
 */
class ComposeFileTest {

    private static final Path REPO = ServiceScript.repoDir();
    private static final Path DOCKER = REPO.resolve("docker");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z0-9_]+)}");

    /** Which stack.env port each service publishes. */
    private static final Map<String, String> PUBLISHED =
            Map.of(
                    "mosquitto", "MOSQUITTO_PORT",
                    "kafka", "KAFKA_PORT",
                    "influxdb", "INFLUXDB_PORT",
                    "jobmanager", "FLINK_REST_PORT",
                    "bridge", "BRIDGE_METRICS_PORT",
                    "grafana", "GRAFANA_PORT",
                    "kinesis", "KINESIS_PORT");

    private final Map<String, Object> compose = readCompose();
    private final Map<String, String> env = readEnvFile(DOCKER.resolve(".env"));
    private final Map<String, String> stackEnv = readEnvFile(REPO.resolve("scripts/stack.env"));

    @Test
    void everyServiceHasAPinnedImageOrABuildContext() {
        assertThat(services()).containsKeys("mosquitto", "kafka", "influxdb", "grafana", "job");
        services()
                .forEach(
                        (name, service) -> {
                            Object build = service.get("build");
                            if (build != null) {
                                assertBuildable(name, map(build));
                            } else {
                                assertPinned(name, (String) service.get("image"));
                            }
                        });
    }

    private void assertPinned(String service, String image) {
        assertThat(image).as(service + " image").isNotNull();
        Matcher m = VARIABLE.matcher(image);
        assertThat(m.matches()).as(service + " image comes from docker/.env: " + image).isTrue();
        String pinned = env.get(m.group(1));
        assertThat(pinned).as(m.group(1) + " in docker/.env").isNotNull();
        String tag = pinned.substring(pinned.lastIndexOf(':') + 1);
        assertThat(pinned).contains(":");
        assertThat(tag).as(service + " tag").matches(".*\\d+\\.\\d+.*").doesNotContain("latest");
    }

    private void assertBuildable(String service, Map<String, Object> build) {
        Path context = DOCKER.resolve((String) build.get("context")).normalize();
        Path dockerfile = context.resolve((String) build.get("dockerfile"));
        assertThat(context).as(service + " build context").isDirectory();
        assertThat(dockerfile).as(service + " Dockerfile").isRegularFile();
        Map<String, Object> args = map(build.getOrDefault("args", Map.of()));
        for (String arg : dockerfileArgs(dockerfile)) {
            assertThat(args).as(service + " passes build arg " + arg).containsKey(arg);
            assertPinned(service + " (" + arg + ")", (String) args.get(arg));
        }
    }

    @Test
    void mountedHostPathsExist() {
        services()
                .forEach(
                        (name, service) -> {
                            for (Object volume : list(service.get("volumes"))) {
                                String source = ((String) volume).split(":")[0];
                                if (source.startsWith(".")) {
                                    assertThat(DOCKER.resolve(source).normalize())
                                            .as(name + " mounts " + source)
                                            .exists();
                                }
                            }
                        });
    }

    @Test
    void publishedPortsAreThoseOfStackEnv() {
        Map<String, Integer> published = new LinkedHashMap<>();
        services()
                .forEach(
                        (name, service) -> {
                            for (Object port : list(service.get("ports"))) {
                                String[] parts = ((String) port).split(":");
                                assertThat(parts[0])
                                        .as(name + " binds loopback")
                                        .isEqualTo("127.0.0.1");
                                published.put(name, Integer.parseInt(parts[1]));
                            }
                        });
        Map<String, Integer> expected = new LinkedHashMap<>();
        PUBLISHED.forEach(
                (service, key) -> expected.put(service, Integer.parseInt(stackEnv.get(key))));
        assertThat(published).isEqualTo(expected);
    }

    @Test
    void theJobIsSubmittedWithRealSettings() {
        List<String> command =
                list(services().get("job").get("command")).stream()
                        .map(String::valueOf)
                        .collect(Collectors.toList());
        int jar = command.indexOf("/opt/vigil/job.jar");
        assertThat(command.subList(0, jar))
                .containsSubsequence("flink", "run", "-c", "dev.vigil.pipeline.TelemetryJob");
        Map<String, String> settings =
                VigilConfig.parseOverrides(command.subList(jar + 1, command.size()));
        Set<String> known =
                VigilConfig.allOptions().stream()
                        .map(ConfigOption::key)
                        .collect(Collectors.toSet());
        assertThat(known).containsAll(settings.keySet());
        VigilConfig.load(null, settings); // values parse
        assertThat(settings)
                .containsEntry("source.type", "kafka")
                .containsEntry("sink.type", "influxdb")
                .containsEntry("source.kafka.topic", stackEnv.get("KAFKA_TOPIC"))
                .containsEntry("sink.influxdb.database", stackEnv.get("INFLUXDB_DATABASE"));
    }

    @Test
    void flinkConfigurationCarriesTheJvmOpensOfThePom() throws IOException {
        Map<String, Object> config =
                new Yaml().load(Files.readString(REPO.resolve("flink-conf/config.yaml")));
        Object opens = map(map(map(config.get("env")).get("java")).get("opts")).get("all");
        String pom = Files.readString(REPO.resolve("pom.xml"));
        Matcher m = Pattern.compile("<flink.jvm.opens>(.*)</flink.jvm.opens>").matcher(pom);
        assertThat(m.find()).isTrue();
        assertThat(opens).isEqualTo(m.group(1));
    }

    // ------------------------------------------------------------------ reading the files

    private Map<String, Map<String, Object>> services() {
        Map<String, Map<String, Object>> services = new LinkedHashMap<>();
        map(compose.get("services")).forEach((name, service) -> services.put(name, map(service)));
        return services;
    }

    private static Map<String, Object> readCompose() {
        try {
            return new Yaml().load(Files.readString(DOCKER.resolve("compose.yml")));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> readEnvFile(Path file) {
        Map<String, String> values = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                String t = line.trim();
                if (!t.isEmpty() && !t.startsWith("#")) {
                    int eq = t.indexOf('=');
                    values.put(t.substring(0, eq), t.substring(eq + 1));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return values;
    }

    private static List<String> dockerfileArgs(Path dockerfile) {
        List<String> args = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(dockerfile)) {
                if (line.startsWith("ARG ")) {
                    args.add(line.substring(4).trim());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return args;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    private static List<Object> list(Object o) {
        if (o == null) {
            return List.of();
        }
        List<Object> out = new ArrayList<>();
        out.addAll((List<?>) o);
        return out;
    }
}
