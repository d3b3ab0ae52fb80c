package dev.vigil.bench.soak;

import dev.vigil.bench.BenchReport;
import dev.vigil.bench.Fmt;
import dev.vigil.common.model.Envelope;
import dev.vigil.pipeline.TelemetryJob;
import dev.vigil.pipeline.TelemetryWorkflow;
import dev.vigil.pipeline.config.VigilConfig;
import dev.vigil.pipeline.model.EnvelopeTypeInfo;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.runtime.checkpoint.CheckpointStatsSnapshot;
import org.apache.flink.runtime.checkpoint.CompletedCheckpointStats;
import org.apache.flink.runtime.checkpoint.TaskStateStats;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionJobVertex;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * A bounded soak of the whole job graph ({@link TelemetryWorkflow}, discarding sinks) on a local
 * MiniCluster: a fixed message rate from a fleet with device churn ({@link
 * ChurningFleetGenerator}), exactly-once checkpoints to a local folder, a short series TTL. Every
 * sample interval it records the heap after a full GC, the latest checkpoint's size and the state
 * size of each stateful task; with churn and a TTL these must stay flat once the first devices
 * expire, while the number of devices ever seen keeps growing.
 *
 * <p>Settings (system properties): {@code vigil.bench.soak.duration} (default 10 min), {@code
 * .rate} (messages/s, 500), {@code .devices} (live devices, 200), {@code .fields} (points per
 * message, 4), {@code .generation} (a quarter of the devices is replaced this often, 30 s), {@code
 * .ttl} (state.series-ttl, also the silence gap and the flatline and sustained-deviation windows,
 * 60 s), {@code .sample} (30 s), {@code .checkpoint} (10 s); durations in Flink's syntax ({@code 90
 * s}, {@code 2 min}).
 */
public final class SoakBenchmark {

    private static final int PARALLELISM = 2;

    private SoakBenchmark() {}

    /** One sample. */
    static final class Sample {
        long elapsedMs;
        long messages;
        long devicesSeen;
        long heapAfterGc;
        long checkpointId;
        long checkpointSize;
        final Map<String, Long> taskState = new LinkedHashMap<>();
    }

    public static BenchReport run(Path repo) throws Exception {
        Duration duration = duration("duration", "10 min");
        double rate = Double.parseDouble(System.getProperty("vigil.bench.soak.rate", "500"));
        int devices = Integer.getInteger("vigil.bench.soak.devices", 200);
        int fields = Integer.getInteger("vigil.bench.soak.fields", 4);
        Duration generation = duration("generation", "30 s");
        Duration ttl = duration("ttl", "60 s");
        Duration sampleEvery = duration("sample", "30 s");
        Duration checkpointEvery = duration("checkpoint", "10 s");

        long messages = (long) (rate * duration.toSeconds());
        long generationMessages = (long) (rate * generation.toSeconds());
        ChurningFleetGenerator generator =
                new ChurningFleetGenerator(devices, fields, rate, generationMessages);
        Path checkpoints = Files.createTempDirectory("vigil-soak-checkpoints");
        VigilConfig config =
                VigilConfig.load(
                        null,
                        Map.of(
                                "state.series-ttl", ttl.toMillis() + " ms",
                                // Every other per-series window as short as the TTL, so a stopped
                                // device's state must be gone within the run.
                                "pattern.silence.min-gap", ttl.toMillis() + " ms",
                                "pattern.flatline.duration", ttl.toMillis() + " ms",
                                "pattern.sustained.within", ttl.toMillis() + " ms",
                                "checkpoint.interval", checkpointEvery.toMillis() + " ms",
                                "job.parallelism", "" + PARALLELISM));

        Configuration flink = new Configuration();
        flink.setString("state.backend.type", "hashmap");
        flink.setString("state.checkpoints.dir", checkpoints.toUri().toString());
        flink.setString("execution.checkpointing.num-retained", "1");
        flink.setString("taskmanager.memory.network.max", "128m");
        StreamExecutionEnvironment env = new StreamExecutionEnvironment(flink);
        TelemetryJob.configure(env, config);
        DataStream<Envelope> source =
                env.fromSource(
                                new DataGeneratorSource<>(
                                        generator,
                                        messages,
                                        RateLimiterStrategy.perSecond(rate),
                                        EnvelopeTypeInfo.INSTANCE),
                                WatermarkStrategy.noWatermarks(),
                                "churning fleet")
                        .setParallelism(1)
                        .uid("source-envelopes");
        TelemetryWorkflow.sinkTo(
                new TelemetryWorkflow(config).build(source),
                new TelemetryWorkflow.Sinks()
                        .raw(new DiscardingSink<>())
                        .scored(new DiscardingSink<>())
                        .anomalies(new DiscardingSink<>())
                        .rejects(new DiscardingSink<>()));
        JobGraph jobGraph = env.getStreamGraph().getJobGraph();

        System.out.printf(
                "soak: %s at %.0f messages/s (%d points each), %d live devices, a quarter renewed"
                        + " every %s, series TTL %s%n",
                Fmt.seconds(duration.toNanos()),
                rate,
                fields,
                devices,
                Fmt.seconds(generation.toNanos()),
                Fmt.seconds(ttl.toNanos()));
        List<Sample> samples = new ArrayList<>();
        MiniClusterConfiguration cluster =
                new MiniClusterConfiguration.Builder()
                        .setConfiguration(flink)
                        .setNumTaskManagers(1)
                        .setNumSlotsPerTaskManager(PARALLELISM)
                        .build();
        try (MiniCluster miniCluster = new MiniCluster(cluster)) {
            miniCluster.start();
            JobID job = miniCluster.submitJob(jobGraph).get().getJobID();
            long start = System.nanoTime();
            long nextSample = start + sampleEvery.toNanos();
            while (true) {
                AccessExecutionGraph graph = miniCluster.getExecutionGraph(job).get();
                if (graph.getState().isGloballyTerminalState()) {
                    if (graph.getState() != JobStatus.FINISHED) {
                        throw new IllegalStateException(
                                "the soak job ended "
                                        + graph.getState()
                                        + ": "
                                        + graph.getFailureInfo());
                    }
                    break;
                }
                if (System.nanoTime() >= nextSample) {
                    Sample s = sample(graph, start, rate, generator, generationMessages);
                    samples.add(s);
                    print(s);
                    nextSample += sampleEvery.toNanos();
                }
                java.util.concurrent.locks.LockSupport.parkNanos(200_000_000L);
            }
        }
        return report(samples, duration, rate, devices, fields, generation, ttl, checkpointEvery);
    }

