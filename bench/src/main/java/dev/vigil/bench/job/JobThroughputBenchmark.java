package dev.vigil.bench.job;

import dev.vigil.bench.BenchReport;
import dev.vigil.bench.Fmt;
import dev.vigil.common.model.Envelope;
import dev.vigil.common.model.MetricPoint;
import dev.vigil.common.parse.ParserLimits;
import dev.vigil.common.routing.RoutingConfig;
import dev.vigil.pipeline.TelemetryWorkflow;
import dev.vigil.pipeline.config.VigilConfig;
import dev.vigil.pipeline.config.VigilOptions;
import dev.vigil.pipeline.model.EnvelopeTypeInfo;
import dev.vigil.pipeline.model.MetricPointTypeInfo;
import dev.vigil.pipeline.parse.ParseFunction;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * Points per second of the whole job on a local MiniCluster (parallelism 2), over pre-encoded
 * mixed-format messages of {@value MixedPayloads#SERIES} series ({@link MixedPayloads}): (a) the
 * full {@link TelemetryWorkflow} with discarding sinks on raw, scored, anomalies and rejects, (b)
 * parse only (source → parse → discard), (c) the full job on RocksDB, (d) (a) with Flink's default
 * network buffer timeout (100 ms instead of the job's 10 ms). Every run is a job submitted to one
 * MiniCluster that all runs of the JVM share ({@link BenchCluster}), as a production job is
 * submitted to a running cluster; wall time goes from the submission to the job's result (job
 * deployment, task start-up and the end of the input included, nothing subtracted; until round 8
 * each run started and stopped a MiniCluster of its own inside the measured time). Unmeasured
 * alternating runs of both graphs first warm up the JIT ({@code -Dvigil.bench.job.warmupRounds=4}
 * runs of each, {@code -Dvigil.bench.job.warmupPoints=2000000} points each), and one run of (c)
 * before (c) ({@code -Dvigil.bench.job.rocksdbWarmupRounds=1}). The heap runs do not checkpoint;
 * (c) checkpoints every {@value #ROCKSDB_CHECKPOINT_INTERVAL}, as a production job on RocksDB does.
 *
 * <p>Point counts: {@code -Dvigil.bench.job.points=6000000} (heap runs: long enough that a job's
 * deployment and start, ≈ 0.45 s for the full job, are a small part of (a) and of (b)) and {@code
 * -Dvigil.bench.job.rocksdbPoints=1000000}; (b) and (a) run {@code -Dvigil.bench.job.repeats=3}
 * times, alternating, (c) as often after them, and their medians are reported. (c) runs long enough
 * to show RocksDB's sustained rate (round 5 saw it fall as a run went on; with the job's write
 * buffers it holds, round 7).
 */
public final class JobThroughputBenchmark {

    static final int PARALLELISM = 2;

    /** The job's network buffer timeout (TelemetryJob.configure, flink-conf/config.yaml). */
    static final long JOB_BUFFER_TIMEOUT_MS = 10L;

    /** Flink's default, for the comparison run (d). */
    static final long FLINK_DEFAULT_BUFFER_TIMEOUT_MS = 100L;

    /** System properties with this prefix are Flink options for every run. */
    static final String FLINK_OPTION_PREFIX = "vigil.bench.flink.";

    /** Prefix of system properties that set an option of the job in the full-job runs. */
    static final String VIGIL_OPTION_PREFIX = "vigil.bench.option.";

    /** Checkpoint interval of the RocksDB runs (the heap runs do not checkpoint). */
    static final String ROCKSDB_CHECKPOINT_INTERVAL = "2 s";

    /** How many alternating runs of (b) and (a) (their medians are reported); default 3. */
    static final String REPEATS_PROPERTY = "vigil.bench.job.repeats";

    /** How many alternating warm-up runs of both graphs come first; default 4. */
    static final String WARMUP_ROUNDS_PROPERTY = "vigil.bench.job.warmupRounds";

    /** Runs of (c) before the measured one. */
    static final String ROCKSDB_WARMUP_ROUNDS_PROPERTY = "vigil.bench.job.rocksdbWarmupRounds";

    /** Overrides the job's object reuse (on by default) for A/B runs. */
    static final String OBJECT_REUSE_PROPERTY = "vigil.bench.job.objectReuse";

    private JobThroughputBenchmark() {}

    /** One measured run. */
    static final class Run {
        final String label;
        final long points;
        final long nanos;
        final long cpuNanos;
        final boolean objectReuse;

        Run(String label, long points, long nanos, long cpuNanos, boolean objectReuse) {
            this.label = label;
            this.points = points;
            this.nanos = nanos;
            this.cpuNanos = cpuNanos;
            this.objectReuse = objectReuse;
        }

        double pointsPerSecond() {
            return points / (nanos / 1e9);
        }

        /**
         * Points per second of CPU time of the whole JVM: steadier than wall time on a busy host.
         */
        double pointsPerCpuSecond() {
            return points / (cpuNanos / 1e9);
        }
    }

    public static BenchReport run(Path repo) throws Exception {
        try (BenchCluster cluster = BenchCluster.start(clusterConfig())) {
            return run(cluster);
        }
    }

    private static BenchReport run(BenchCluster cluster) throws Exception {
        long heapPoints = Long.getLong("vigil.bench.job.points", 6_000_000L);
        long rocksPoints = Long.getLong("vigil.bench.job.rocksdbPoints", 1_000_000L);
        long warmupPoints = Long.getLong("vigil.bench.job.warmupPoints", 2_000_000L);
        int repeats = Math.max(1, Integer.getInteger(REPEATS_PROPERTY, 3));
        int warmupRounds = Math.max(1, Integer.getInteger(WARMUP_ROUNDS_PROPERTY, 4));
        int rocksWarmupRounds = Math.max(0, Integer.getInteger(ROCKSDB_WARMUP_ROUNDS_PROPERTY, 1));

        // Warm up both graphs, alternating, several times: the JIT keeps compiling the full job
        // for millions of points while the job itself takes both cores. With one 400k warm-up of
        // the pass-through and one 2 M of the full job (rounds 4-6), five (a) runs after it went
        // 267,000 → 306,000 → 344,000 → 396,000 → 381,000 points/s (round 7): the table showed
        // the start of a run, not the steady state a long-running job has.
        System.out.println(
                "warm-up: "
                        + warmupRounds
                        + " alternating runs of the pass-through and the full job, "
                        + Fmt.count(warmupPoints)
                        + " points each");
        List<Run> warmupRuns = new ArrayList<>();
        for (int i = 0; i < warmupRounds; i++) {
            measure(cluster, "warm-up (pass-through)", warmupPoints, false, "hashmap");
            warmupRuns.add(measure(cluster, "warm-up (full job)", warmupPoints, true, "hashmap"));
        }
        // (b) and (a) alternate, the median of each is reported: single runs spread by ±20 % on
        // this machine (round 6), and a ratio of two single runs spreads more.
        List<Run> passThroughRuns = new ArrayList<>();
        List<Run> fullRuns = new ArrayList<>();
        for (int i = 0; i < repeats; i++) {
            passThroughRuns.add(
                    measure(
                            cluster,
                            "(b) parse only → discard, heap",
                            heapPoints,
                            false,
                            "hashmap"));
            fullRuns.add(
                    measure(cluster, "(a) full job, heap (hashmap)", heapPoints, true, "hashmap"));
        }
        Run passThrough = median(passThroughRuns);
        Run full = median(fullRuns);
        Run flinkDefault =
                measure(
                        cluster,
                        "(d) full job, heap, buffer timeout 100 ms",
                        heapPoints,
                        true,
                        "hashmap",
                        FLINK_DEFAULT_BUFFER_TIMEOUT_MS);
        // (c) after every heap run: right after four RocksDB runs, (d) measured 228,000 and 242,000
        // points/s in two full benches (round 8), against 362,000-439,000 after a single one;
        // likely
        // the JIT recompiling call sites that the RocksDB runs made polymorphic.
        // RocksDB's own code paths (state access through JNI, its timers, the series cache) are
        // compiled only once a RocksDB job runs: one run of (c) first, as the heap graphs had
        // theirs.
        List<Run> rocksWarmupRuns = new ArrayList<>();
        for (int i = 0; i < rocksWarmupRounds; i++) {
            rocksWarmupRuns.add(
                    measure(cluster, "warm-up (full job, RocksDB)", rocksPoints, true, "rocksdb"));
        }
        List<Run> rocksRuns = new ArrayList<>();
        for (int i = 0; i < repeats; i++) {
            rocksRuns.add(measure(cluster, "(c) full job, RocksDB", rocksPoints, true, "rocksdb"));
        }
        Run rocks = median(rocksRuns);

        BenchReport report =
                new BenchReport(
                        "job",
                        "Job throughput (MiniCluster, parallelism " + PARALLELISM + ")",
                        "run",
                        "points",
                        "wall time",
                        "points/s",
                        "vs. parse only",
                        "CPU time",
                        "points/CPU-s",
                        "vs. parse only (CPU)");
        for (Run r : new Run[] {full, passThrough, rocks, flinkDefault}) {
            report.row(
                    r.label,
                    Fmt.count(r.points),
                    Fmt.seconds(r.nanos),
                    Fmt.rate(r.pointsPerSecond()),
                    Fmt.decimal(r.pointsPerSecond() / passThrough.pointsPerSecond(), 2),
                    Fmt.seconds(r.cpuNanos),
                    Fmt.rate(r.pointsPerCpuSecond()),
                    Fmt.decimal(r.pointsPerCpuSecond() / passThrough.pointsPerCpuSecond(), 2));
        }
        return report.note(
                        "ratio (a)/(b) = "
                                + Fmt.decimal(
                                        full.pointsPerSecond() / passThrough.pointsPerSecond(), 2)
                                + "; (c)/(a) = "
                                + Fmt.decimal(rocks.pointsPerSecond() / full.pointsPerSecond(), 2)
                                + "; by CPU time (a)/(b) = "
                                + Fmt.decimal(
                                        full.pointsPerCpuSecond()
                                                / passThrough.pointsPerCpuSecond(),
                                        2))
                .note(
                        "warm-up: "
                                + warmupRounds
                                + " alternating runs of both graphs first (-D"
                                + WARMUP_ROUNDS_PROPERTY
                                + "); the full job's warm-up runs, points/s (points/CPU-s): "
                                + allRuns(warmupRuns)
                                + "; (c) after "
                                + rocksWarmupRounds
                                + " run(s) of its own (-D"
                                + ROCKSDB_WARMUP_ROUNDS_PROPERTY
                                + ")"
                                + (rocksWarmupRuns.isEmpty()
                                        ? ""
                                        : ": " + allRuns(rocksWarmupRuns)))
                .note(
                        "(a) and (b): the median of "
                                + repeats
                                + " alternating runs each (-D"
                                + REPEATS_PROPERTY
                                + "); all runs, points/s (points/CPU-s): (a) "
                                + allRuns(fullRuns)
                                + "; (b) "
                                + allRuns(passThroughRuns)
                                + "; (c), the median of as many runs: "
                                + allRuns(rocksRuns))
                .note(
                        "CPU time = CPU time of the whole benchmark JVM during execute() (all"
                                + " task, network, GC and MiniCluster threads): points/CPU-s is"
                                + " what 2 fully available cores would give ×2, and is far less"
                                + " sensitive to other load on the machine than wall time")
                .note(
                        Fmt.count(MixedPayloads.SERIES)
                                + " series, "
                                + MixedPayloads.POINTS_PER_MESSAGE
                                + " points per message (JSON, line protocol, collectd in equal"
                                + " shares), pre-encoded, no timestamps in payloads (event time ="
                                + " receive time, 10 s per series)")
                .note(
                        "wall time from submitting the job to its result, on one MiniCluster"
                                + " started once for all runs (job deployment and start-up"
                                + " included, the cluster's start not); all outputs discarded; managed memory 512 MiB (RocksDB: block"
                                + " cache and write buffers), RocksDB write buffers "
                                + rocksDbWriteBuffer()
                                + ", RocksDB timers; heap runs: no checkpoints; (c): a checkpoint"
                                + " every "
                                + ROCKSDB_CHECKPOINT_INTERVAL
                                + " (file system), the scoring operator's cache of series states"
                                + " ("
                                + VigilOptions.SERIES_CACHE.key()
                                + " = "
                                + vigilConfig().detection().seriesCache
                                + " per subtask) written back before each")
                .note(
                        "network buffer timeout "
                                + JOB_BUFFER_TIMEOUT_MS
                                + " ms (the job's setting) except in (d): Flink's default "
                                + FLINK_DEFAULT_BUFFER_TIMEOUT_MS
                                + " ms; (d)/(a) = "
                                + Fmt.decimal(
                                        flinkDefault.pointsPerSecond() / full.pointsPerSecond(), 2)
                                + " by wall time, "
                                + Fmt.decimal(
                                        flinkDefault.pointsPerCpuSecond()
                                                / full.pointsPerCpuSecond(),
                                        2)
                                + " by CPU time")
                .note(
                        "object reuse "
                                + (full.objectReuse ? "on" : "off")
                                + (System.getProperty(OBJECT_REUSE_PROPERTY) == null
                                        ? " (the job's default)"
                                        : " (-D" + OBJECT_REUSE_PROPERTY + ")"))
                .note("JVM: " + System.getProperty("java.vm.name") + " " + Runtime.version());
    }

    /** The run with the median points/s (the upper one of an even count). */
    static Run median(List<Run> runs) {
        List<Run> sorted = new ArrayList<>(runs);
        sorted.sort(Comparator.comparingDouble(Run::pointsPerSecond));
        return sorted.get(sorted.size() / 2);
    }

    private static String allRuns(List<Run> runs) {
        return runs.stream()
                .map(
                        r ->
                                Fmt.rate(r.pointsPerSecond())
                                        + " ("
                                        + Fmt.rate(r.pointsPerCpuSecond())
                                        + ")")
                .collect(Collectors.joining(", "));
    }

    static Run measure(
            BenchCluster cluster, String label, long points, boolean fullJob, String stateBackend)
            throws Exception {
        return measure(cluster, label, points, fullJob, stateBackend, JOB_BUFFER_TIMEOUT_MS);
    }

    static Run measure(
            BenchCluster cluster,
            String label,
            long points,
            boolean fullJob,
            String stateBackend,
            long bufferTimeoutMs)
            throws Exception {
        long messages = points / MixedPayloads.POINTS_PER_MESSAGE;
        Configuration config = flinkConfig(stateBackend, bufferTimeoutMs);
        if ("rocksdb".equals(stateBackend)) {
            // RocksDB runs checkpoint, as a production job does: the scoring operator's cache of
            // series states (state.series-cache) writes back before every barrier, and that cost
            // belongs in the figure.
            if (!config.containsKey("execution.checkpointing.interval")) { // -D wins
                config.setString("execution.checkpointing.interval", ROCKSDB_CHECKPOINT_INTERVAL);
            }
            config.setString("state.checkpoint-storage", "filesystem");
            config.setString("state.checkpoints.dir", cluster.checkpoints().toUri().toString());
        }
        return measure(cluster, label, points, fullJob, config, messages);
    }

    private static Run measure(
            BenchCluster cluster,
            String label,
            long points,
            boolean fullJob,
            Configuration config,
            long messages)
            throws Exception {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(PARALLELISM, config);
        env.getConfig().disableGenericTypes();
        DataStream<Envelope> source =
                env.fromSource(
                                new DataGeneratorSource<>(
                                        new EnvelopeGenerator(),
                                        messages,
                                        EnvelopeTypeInfo.INSTANCE),
                                WatermarkStrategy.noWatermarks(),
                                "generated envelopes")
                        .uid("source-envelopes");
        if (fullJob) {
            fullJob(source);
        } else {
            passThrough(source);
        }
        JobGraph job = BenchCluster.jobGraph(env, "vigil bench: " + label);
        long cpuStart = processCpuNanos();
        long start = System.nanoTime();
        JobExecutionResult result = cluster.execute(job);
        long nanos = System.nanoTime() - start;
        long cpuNanos = processCpuNanos() - cpuStart;
        long parsed = accumulator(result, ParseFunction.POINTS);
        if (parsed != messages * MixedPayloads.POINTS_PER_MESSAGE) {
            throw new IllegalStateException(
                    label
                            + ": parsed "
                            + parsed
                            + " points, expected "
                            + messages * MixedPayloads.POINTS_PER_MESSAGE
                            + " (rejected: "
                            + accumulator(result, ParseFunction.REJECTED)
                            + ")");
        }
        Run run = new Run(label, parsed, nanos, cpuNanos, env.getConfig().isObjectReuseEnabled());
        System.out.printf(
                "%-36s %,12d points in %s = %s points/s; CPU %s = %s points/CPU-s%n",
                label,
                parsed,
                Fmt.seconds(nanos),
                Fmt.rate(run.pointsPerSecond()),
                Fmt.seconds(cpuNanos),
                Fmt.rate(run.pointsPerCpuSecond()));
        return run;
    }

    private static void fullJob(DataStream<Envelope> source) {
        TelemetryWorkflow.Streams streams = new TelemetryWorkflow(vigilConfig()).build(source);
        TelemetryWorkflow.sinkTo(
                streams,
                new TelemetryWorkflow.Sinks()
                        .raw(new DiscardingSink<>())
                        .scored(new DiscardingSink<>())
                        .anomalies(new DiscardingSink<>())
                        .rejects(new DiscardingSink<>()));
    }

    private static void passThrough(DataStream<Envelope> source) {
        // The same object reuse as the full job, so that (a)/(b) compares like with like.
        TelemetryWorkflow.reuseObjectsUnlessConfigured(source.getExecutionEnvironment());
        SingleOutputStreamOperator<MetricPoint> parsed =
                source.process(new ParseFunction(RoutingConfig.builtIn(), ParserLimits.defaults()))
                        .returns(MetricPointTypeInfo.INSTANCE)
                        .name("parse telemetry");
        parsed.sinkTo(new DiscardingSink<>()).name("points sink");
        parsed.getSideOutput(ParseFunction.REJECTS)
                .sinkTo(new DiscardingSink<>())
                .name("rejects sink");
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static long accumulator(JobExecutionResult result, String name) {
        Object value = result.getAccumulatorResult(name);
        return value == null ? 0 : ((Number) value).longValue();
    }

    static Configuration flinkConfig(String stateBackend) {
        return flinkConfig(stateBackend, FLINK_DEFAULT_BUFFER_TIMEOUT_MS);
    }

    /**
     * The job's defaults, except options set with {@code -Dvigil.bench.option.<key>=<value>} (for
     * experiments, e.g. {@code -Dvigil.bench.option.state.series-cache=0}).
     */
    private static VigilConfig vigilConfig() {
        Configuration options = new Configuration();
        setFromSystemProperties(VIGIL_OPTION_PREFIX, options);
        return VigilConfig.of(options);
    }

    /** Sets {@code key} to {@code value} in {@code c} for every system property prefix+key. */
    private static void setFromSystemProperties(String prefix, Configuration c) {
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith(prefix)) {
                c.setString(name.substring(prefix.length()), System.getProperty(name));
            }
        }
    }

    /** The RocksDB write buffer size of the runs: the job's default unless set by {@code -D}. */
    private static String rocksDbWriteBuffer() {
        return System.getProperty(
                FLINK_OPTION_PREFIX + "state.backend.rocksdb.writebuffer.size",
                TelemetryWorkflow.ROCKSDB_WRITE_BUFFER + " (the job's default)");
    }

    /**
     * The options of the cluster all runs share: memory sizes and every {@code
     * -Dvigil.bench.flink.<key>} (experiments with any Flink option, e.g. {@code
     * -Dvigil.bench.flink.state.backend.rocksdb.timer-service.factory=HEAP}).
     */
    static Configuration clusterConfig() {
        Configuration c = new Configuration();
        c.setString("taskmanager.memory.network.max", "128m");
        // RocksDB: managed memory is its block cache and write buffers (the MiniCluster default
        // of 128 MiB for all operators of both slots makes writes stall).
        c.setString("taskmanager.memory.managed.size", "512m");
        setFromSystemProperties(FLINK_OPTION_PREFIX, c);
        return c;
    }

    /**
     * The options of a run's job: its state backend and buffer timeout, and those of {@link
     * #clusterConfig} (the latency benchmark's local environment starts a MiniCluster with them); a
     * {@code -Dvigil.bench.flink.<key>} wins.
     */
    static Configuration flinkConfig(String stateBackend, long bufferTimeoutMs) {
        Configuration c = new Configuration();
        c.setString("execution.buffer-timeout.interval", bufferTimeoutMs + " ms");
        c.setString("state.backend.type", stateBackend);
        // Object reuse: the workflow turns it on unless the configuration sets it; for A/B runs
        // -Dvigil.bench.job.objectReuse=false (or true) sets it here, which then wins.
        String objectReuse = System.getProperty(OBJECT_REUSE_PROPERTY);
        if (objectReuse != null) {
            c.setString("pipeline.object-reuse", objectReuse);
        }
        c.addAll(clusterConfig());
        return c;
    }
}
