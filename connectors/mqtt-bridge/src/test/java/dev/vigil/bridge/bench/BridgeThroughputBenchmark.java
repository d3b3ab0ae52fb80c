package dev.vigil.bridge.bench;

import dev.vigil.bridge.BridgeMain;
import dev.vigil.bridge.testutils.ServiceScript;
import dev.vigil.bridge.testutils.TestPublisher;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * MQTT → Kafka throughput of the bridge next to a plain Paho QoS-1 subscriber on the same broker,
 * in the same run: both subscribe to {@code bench/#}, a publisher sends N messages of 100 bytes at
 * QoS 1, and each side's rate is N over the time from the first publish to its N-th message (the
 * bridge's: confirmed by Kafka, read from its metrics). The bridge runs as its own JVM from the
 * shaded jar with {@code -Xmx256m}; its RSS is read from {@code /proc/<pid>/status}.
 *
 * <pre>
 * ./mvnw -o -pl connectors/mqtt-bridge -am install -DskipTests
 * java -cp "$(cat cp.txt)" dev.vigil.bridge.bench.BridgeThroughputBenchmark [messages] [payload-bytes]
 * </pre>
 *
 * (the test classpath: {@code ./mvnw -pl connectors/mqtt-bridge dependency:build-classpath
 * -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test}, plus {@code target/classes} and {@code
 * target/test-classes}). Uses scripts/services/{mosquitto,kafka}.sh for the brokers.
 */
public final class BridgeThroughputBenchmark {

    private static final Pattern FORWARDED =
            Pattern.compile("^vigil_bridge_forwarded_total (\\d+)$", Pattern.MULTILINE);

    private BridgeThroughputBenchmark() {}

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int payloadBytes = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        String jar = System.getProperty("vigil.bridge.jar", findBridgeJar());

        int mqttPort = ServiceScript.freePort();
        int kafkaPort = ServiceScript.freePortPair();
        ServiceScript mosquitto =
                new ServiceScript("mosquitto", "bench-mosquitto-" + mqttPort, Map.of());
        ServiceScript kafka =
                new ServiceScript(
                        "kafka",
                        "bench-kafka-" + kafkaPort,
                        Map.of(
                                "VIGIL_KAFKA_LIB",
                                ServiceScript.repoDir()
                                        .resolve(".vigil/services/kafka-lib")
                                        .toString()));
        Process bridge = null;
        try {
            mosquitto.run("start", Integer.toString(mqttPort));
            kafka.run("install");
            kafka.run("start", Integer.toString(kafkaPort));
            String mqttUrl = "tcp://127.0.0.1:" + mqttPort;
            int metricsPort = ServiceScript.freePort();
            bridge = startBridge(jar, mqttUrl, "127.0.0.1:" + kafkaPort, metricsPort);
            awaitConnected(metricsPort, bridge);

            CountingSubscriber plain = new CountingSubscriber(mqttUrl);
            RssSampler rss = new RssSampler(bridge.pid());
            Thread sampler = new Thread(rss, "rss-sampler");
            sampler.setDaemon(true);
            sampler.start();

            byte[] payload = new byte[payloadBytes];
            Arrays.fill(payload, (byte) 'x');
            long start = System.nanoTime();
            try (TestPublisher publisher = new TestPublisher(mqttUrl, "bench-publisher")) {
                for (int i = 0; i < messages; i++) {
                    publisher.publish("bench/dev-" + (i % 100) + "/telemetry", payload);
                }
            }
            long published = System.nanoTime();
            long plainDone = awaitCount(plain::count, messages, Duration.ofMinutes(5));
            long bridgeDone =
                    awaitCount(() -> forwarded(metricsPort), messages, Duration.ofMinutes(5));
            rss.stop();
            plain.close();

            double publishRate = rate(messages, published - start);
            double plainRate = rate(messages, plainDone - start);
            double bridgeRate = rate(messages, bridgeDone - start);
            System.out.printf(
                    Locale.ROOT,
                    "%nMQTT -> Kafka at QoS 1, %d messages of %d bytes%n"
                            + "| %-34s | %12s |%n| %-34s | %12s |%n"
                            + "| %-34s | %12.0f |%n| %-34s | %12.0f |%n| %-34s | %12.0f |%n"
                            + "| %-34s | %12.2f |%n| %-34s | %12.1f |%n| %-34s | %12.1f |%n",
                    messages,
                    payloadBytes,
                    "measure",
                    "value",
                    "-".repeat(34),
                    "-".repeat(12),
                    "publisher msgs/s (QoS 1 acked)",
                    publishRate,
                    "plain Paho subscriber msgs/s",
                    plainRate,
                    "bridge msgs/s (Kafka-confirmed)",
                    bridgeRate,
                    "bridge / plain (target >= 0.9)",
                    bridgeRate / plainRate,
                    "bridge RSS peak MB (target <= 256)",
                    rss.peakKb() / 1024.0,
                    "bridge RSS at end MB",
                    rss.lastKb() / 1024.0);
        } finally {
            if (bridge != null) {
                bridge.destroy();
                bridge.waitFor();
            }
            kafka.run("stop");
            mosquitto.run("stop");
        }
    }

    private static double rate(long count, long nanos) {
        return count / (nanos / 1e9);
    }

    private static String findBridgeJar() throws Exception {
        Path target = ServiceScript.repoDir().resolve("connectors/mqtt-bridge/target");
        try (var files = Files.list(target)) {
            return files.filter(p -> p.getFileName().toString().endsWith("-bridge.jar"))
                    .findFirst()
                    .orElseThrow(
                            () ->
                                    new IllegalStateException(
                                            "no bridge jar in "
                                                    + target
                                                    + ": run ./mvnw -pl connectors/mqtt-bridge"
                                                    + " -am package -DskipTests"))
                    .toString();
        }
    }

    private static Process startBridge(String jar, String mqttUrl, String kafka, int metricsPort)
            throws Exception {
        Path dir = ServiceScript.servicesDir().resolve("bench");
        Files.createDirectories(dir);
        Path config = dir.resolve("bench-bridge.yaml");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "mqtt:",
                        "  url: " + mqttUrl,
                        "  client-id: bench-bridge",
                        "  topics: [bench/#]",
                        "kafka:",
                        "  bootstrap-servers: " + kafka,
                        "  topic: bench.envelopes",
                        "  dead-letter-topic: bench.envelopes.dead-letter",
                        "  topic-partitions: 4",
                        "metrics:",
                        "  port: " + metricsPort,
                        ""));
        return new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx256m",
                        "-cp",
                        jar,
                        BridgeMain.class.getName(),
                        "--config",
                        config.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("bench-bridge.log").toFile())
                .start();
    }

    private static void awaitConnected(int metricsPort, Process bridge) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            String text = scrape(metricsPort);
            if (text != null && text.contains("\nvigil_bridge_mqtt_connected 1\n")) {
                return;
            }
            if (!bridge.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the bridge did not connect (see its log)");
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
    }

    /** Polls until {@code count} reaches {@code target}; returns the System.nanoTime() of it. */
    private static long awaitCount(
            java.util.function.LongSupplier count, long target, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (count.getAsLong() < target) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "only " + count.getAsLong() + " of " + target + " within " + timeout);
            }
            LockSupport.parkNanos(Duration.ofMillis(2).toNanos());
        }
        return System.nanoTime();
    }

    private static long forwarded(int port) {
        String text = scrape(port);
        if (text == null) {
            return -1;
        }
        Matcher m = FORWARDED.matcher(text);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static String scrape(int port) {
        try {
            return HTTP.send(
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

    /** A plain QoS-1 subscriber (automatic acknowledgements) that counts what it receives. */
    private static final class CountingSubscriber implements MqttCallback, AutoCloseable {
        private final AtomicLong received = new AtomicLong();
        private final MqttAsyncClient client;

        CountingSubscriber(String url) throws Exception {
            client = new MqttAsyncClient(url, "bench-plain-subscriber", new MemoryPersistence());
            client.setCallback(this);
            MqttConnectOptions options = new MqttConnectOptions();
            options.setCleanSession(true);
            options.setMaxInflight(1000);
            client.connect(options).waitForCompletion(10_000);
            client.subscribe("bench/#", 1).waitForCompletion(10_000);
        }

        long count() {
            return received.get();
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            received.incrementAndGet();
        }

        @Override
        public void connectionLost(Throwable cause) {
            System.err.println("plain subscriber lost its connection: " + cause);
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {}

        @Override
        public void close() throws Exception {
            client.disconnect().waitForCompletion(5_000);
            client.close();
        }
    }

    /** Samples VmRSS of a process every 100 ms. */
    private static final class RssSampler implements Runnable {
        private final Path status;
        private volatile boolean running = true;
        private volatile long peakKb;
        private volatile long lastKb;

        RssSampler(long pid) {
            this.status = Path.of("/proc/" + pid + "/status");
        }

        @Override
        public void run() {
            while (running) {
                long kb = read();
                if (kb > 0) {
                    lastKb = kb;
                    peakKb = Math.max(peakKb, kb);
                }
                LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
            }
        }

        private long read() {
            try {
                for (String line : Files.readAllLines(status)) {
                    if (line.startsWith("VmRSS:")) {
                        return Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
            } catch (Exception e) {
                return -1;
            }
            return -1;
        }

        void stop() {
            lastKb = Math.max(read(), lastKb);
            peakKb = Math.max(peakKb, lastKb);
            running = false;
        }

        long peakKb() {
            return peakKb;
        }

        long lastKb() {
            return lastKb;
        }
    }
}