    private static Sample sample(
            AccessExecutionGraph graph,
            long start,
            double rate,
            ChurningFleetGenerator generator,
            long generationMessages) {
        Sample s = new Sample();
        s.elapsedMs = (System.nanoTime() - start) / 1_000_000;
        s.messages = Math.min((long) (s.elapsedMs / 1000.0 * rate), Long.MAX_VALUE);
        s.devicesSeen = generator.devicesSeen(s.messages / Math.max(1, generationMessages));
        System.gc();
        s.heapAfterGc = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        CheckpointStatsSnapshot stats = graph.getCheckpointStatsSnapshot();
        CompletedCheckpointStats latest =
                stats == null ? null : stats.getHistory().getLatestCompletedCheckpoint();
        if (latest != null) {
            s.checkpointId = latest.getCheckpointId();
            s.checkpointSize = latest.getStateSize();
            for (AccessExecutionJobVertex vertex : graph.getVerticesTopologically()) {
                TaskStateStats task = latest.getTaskStateStats(vertex.getJobVertexId());
                if (task != null && task.getStateSize() > 0) {
                    s.taskState.put(shortName(vertex.getName()), task.getStateSize());
                }
            }
        }
        return s;
    }

    /** The first operator of a chained task, e.g. {@code score points}. */
    static String shortName(String vertexName) {
        String first = vertexName.split(" -> ")[0];
        return first.length() > 28 ? first.substring(0, 28) : first;
    }

    private static void print(Sample s) {
        System.out.printf(
                "  t=%4ds devices seen %,6d  heap after GC %s  checkpoint %d: %s  %s%n",
                s.elapsedMs / 1000,
                s.devicesSeen,
                Fmt.bytes(s.heapAfterGc),
                s.checkpointId,
                Fmt.bytes(s.checkpointSize),
                s.taskState);
    }

    private static BenchReport report(
            List<Sample> samples,
            Duration duration,
            double rate,
            int devices,
            int fields,
            Duration generation,
            Duration ttl,
            Duration checkpointEvery) {
        List<String> tasks = new ArrayList<>();
        for (Sample s : samples) {
            s.taskState.keySet().stream().filter(t -> !tasks.contains(t)).forEach(tasks::add);
        }
        List<String> columns =
                new ArrayList<>(
                        List.of("t", "devices seen", "heap after GC", "checkpoint", "size"));
        tasks.forEach(t -> columns.add("state: " + t));
        BenchReport report =
                new BenchReport(
                        "soak",
                        "Soak: heap and state under device churn (MiniCluster, parallelism "
                                + PARALLELISM
                                + ")",
                        columns.toArray(new String[0]));
        for (Sample s : samples) {
            List<Object> row = new ArrayList<>();
            row.add(s.elapsedMs / 1000 + " s");
            row.add(Fmt.count(s.devicesSeen));
            row.add(Fmt.bytes(s.heapAfterGc));
            row.add(s.checkpointId == 0 ? "-" : "#" + s.checkpointId);
            row.add(s.checkpointId == 0 ? "-" : Fmt.bytes(s.checkpointSize));
            for (String t : tasks) {
                Long size = s.taskState.get(t);
                row.add(size == null ? "-" : Fmt.bytes(size));
            }
            report.row(row.toArray());
        }
        return report.note(
                        String.format(
                                "%s at %.0f messages/s × %d points = %s points/s; %d live devices,"
                                        + " a quarter replaced every %s (a device lives %s);"
                                        + " state.series-ttl = silence gap = flatline and"
                                        + " sustained windows = %s; checkpoints every %s"
                                        + " (hashmap, full)",
                                Fmt.seconds(duration.toNanos()),
                                rate,
                                fields,
                                Fmt.rate(rate * fields),
                                devices,
                                Fmt.seconds(generation.toNanos()),
                                Fmt.seconds(
                                        generation.toNanos()
                                                * ChurningFleetGenerator.LIFETIME_GENERATIONS),
                                Fmt.seconds(ttl.toNanos()),
                                Fmt.seconds(checkpointEvery.toNanos())))
                .note(
                        "heap after GC: the whole JVM (MiniCluster, source, job) after System.gc();"
                                + " state: checkpointed state size per task (first operator named)");
    }

    private static Duration duration(String name, String fallback) {
        return org.apache.flink.util.TimeUtils.parseDuration(
                System.getProperty("vigil.bench.soak." + name, fallback));
    }
}
