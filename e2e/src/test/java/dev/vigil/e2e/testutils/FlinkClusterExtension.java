package dev.vigil.e2e.testutils;

import dev.vigil.bridge.testutils.ServiceScript;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A standalone Flink session cluster (JobManager + TaskManagers as separate JVMs) for one test
 * class, started and stopped by {@code scripts/services/flink.sh} — the script {@code ./vigil
 * stack} and users run. The Flink jars are fetched once into {@code <repo>/.vigil/services/flink}.
 */
public final class FlinkClusterExtension implements BeforeAllCallback, AfterAllCallback {

    private final int taskManagers;
    private final Supplier<Map<String, String>> flinkProperties;
    private ServiceScript script;
    private Path stateDir;
    private int restPort;

    /**
     * @param flinkProperties extra Flink settings (FLINK_PROPERTIES), asked for at start, so they
     *     may name services started by extensions registered before this one
     */
    public FlinkClusterExtension(int taskManagers, Supplier<Map<String, String>> flinkProperties) {
        this.taskManagers = taskManagers;
        this.flinkProperties = flinkProperties;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Path home = ServiceScript.repoDir().resolve(".vigil/services/flink");
        restPort = ServiceScript.freePortPair();
        String instance = "flink-" + restPort;
        stateDir = ServiceScript.servicesDir().resolve(instance);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("VIGIL_FLINK_HOME", home.toString());
        env.put("FLINK_PROPERTIES", asFlinkProperties(flinkProperties.get()));
        script = new ServiceScript("flink", instance, env);
        if (!Files.isDirectory(home.resolve("plugins/influxdb"))) {
            try {
                script.run("install");
            } catch (IllegalStateException e) {
                throw ServiceScript.missing(
                        "Flink (" + e.getMessage() + ")", "scripts/services/flink.sh install");
            }
        }
        script.run("start", Integer.toString(restPort), "--taskmanagers", "" + taskManagers);
    }

    private static String asFlinkProperties(Map<String, String> properties) {
        return properties.entrySet().stream()
                .map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining("\n"));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (script != null) {
            script.run("stop");
        }
    }

    public String restUrl() {
        return "http://127.0.0.1:" + restPort;
    }

    public FlinkRest rest() {
        return new FlinkRest(restUrl());
    }

    /** Where savepoints of this cluster go (a folder of its state directory). */
    public Path savepointDir() {
        return stateDir.resolve("flink-cluster/savepoints");
    }

    /**
     * The PID of the TaskManager with resource id {@code tm-<index>} ({@code
     * taskmanager-<index>.pid}), for a test that kills it.
     */
    public long taskManagerPid(String resourceId) {
        Path pidFile =
                stateDir.resolve(
                        "flink-cluster/taskmanager-" + resourceId.replace("tm-", "") + ".pid");
        try {
            return Long.parseLong(Files.readString(pidFile).trim());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public Path logDir() {
        return stateDir.resolve("flink-cluster/log");
    }
}
