package dev.vigil.demo.embedded;

import dev.vigil.bridge.Bridge;
import dev.vigil.bridge.BridgeConfig;
import dev.vigil.bridge.BridgeMetrics;
import dev.vigil.common.model.Envelope;
import dev.vigil.pipeline.config.VigilConfig;
import dev.vigil.pipeline.config.VigilOptions;
import dev.vigil.pipeline.demo.Demo;
import dev.vigil.pipeline.local.LocalRun;
import dev.vigil.pipeline.model.EnvelopeTypeInfo;
import dev.vigil.pipeline.parse.ParseFunction;
import dev.vigil.pipeline.source.KafkaEnvelopeSource;
import dev.vigil.simulator.mqtt.EnvelopePublisher;
import dev.vigil.simulator.mqtt.FleetPublisher;
import dev.vigil.simulator.mqtt.Pacer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's real transport, all in this JVM: the simulator publishes over MQTT (Paho, QoS 1) to an
 * embedded Moquette broker; the MQTT → Kafka bridge forwards to an embedded Kafka broker (KRaft);
 * the job reads the topic with its Kafka source, as deployed. Once every message the simulator
 * published was forwarded and read by the job, the job is stopped with a drained savepoint (event
 * time runs to its end, as with a bounded source). Data lives in a temporary directory, removed on
 * {@link #close()}.
 */
public final class EmbeddedKafkaFeed implements Demo.Feed {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaFeed.class);

    static final String TOPIC = "vigil.envelopes";
    private static final Duration STALL_TIMEOUT = Duration.ofSeconds(60);
    static final int CONNECT_ATTEMPTS = 3;

    private final Path dir;
    private final int partitions;
    private final Pacer pacer;
    private final EmbeddedMqttBroker mqtt;
    private final EmbeddedKafkaBroker kafka;
    private final Bridge bridge;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread removeDataOnExit;
    private volatile long published;
    private Thread feeder;

    private EmbeddedKafkaFeed(
            Path dir,
            int partitions,
            Pacer pacer,
            EmbeddedMqttBroker mqtt,
            EmbeddedKafkaBroker kafka,
            Bridge bridge) {
        this.dir = dir;
        this.partitions = partitions;
        this.pacer = pacer;
        this.mqtt = mqtt;
        this.kafka = kafka;
        this.bridge = bridge;
        // Ctrl-C: the brokers die with the JVM; their data goes too.
        this.removeDataOnExit = new Thread(() -> deleteQuietly(dir), "demo-remove-data");
        Runtime.getRuntime().addShutdownHook(removeDataOnExit);
    }

    /**
     * Starts the brokers and the bridge; {@code partitions} Kafka partitions (one per source
     * subtask keeps each subtask's input in arrival order).
     */
    public static EmbeddedKafkaFeed start(int partitions, Pacer pacer, PrintStream out)
            throws Exception {
        Path dir = Files.createTempDirectory("vigil-demo-");
        EmbeddedMqttBroker mqtt = null;
        EmbeddedKafkaBroker kafka = null;
        try {
            mqtt = EmbeddedMqttBroker.start();
            kafka = EmbeddedKafkaBroker.start(dir);
            BridgeConfig config = bridgeConfig(mqtt.url(), kafka.bootstrapServers(), partitions);
            Bridge bridge = firstConnection("the bridge", () -> startBridge(config));
            out.printf(
                    "embedded services: MQTT %s -> bridge -> Kafka %s (topic %s, %d partitions),"
                            + " data in %s%n",
                    mqtt.url(), kafka.bootstrapServers(), TOPIC, partitions, dir);
            return new EmbeddedKafkaFeed(dir, partitions, pacer, mqtt, kafka, bridge);
        } catch (Exception | Error e) {
            if (kafka != null) {
                kafka.close();
            }
            if (mqtt != null) {
                mqtt.close();
            }
            deleteRecursively(dir);
            throw e;
        }
    }

    private static Bridge startBridge(BridgeConfig config) {
        Bridge bridge = new Bridge(config);
        try {
            return bridge.start();
        } catch (RuntimeException e) {
            bridge.close();
            throw e;
        }
    }

    /**
     * The first connection of a client to the embedded broker, tried {@link #CONNECT_ATTEMPTS}
     * times: a broker that has just started in a busy JVM (JIT, Flink, Kafka starting alongside)
     * can drop a connection attempt, which a real deployment would retry too.
     */
    static <T> T firstConnection(String who, Callable<T> connect) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return connect.call();
            } catch (Exception e) {
                if (attempt >= CONNECT_ATTEMPTS) {
                    throw e;
                }
                LOG.warn(
                        "Connecting {} to the embedded MQTT broker failed (attempt {} of {}): {};"
                                + " trying again",
                        who,
                        attempt,
                        CONNECT_ATTEMPTS,
                        e.getMessage());
                TimeUnit.MILLISECONDS.sleep(500L * attempt);
            }
        }
    }

    static BridgeConfig bridgeConfig(String mqttUrl, String bootstrap, int partitions) {
        BridgeConfig config = new BridgeConfig();
        config.mqtt.url = mqttUrl;
        config.mqtt.clientId = "vigil-demo-bridge";
        config.mqtt.topics = List.of("#");
        config.kafka.bootstrapServers = bootstrap;
        config.kafka.topic = TOPIC;
        config.kafka.deadLetterTopic = TOPIC + ".dead-letter";
        config.kafka.topicPartitions = partitions;
        config.metrics.port = -1;
        return config.validate();
    }

    @Override
    public String describe() {
        return "published over MQTT (embedded broker) and forwarded by the bridge to Kafka (embedded"
                + " broker)";
    }

    /** The job's Kafka source, reading the topic from the start. */
    @Override
    public LocalRun.SourceFactory source(VigilConfig config, List<Envelope> envelopes) {
        Configuration c = config.configuration();
        c.set(VigilOptions.KAFKA_BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        c.set(VigilOptions.KAFKA_TOPIC, TOPIC);
        c.set(VigilOptions.KAFKA_START_FROM, "earliest");
        VigilConfig withKafka = VigilConfig.of(c);
        return env ->
                env.fromSource(
                                KafkaEnvelopeSource.build(withKafka),
                                WatermarkStrategy.noWatermarks(),
                                "kafka envelopes",
                                EnvelopeTypeInfo.INSTANCE)
                        .setParallelism(Math.min(partitions, env.getParallelism()))
                        .uid("source-kafka")
                        .name("envelopes (kafka)");
    }

    /** Publishes, waits until the job read everything, then stops it with a drained savepoint. */
    @Override
    public void start(List<Envelope> envelopes, JobClient job) {
        feeder = new Thread(() -> feed(envelopes, job), "demo-feed");
        feeder.setDaemon(true);
        feeder.start();
    }

    private void feed(List<Envelope> envelopes, JobClient job) {
        try {
            try (EnvelopePublisher publisher =
                    firstConnection(
                            "the simulator",
                            () ->
                                    EnvelopePublisher.connect(
                                            mqtt.url(),
                                            "vigil-demo-simulator",
                                            EnvelopePublisher.DEFAULT_WINDOW))) {
                FleetPublisher.publish(
                        envelopes.iterator(), publisher, pacer, count -> published = count);
            }
            BridgeMetrics metrics = bridge.metrics();
            awaitProgress(
                    () -> metrics.forwarded() + metrics.deadLettered() >= published,
                    metrics::forwarded,
                    () -> "the bridge forwarded " + metrics.forwarded() + " of " + published);
            awaitProgress(
                    () -> received(job) >= metrics.forwarded(),
                    () -> received(job),
                    () -> "the job read " + received(job) + " of " + metrics.forwarded());
            Path savepoints = Files.createDirectories(dir.resolve("savepoints"));
            job.stopWithSavepoint(
                            true, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                    .get(STALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Throwable e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.error("Feeding the demo failed; cancelling the job", e);
            failure.compareAndSet(null, e);
            job.cancel();
        }
    }

    /**
     * Waits for {@code done}; fails when {@code progress} stands still for {@link #STALL_TIMEOUT}.
     */
    private static void awaitProgress(
            BooleanSupplier done, Supplier<Long> progress, Supplier<String> state)
            throws InterruptedException {
        long last = progress.get();
        long lastChange = System.nanoTime();
        while (!done.getAsBoolean()) {
            long now = progress.get();
            if (now != last) {
                last = now;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > STALL_TIMEOUT.toNanos()) {
                throw new IllegalStateException(
                        "No progress for " + STALL_TIMEOUT.toSeconds() + " s: " + state.get());
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    private static long received(JobClient job) {
        try {
            Map<String, Object> acc = job.getAccumulators().get(5, TimeUnit.SECONDS);
            Object value = acc.get(ParseFunction.RECEIVED);
            return value instanceof Number ? ((Number) value).longValue() : 0;
        } catch (Exception e) {
            return 0;
        }
    }

    /** Messages the bridge forwarded to Kafka (the job's input). */
    @Override
    public long sent() {
        return bridge.metrics().forwarded();
    }

    /** Messages the simulator published to MQTT. */
    public long published() {
        return published;
    }

    /** Stops the bridge and the brokers, removes the data; then throws a feeding failure. */
    @Override
    public void close() throws IOException {
        awaitFeeder();
        try {
            bridge.close();
        } finally {
            try {
                kafka.close();
            } finally {
                mqtt.close();
                deleteRecursively(dir);
                removeShutdownHook();
            }
        }
        Throwable error = failure.get();
        if (error != null) {
            throw new IllegalStateException("The embedded transport failed: " + error, error);
        }
    }

    private void awaitFeeder() {
        if (feeder == null) {
            return;
        }
        try {
            feeder.join(STALL_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void removeShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(removeDataOnExit);
        } catch (IllegalStateException e) {
            // the JVM is shutting down already
        }
    }

    private static void deleteQuietly(Path root) {
        try {
            deleteRecursively(root);
        } catch (IOException | RuntimeException e) {
            // best effort at exit
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
