package dev.vigil.bridge.testutils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A Kafka broker (KRaft) on free ports for one test class, started and stopped by its script. The
 * broker jars are fetched once into {@code <repo>/.vigil/services/kafka-lib} (Maven, from the local
 * repository when present).
 */
public final class KafkaExtension implements BeforeAllCallback, AfterAllCallback {

    private ServiceScript script;
    private int port;

    @Override
    public void beforeAll(ExtensionContext context) {
        Path lib = ServiceScript.repoDir().resolve(".vigil/services/kafka-lib");
        port = ServiceScript.freePortPair();
        script =
                new ServiceScript(
                        "kafka", "kafka-" + port, Map.of("VIGIL_KAFKA_LIB", lib.toString()));
        if (!installed(lib)) {
            try {
                script.run("install");
            } catch (IllegalStateException e) {
                throw ServiceScript.missing(
                        "The Kafka broker (" + e.getMessage() + ")",
                        "scripts/services/kafka.sh install");
            }
        }
        start();
    }

    private static boolean installed(Path lib) {
        try (Stream<Path> jars = Files.list(lib)) {
            return jars.anyMatch(p -> p.getFileName().toString().startsWith("kafka_2.13-"));
        } catch (Exception e) {
            return false;
        }
    }

    /** (Re)starts the broker on the same ports, keeping its data. */
    public void start() {
        script.run("start", Integer.toString(port));
    }

    /** Stops the broker (SIGTERM, by PID); its data stays. */
    public void stop() {
        script.run("stop");
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (script != null) {
            script.run("stop");
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }
}
