package dev.vigil.bench.e2e;

import dev.vigil.bench.BenchReport;
import dev.vigil.bench.Fmt;
import dev.vigil.bridge.Bridge;
import dev.vigil.bridge.BridgeConfig;
import dev.vigil.connectors.influxdb.InfluxDbSinkBuilder;
import dev.vigil.pipeline.TelemetryJob;
import dev.vigil.pipeline.TelemetryWorkflow;
import dev.vigil.pipeline.config.VigilConfig;
import dev.vigil.pipeline.config.VigilOptions;
import dev.vigil.pipeline.sink.InfluxSchema;
import dev.vigil.pipeline.sink.InfluxSinks;
import dev.vigil.pipeline.source.KafkaEnvelopeSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * End-to-end latency on the real local services: MQTT publish → Mosquitto → the MQTT bridge
 * (in-process) → Kafka → the job ({@link TelemetryWorkflow} with the Kafka source and the InfluxDB
 * sinks, wired and configured as {@link TelemetryJob} does, on a MiniCluster in this JVM,
 * parallelism 2) → InfluxDB, at a fixed offered rate.
 *
 * <p>A publisher sends a fleet ({@code devices} × {@code fields} series, JSON on {@code
 * sensors/<device>/telemetry}, payload timestamp = publish wall time) at {@code rate} msgs/s: a
 * warm-up, then one spike per second on distinct series ({@link SpikePlan}). For each spike we note
 * when it was published, when the record reached Kafka (a plain consumer, {@link KafkaTap}), when
 * the job emitted the SPIKE ({@link EmittedSpikeRecorder}) and when its row first appeared in
 * {@value InfluxSchema#ANOMALIES} ({@link AnomalyPoller}). Every spike must be found, else the run
 * fails. One run per flush interval of the anomalies sink ({@code
 * sink.influxdb.anomalies.flush-interval}; the job's default is 100 ms, 1,000 ms is the InfluxDB
 * sink's own default and what the job used before); the services and the bridge stay up across
 * runs, each run has its own job, consumer group and database.
 *
 * <p>System properties ({@code -Dvigil.bench.e2e.*}): {@code rate} (5000), {@code devices} (1000),
 * {@code fields} (2), {@code warmupSeconds} (20), {@code seconds} (60, one spike each), {@code
 * flushMs} ("1000,100": the connector's default, then the job's default for anomalies), {@code
 * pollMs} (15), {@code drainSeconds} (30), {@code jvmWarmupSeconds} (30: an unreported pass first,
 * with the last flush interval, so that no measured run pays for class loading and JIT; 0 = none).
 */
public final class EndToEndLatencyBenchmark {

    static final String TOPIC = "vigil.e2e.envelopes";
    private static final int PARALLELISM = 2;

    private EndToEndLatencyBenchmark() {}

    /** The settings of a run. */
    static final class Settings {
        final long rate = Long.getLong("vigil.bench.e2e.rate", 5_000L);
        final int devices = Integer.getInteger("vigil.bench.e2e.devices", 1_000);
        final int fields = Integer.getInteger("vigil.bench.e2e.fields", 2);
        final long warmupSeconds = Long.getLong("vigil.bench.e2e.warmupSeconds", 20L);
        final int seconds = Integer.getInteger("vigil.bench.e2e.seconds", 60);
        final String flushMs = System.getProperty("vigil.bench.e2e.flushMs", "1000,100");
        final long pollMs = Long.getLong("vigil.bench.e2e.pollMs", 15L);
        final long drainSeconds = Long.getLong("vigil.bench.e2e.drainSeconds", 30L);
        final int jvmWarmupSeconds = Integer.getInteger("vigil.bench.e2e.jvmWarmupSeconds", 30);
    }

    /** What one run measured. */
    static final class RunResult {
        long flushMs;
        FleetPublisher.Result published;
        SpikeLedger ledger;
        long[] transportAll;
        long pollerQueries;
        double pollerMeanQueryMs;
    }

    public static BenchReport run(Path repo) throws Exception {
        Settings s = new Settings();
        List<RunResult> results = new ArrayList<>();
        try (LocalServices services = LocalServices.start(repo)) {
            try (Bridge bridge = new Bridge(bridgeConfig(services)).start()) {
                long[] flushes =
                        Arrays.stream(s.flushMs.split(","))
                                .mapToLong(f -> Long.parseLong(f.trim()))
                                .toArray();
                if (s.jvmWarmupSeconds > 0) {
                    System.out.println("JVM warm-up pass (not reported):");
                    measure(s, services, flushes[flushes.length - 1], s.jvmWarmupSeconds, "warmup");
                }
                for (long flush : flushes) {
                    results.add(measure(s, services, flush, s.seconds, "run"));
                }
            }
        }
        BenchReport report = report(s, results);
        List<String> missing = missingSpikes(results);
        if (!missing.isEmpty()) {
            System.out.print(report.toText());
            throw new IllegalStateException(
                    "not every injected spike reached InfluxDB: " + String.join("; ", missing));
        }
        return report;
    }

    private static BridgeConfig bridgeConfig(LocalServices services) {
        BridgeConfig c = new BridgeConfig();
        c.mqtt.url = services.mqttUrl();
        c.mqtt.clientId = "vigil-bench-e2e-bridge";
        c.mqtt.topics = new ArrayList<>(List.of("sensors/#"));
        c.kafka.bootstrapServers = services.kafkaBootstrap();
        c.kafka.topic = TOPIC;
        c.kafka.deadLetterTopic = TOPIC + ".dead-letter";
        c.metrics.port = -1;
        return c;
    }

    private static RunResult measure(
            Settings s, LocalServices services, long flushMs, int seconds, String label)
            throws Exception {
        RunResult r = new RunResult();
        r.flushMs = flushMs;
        r.ledger = new SpikeLedger();
        VigilConfig config = jobConfig(services, label + "_flush" + flushMs, flushMs);
        EmittedSpikeRecorder.ledger = r.ledger;
        System.out.printf(
                "run: sink flush interval %d ms, %,d msgs/s, %d s warm-up + %d s with %d spikes ...%n",
                flushMs, s.rate, s.warmupSeconds, seconds, seconds);
        JobClient job = submitJob(config);
        try (KafkaTap tap = new KafkaTap(services.kafkaBootstrap(), TOPIC, r.ledger);
                AnomalyPoller poller =
                        new AnomalyPoller(
                                services.influxUrl(),
                                config.get(VigilOptions.INFLUX_DATABASE),
                                r.ledger,
                                s.pollMs);
                FleetPublisher publisher =
                        new FleetPublisher(services.mqttUrl(), "vigil-bench-e2e-" + flushMs)) {
            long warmupMessages = s.warmupSeconds * s.rate;
            SpikePlan plan = new SpikePlan(s.devices, s.fields, warmupMessages, s.rate, seconds);
            r.published =
                    publisher.run(
                            s.devices,
                            s.fields,
                            s.rate,
                            warmupMessages,
                            warmupMessages + seconds * s.rate,
                            plan,
                            r.ledger);
            awaitVisible(r.ledger, Duration.ofSeconds(s.drainSeconds));
            r.transportAll = tap.latenciesSince(r.published.measureStartMs);
            r.pollerQueries = poller.queries();
            r.pollerMeanQueryMs = poller.meanQueryMs();
        } finally {
            job.cancel().get(60, TimeUnit.SECONDS);
            EmittedSpikeRecorder.ledger = null;
        }
        System.out.printf(
                "  published %,d (%.0f msgs/s measured), spikes found in InfluxDB %d/%d: %s%n",
                r.published.messages,
                r.published.measuredRate(),
                r.ledger.count(SpikeLedger.Stage.VISIBLE),
                r.ledger.size(),
                LatencySummary.of(r.ledger.latencies(SpikeLedger.Stage.VISIBLE)));
        return r;
    }

    private static VigilConfig jobConfig(LocalServices services, String run, long flushMs) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put(VigilOptions.INFLUX_ANOMALIES_FLUSH_INTERVAL.key(), flushMs + " ms");
        o.put(VigilOptions.SOURCE_TYPE.key(), "kafka");
        o.put(VigilOptions.KAFKA_BOOTSTRAP_SERVERS.key(), services.kafkaBootstrap());
        o.put(VigilOptions.KAFKA_TOPIC.key(), TOPIC);
        o.put(VigilOptions.KAFKA_GROUP_ID.key(), "vigil-bench-e2e-" + run);
        o.put(VigilOptions.KAFKA_START_FROM.key(), "latest");
        o.put(VigilOptions.SINK_TYPE.key(), "influxdb");
        o.put(VigilOptions.INFLUX_URL.key(), services.influxUrl());
        o.put(VigilOptions.INFLUX_DATABASE.key(), "vigil_e2e_" + run);
        o.put(VigilOptions.PARALLELISM.key(), Integer.toString(PARALLELISM));
        return VigilConfig.load(null, o);
    }

    /**
     * The job as {@link TelemetryJob#main} builds it (same configure, source, workflow and sinks;
     * the anomalies sink's flush interval from the run), plus the emission recorder; submitted
     * without waiting. Returns once the job is running.
     */
    private static JobClient submitJob(VigilConfig config) throws Exception {
        Configuration flink = new Configuration();
        flink.setString("taskmanager.memory.network.max", "128m");
        flink.setString("state.backend.type", "hashmap");
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(PARALLELISM, flink);
        TelemetryJob.configure(env, config);
        KafkaEnvelopeSource.checkTopic(config, KafkaEnvelopeSource.CHECK_TIMEOUT);
        TelemetryWorkflow.Streams streams =
                new TelemetryWorkflow(config)
                        .buildFromParsed(KafkaEnvelopeSource.attach(env, config));
        InfluxSinks.prepareDatabase(config);
        TelemetryWorkflow.sinkTo(streams, InfluxSinks.create(config));
        streams.anomalies
                .filter(new EmittedSpikeRecorder())
                .name("bench: note emitted spikes")
                .sinkTo(new DiscardingSink<>())
                .name("bench: discard");
        JobClient job = env.executeAsync("vigil bench: end-to-end latency");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (job.getJobStatus().get() != JobStatus.RUNNING) {
            if (System.nanoTime() > deadline) {
                job.cancel();
                throw new IllegalStateException("the job did not start within 60 s");
            }
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
        return job;
    }

    private static void awaitVisible(SpikeLedger ledger, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (ledger.count(SpikeLedger.Stage.VISIBLE) < ledger.size()
                && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
    }

    private static List<String> missingSpikes(List<RunResult> results) {
        List<String> missing = new ArrayList<>();
        for (RunResult r : results) {
            List<SpikeLedger.Spike> unseen = r.ledger.unseen(SpikeLedger.Stage.VISIBLE);
            if (!unseen.isEmpty()) {
                StringBuilder sb = new StringBuilder();
                sb.append("flush ")
                        .append(r.flushMs)
                        .append(" ms: ")
                        .append(unseen.size())
                        .append(" of ")
                        .append(r.ledger.size())
                        .append(" missing, e.g.");
                unseen.stream()
                        .limit(5)
                        .forEach(
                                x ->
                                        sb.append(' ')
                                                .append(x.device)
                                                .append('/')
                                                .append(x.field)
                                                .append('@')
                                                .append(x.timestampMs)
                                                .append(seenAt(x)));
                missing.add(sb.toString());
            }
        }
        return missing;
    }

    private static String seenAt(SpikeLedger.Spike x) {
        return "(kafka "
                + (x.seenNanos(SpikeLedger.Stage.KAFKA) >= 0 ? "yes" : "no")
                + ", emitted "
                + (x.seenNanos(SpikeLedger.Stage.EMITTED) >= 0 ? "yes" : "no")
                + ")";
    }

    private static BenchReport report(Settings s, List<RunResult> results) {
        BenchReport report =
                new BenchReport(
                        "e2e",
                        "End-to-end latency: MQTT publish → anomaly row in InfluxDB (real local"
                                + " services, "
                                + Fmt.count(s.rate)
                                + " msgs/s offered)",
                        "sink flush interval",
                        "from MQTT publish to",
                        "found",
                        "p50",
                        "p99",
                        "max");
        for (RunResult r : results) {
            String flush =
                    r.flushMs
                            + " ms"
                            + (r.flushMs
                                            == VigilOptions.INFLUX_ANOMALIES_FLUSH_INTERVAL
                                                    .defaultValue()
                                                    .toMillis()
                                    ? " (job default)"
                                    : "");
            int injected = r.ledger.size();
            row(report, flush, "record in Kafka, every message (ms clock)", r.transportAll, -1);
            row(
                    report,
                    flush,
                    "record in Kafka, spike messages",
                    r.ledger.latencies(SpikeLedger.Stage.KAFKA),
                    injected);
            row(
                    report,
                    flush,
                    "SPIKE emitted by the job (before the sink)",
                    r.ledger.latencies(SpikeLedger.Stage.EMITTED),
                    injected);
            row(
                    report,
                    flush,
                    "anomaly row visible in InfluxDB (end to end)",
                    r.ledger.latencies(SpikeLedger.Stage.VISIBLE),
                    injected);
            row(
                    report,
                    flush,
                    "(of which: emitted → visible = sink flush + write + poll)",
                    r.ledger.latencies(SpikeLedger.Stage.EMITTED, SpikeLedger.Stage.VISIBLE),
                    injected);
        }
        for (RunResult r : results) {
            report.note(
                    "flush "
                            + r.flushMs
                            + " ms run: offered "
                            + Fmt.count(r.published.measuredMessages)
                            + " msgs in the measured "
                            + s.seconds
                            + " s at "
                            + Fmt.decimal(r.published.measuredRate(), 1)
                            + " msgs/s (QoS 1, "
                            + Fmt.count(r.published.acked)
                            + "/"
                            + Fmt.count(r.published.messages)
                            + " acked incl. warm-up; publisher behind schedule by at most "
                            + LatencySummary.ms(r.published.measuredMaxLagNanos)
                            + " in the measured window, "
                            + LatencySummary.ms(r.published.maxLagNanos)
                            + " overall); InfluxDB polled "
                            + Fmt.count(r.pollerQueries)
                            + " times, "
                            + Fmt.decimal(r.pollerMeanQueryMs, 1)
                            + " ms per query");
        }
        return report.note(
                        "fleet: "
                                + Fmt.count(s.devices)
                                + " devices × "
                                + s.fields
                                + " fields (JSON on sensors/<device>/telemetry, event time ="
                                + " publish wall time), "
                                + s.warmupSeconds
                                + " s warm-up (default detection settings: "
                                + "detector.warmup-points 30 = 6 s per series), then one spike"
                                + " (+100, noise ±1) per second on distinct series")
                .note(
                        "path: Paho QoS 1 → Mosquitto → bridge (in-process; Kafka producer"
                                + " acks=all, linger.ms 5) → Kafka (4 partitions) → job on a"
                                + " MiniCluster in the bench JVM, parallelism 2, as TelemetryJob"
                                + " wires it (network buffer timeout 10 ms, exactly-once"
                                + " checkpoints every 30 s, Kafka source with consumer defaults)"
                                + " → InfluxDB sinks (raw, stats, anomalies, rejects) → InfluxDB"
                                + " 1.x")
                .note(
                        "InfluxDB sink: batches of up to "
                                + InfluxDbSinkBuilder.DEFAULT_MAX_BATCH_SIZE
                                + " lines, flushed at the latest every flush interval: raw"
                                + " points and bands "
                                + VigilOptions.INFLUX_FLUSH_INTERVAL.defaultValue().toMillis()
                                + " ms (sink.influxdb.flush-interval), anomalies as in the"
                                + " table (sink.influxdb.anomalies.flush-interval; "
                                + InfluxDbSinkBuilder.DEFAULT_MAX_TIME_IN_BUFFER_MS
                                + " ms is the connector's default and what the job used"
                                + " before). Anomalies are rare, so their batch never fills:"
                                + " the flush interval decides their latency")
                .note(
                        s.jvmWarmupSeconds > 0
                                ? "a "
                                        + s.jvmWarmupSeconds
                                        + " s JVM warm-up pass (same pipeline, not reported) ran"
                                        + " first; without it the first run pays for class loading"
                                        + " and JIT on the shared cores (seen: the publisher 5.9 s"
                                        + " behind, publish → Kafka p50 3.8 s)"
                                : "no JVM warm-up pass: the first run includes class loading and"
                                        + " JIT")
                .note(
                        "latency = first sighting − publish instant (System.nanoTime, one JVM);"
                                + " InfluxDB polled every "
                                + s.pollMs
                                + " ms (adds up to that much + one query); the every-message"
                                + " Kafka row uses wall-clock ms. Target: end to end p99 ≤ 1 s");
    }

    private static void row(
            BenchReport report, String flush, String stage, long[] latencies, int injected) {
        LatencySummary l = LatencySummary.of(latencies);
        report.row(
                flush,
                stage,
                injected < 0 ? Fmt.count(l.count) : l.count + "/" + injected,
                LatencySummary.ms(l.p50Nanos),
                LatencySummary.ms(l.p99Nanos),
                LatencySummary.ms(l.maxNanos));
    }
}
