package dev.vigil.e2e.testutils;

import dev.vigil.bridge.BridgeMain;
import dev.vigil.bridge.testutils.Await;
import dev.vigil.bridge.testutils.ServiceScript;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The MQTT → Kafka bridge as its own JVM ({@code BridgeMain --config FILE}, as {@code ./vigil
 * bridge} runs it), so a test can {@code kill -9} it. Its stable client id keeps the MQTT session
 * (and the broker's queue) across restarts; its Prometheus endpoint tells when it forwards.
 */
public final class BridgeProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path dir;
    private final Path config;
    private final int metricsPort;
    private final HttpClient http = HttpClient.newHttpClient();
    private Process process;
    private int starts;

    public BridgeProcess(Path dir, String mqttUrl, String bootstrap, String topic) {
        this.dir = dir;
        this.config = dir.resolve("bridge.yaml");
        this.metricsPort = ServiceScript.freePort();
        String yaml =
                String.join(
                        "\n",
                        "mqtt:",
                        "  url: " + mqttUrl,
                        "  client-id: fault-bridge",
                        "  topics: ['sensors/#']",
                        "kafka:",
                        "  bootstrap-servers: " + bootstrap,
                        "  topic: " + topic,
                        "  dead-letter-topic: " + topic + ".dead-letter",
                        "  topic-partitions: 4",
                        "metrics:",
                        "  host: 127.0.0.1",
                        "  port: " + metricsPort,
                        "");
        try {
            Files.createDirectories(dir);
            Files.writeString(config, yaml, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the JVM and waits until it is connected to MQTT (subscribed). */
    public BridgeProcess start() {
        List<String> command =
                List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx256m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        BridgeMain.class.getName(),
                        "--config",
                        config.toString());
        Path log = dir.resolve("bridge-" + (++starts) + ".log");
        try {
            process =
                    new ProcessBuilder(command)
                            .redirectErrorStream(true)
                            .redirectOutput(log.toFile())
                            .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Await.until(
                START_TIMEOUT,
                () -> {
                    if (!process.isAlive()) {
                        throw new AssertionError("the bridge exited: " + readQuietly(log));
                    }
                    return metric("vigil_bridge_mqtt_connected") == 1;
                },
                () -> "bridge not connected; log: " + readQuietly(log));
        return this;
    }

    /** {@code kill -9}: no shutdown hook, no flush, no MQTT disconnect. */
    public void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the bridge did not die within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public long pid() {
        return process.pid();
    }

    /** Messages confirmed by Kafka since this process started. */
    public long forwarded() {
        return metric("vigil_bridge_forwarded_total");
    }

    /** A counter or gauge of the metrics endpoint, -1 while it does not answer. */
    public long metric(String name) {
        try {
            HttpResponse<String> response =
                    http.send(
                            HttpRequest.newBuilder(
                                            URI.create(
                                                    "http://127.0.0.1:" + metricsPort + "/metrics"))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            for (String line : response.body().split("\n")) {
                if (line.startsWith(name + " ")) {
                    return (long) Double.parseDouble(line.substring(name.length() + 1).trim());
                }
            }
            return -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Graceful stop (SIGTERM): the bridge drains what it has in flight. */
    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    private static String readQuietly(Path log) {
        try {
            String text = Files.readString(log, StandardCharsets.UTF_8);
            return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
