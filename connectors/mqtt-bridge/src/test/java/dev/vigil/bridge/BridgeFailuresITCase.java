package dev.vigil.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vigil.bridge.testutils.Await;
import dev.vigil.bridge.testutils.KafkaExtension;
import dev.vigil.bridge.testutils.MosquittoExtension;
import dev.vigil.bridge.testutils.ServiceScript;
import dev.vigil.bridge.testutils.TestConfigs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The bridge under failure, on real Mosquitto and Kafka: killed with SIGKILL mid-stream and
 * restarted, Kafka stopped for a while, two bridges on one shared subscription. Messages carry a
 * sequence number; no sequence number may be missing in Kafka (duplicates are allowed).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BridgeFailuresITCase {

    @RegisterExtension static final MosquittoExtension MQTT = new MosquittoExtension();
    @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

    private static final Pattern FORWARDED =
            Pattern.compile("^vigil_bridge_forwarded_total (\\d+)$", Pattern.MULTILINE);

    @Test
    @Order(1)
    void killedBridgeLosesNothingAfterRestart() throws Exception {
        int count = 10_000;
        String topic = "kill.envelopes";
        int metricsPort = ServiceScript.freePort();
        BridgeConfig config =
                TestConfigs.bridge(MQTT.url(), KAFKA.bootstrapServers(), "kill-bridge", topic);
        config.mqtt.topics = List.of("kill/#");
        config.metrics.port = metricsPort;
        Path configFile = writeYaml(config, "kill-bridge.yaml");

        Process first = startBridgeProcess(configFile, "kill-bridge-1.log");
        try {
            awaitMetricsEndpoint(metricsPort, first);
            CompletableFuture<Void> publishing = publishAsync("kill", count);
            Await.until(
                    Duration.ofSeconds(60),
                    () -> forwarded(metricsPort) >= count / 5,
                    () -> "forwarded " + forwarded(metricsPort));
            first.destroyForcibly(); // SIGKILL: no shutdown hook, no flush, no acknowledgement
            first.waitFor();
            assertThat(forwarded(metricsPort)).isEqualTo(-1); // really gone
            publishing.get();
        } finally {
            first.destroyForcibly();
        }

        Process second = startBridgeProcess(configFile, "kill-bridge-2.log");
        try {
            Set<Integer> seen = awaitSequences(topic, count);
            assertThat(seen).hasSize(count);
        } finally {
            second.destroy(); // SIGTERM: the shutdown hook stops gracefully
            assertThat(second.waitFor()).isEqualTo(128 + 15);
            assertThat(ServiceScript.servicesDir().resolve("kill-bridge-2.log"))
                    .content()
                    .contains("Bridge stopped: received");
        }
    }

    @Test
    @Order(2)
    void twoBridgesOnASharedSubscriptionForwardEverything() throws Exception {
        SharedSubscriptionScenario.twoBridgesForwardEverything(
                MQTT.url(), KAFKA.bootstrapServers());
    }

    @Test
    @Order(3)
    void kafkaOutageHoldsAtTheCapThenDeliversEverything() throws Exception {
        int count = 3_000;
        int cap = 50;
        String topic = "outage.envelopes";
        BridgeConfig config =
                TestConfigs.bridge(MQTT.url(), KAFKA.bootstrapServers(), "outage-bridge", topic);
        config.mqtt.topics = List.of("outage/#");
        config.bridge.maxInFlight = cap;
        config.kafka.deliveryTimeoutMs = 2_000;
        try (Bridge bridge = new Bridge(config).start()) {
            BridgeMetrics metrics = bridge.metrics();
            KAFKA.stop();
            try {
                publishAsync("outage", count).get();
                Await.until(
                        Duration.ofSeconds(30),
                        () -> metrics.inFlight() == cap && metrics.retried() > 0,
                        metrics::render);
                assertThat(metrics.forwarded()).isZero();
                assertThat(metrics.received()).isEqualTo(cap);
            } finally {
                KAFKA.start();
            }
            Await.until(
                    Duration.ofSeconds(90), () -> metrics.forwarded() >= count, metrics::render);
            assertThat(metrics.inFlightPeak()).isEqualTo(cap);
            assertThat(metrics.deadLettered()).isZero();
            assertThat(awaitSequences(topic, count)).hasSize(count);
        }
    }

    // ------------------------------------------------------------------ helpers

    private static CompletableFuture<Void> publishAsync(String prefix, int count) {
        return SharedSubscriptionScenario.publishAsync(MQTT.url(), prefix, count);
    }

    private static Set<Integer> awaitSequences(String topic, int count) {
        return SharedSubscriptionScenario.awaitSequences(KAFKA.bootstrapServers(), topic, count);
    }

    private static Path writeYaml(BridgeConfig config, String name) throws Exception {
        Path file = ServiceScript.servicesDir().resolve(name);
        Files.createDirectories(file.getParent());
        String yaml =
                String.join(
                        "\n",
                        "mqtt:",
                        "  url: " + config.mqtt.url,
                        "  client-id: " + config.mqtt.clientId,
                        "  topics: " + config.mqtt.topics,
                        "kafka:",
                        "  bootstrap-servers: " + config.kafka.bootstrapServers,
                        "  topic: " + config.kafka.topic,
                        "  dead-letter-topic: " + config.kafka.deadLetterTopic,
                        "  topic-partitions: 2",
                        "metrics:",
                        "  port: " + config.metrics.port,
                        "");
        Files.writeString(file, yaml);
        new ObjectMapper(new YAMLFactory()).readTree(file.toFile()); // valid YAML
        return file;
    }

    private static Process startBridgeProcess(Path configFile, String logName) throws Exception {
        String jar = System.getProperty("vigil.bridge.jar");
        assertThat(jar).as("system property vigil.bridge.jar (set by failsafe)").isNotNull();
        Path log = ServiceScript.servicesDir().resolve(logName);
        return new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx128m",
                        "-cp",
                        jar,
                        BridgeMain.class.getName(),
                        "--config",
                        configFile.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    private static void awaitMetricsEndpoint(int port, Process process) {
        Await.until(
                Duration.ofSeconds(30),
                () -> {
                    if (!process.isAlive()) {
                        throw new AssertionError(
                                "the bridge process exited: " + process.exitValue());
                    }
                    return forwarded(port) >= 0 && mqttConnected(port);
                },
                () -> "bridge metrics on port " + port);
    }

    private static boolean mqttConnected(int port) {
        String text = scrape(port);
        return text != null && text.contains("\nvigil_bridge_mqtt_connected 1\n");
    }

    /** The bridge process's forwarded counter, or -1 while its endpoint does not answer. */
    private static long forwarded(int port) {
        String text = scrape(port);
        if (text == null) {
            return -1;
        }
        Matcher m = FORWARDED.matcher(text);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static String scrape(int port) {
        try {
            return HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(
                                            URI.create("http://127.0.0.1:" + port + "/metrics"))
                                    .timeout(Duration.ofSeconds(2))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (Exception e) {
            return null;
        }
    }
}
