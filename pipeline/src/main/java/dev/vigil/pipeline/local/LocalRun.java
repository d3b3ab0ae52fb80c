package dev.vigil.pipeline.local;

import dev.vigil.common.model.Envelope;
import dev.vigil.common.model.MetricPoint;
import dev.vigil.common.model.Reject;
import dev.vigil.pipeline.TelemetryWorkflow;
import dev.vigil.pipeline.config.VigilConfig;
import dev.vigil.pipeline.model.Anomaly;
import dev.vigil.pipeline.model.EnvelopeTypeInfo;
import dev.vigil.pipeline.model.ScoredPoint;
import dev.vigil.pipeline.parse.ParseFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/**
 * Runs the workflow in bounded mode on a local Flink MiniCluster over in-memory envelopes and hands
 * every output to the caller as it arrives. Used by {@code ./vigil demo} and {@code ./vigil
 * replay}: the same graph as the streaming job, only the source and the sinks differ.
 */
public final class LocalRun {

    /** Receives outputs; called from collector threads, one thread per output kind. */
    public interface Listener {
        default void onScored(ScoredPoint point) {}

        default void onAnomaly(Anomaly anomaly) {}

        default void onReject(Reject reject) {}

        default void onLate(MetricPoint point) {}

        /** Called about once a second while the job runs, with the parse counters so far. */
        default void onProgress(long received, long rejected, long points) {}

        /** Called once the job was submitted (a live feed starts sending, and ends the job). */
        default void onStarted(JobClient job) {}
    }

    /** Builds the job's source of envelopes on the given environment. */
    @FunctionalInterface
    public interface SourceFactory {
        DataStream<Envelope> create(StreamExecutionEnvironment env);
    }

    /** The bounded source over in-memory envelopes. */
    public static SourceFactory fromMemory(List<Envelope> envelopes) {
        return env ->
                env.fromData(envelopes, EnvelopeTypeInfo.INSTANCE)
                        .name("envelopes")
                        .uid("source-envelopes");
    }

    /** Message counters of a finished run. */
    public static final class Counts {
        public final long received;
        public final long accepted;
        public final long rejected;
        public final long points;

        Counts(JobExecutionResult result) {
            this.received = value(result, ParseFunction.RECEIVED);
            this.accepted = value(result, ParseFunction.ACCEPTED);
            this.rejected = value(result, ParseFunction.REJECTED);
            this.points = value(result, ParseFunction.POINTS);
        }

        private static long value(JobExecutionResult result, String name) {
            return number(result.getAccumulatorResult(name));
        }
    }

    private LocalRun() {}

    /** Runs on a new local MiniCluster with the given parallelism. */
    public static Counts run(
            VigilConfig config,
            List<Envelope> envelopes,
            int parallelism,
            boolean scored,
            Listener listener)
            throws Exception {
        return run(environment(parallelism, 0), config, envelopes, scored, listener);
    }

    /** Runs on the given environment (tests pass the one of a shared MiniCluster). */
    public static Counts run(
            StreamExecutionEnvironment env,
            VigilConfig config,
            List<Envelope> envelopes,
            boolean scored,
            Listener listener)
            throws Exception {
        return run(env, config, envelopes, scored, new TelemetryWorkflow.Sinks(), listener);
    }

    /** Runs on the given environment, writing to {@code sinks} as well as to the listener. */
    public static Counts run(
            StreamExecutionEnvironment env,
            VigilConfig config,
            List<Envelope> envelopes,
            boolean scored,
            TelemetryWorkflow.Sinks sinks,
            Listener listener)
            throws Exception {
        return run(env, config, fromMemory(envelopes), scored, sinks, listener);
    }

    /**
     * Runs the workflow over the source {@code source} builds (a bounded one ends by itself; an
     * unbounded one is ended by whoever holds the {@link JobClient} passed to {@link
     * Listener#onStarted}, e.g. with stop-with-savepoint and drain).
     */
    public static Counts run(
            StreamExecutionEnvironment env,
            VigilConfig config,
            SourceFactory sourceFactory,
            boolean scored,
            TelemetryWorkflow.Sinks sinks,
            Listener listener)
            throws Exception {
        env.getConfig().disableGenericTypes();
        DataStream<Envelope> source = sourceFactory.create(env);
        TelemetryWorkflow.Streams streams = new TelemetryWorkflow(config).build(source);
        TelemetryWorkflow.sinkTo(streams, sinks);

        CloseableIterator<Anomaly> anomalies = streams.anomalies.collectAsync();
        CloseableIterator<Reject> rejects = streams.rejects.collectAsync();
        CloseableIterator<MetricPoint> late = streams.late.collectAsync();
        CloseableIterator<ScoredPoint> scoredPoints = scored ? streams.scored.collectAsync() : null;

        JobClient client = env.executeAsync("vigil (local)");
        listener.onStarted(client);
        // One thread per output: collect sinks block when their buffer is full and nobody reads.
        ExecutorService readers = Executors.newFixedThreadPool(4);
        ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor();
        progress.scheduleWithFixedDelay(
                () -> reportProgress(client, listener), 1, 1, TimeUnit.SECONDS);
        try {
            List<CompletableFuture<Void>> drains = new ArrayList<>();
            drains.add(drain(anomalies, listener::onAnomaly, readers));
            drains.add(drain(rejects, listener::onReject, readers));
            drains.add(drain(late, listener::onLate, readers));
            if (scoredPoints != null) {
                drains.add(drain(scoredPoints, listener::onScored, readers));
            }
            JobExecutionResult result = client.getJobExecutionResult().get();
            CompletableFuture.allOf(drains.toArray(new CompletableFuture[0])).get();
            return new Counts(result);
        } finally {
            progress.shutdownNow();
            readers.shutdownNow();
        }
    }

    /**
     * A local environment; with {@code webUiPort} > 0 the MiniCluster serves Flink's web UI on that
     * port (flink-runtime-web is on the launcher's class path).
     */
    public static StreamExecutionEnvironment environment(int parallelism, int webUiPort) {
        Configuration c = new Configuration();
        c.setString("taskmanager.memory.network.max", "128m");
        // Accumulators (the progress line, a live feed's end condition) arrive with heartbeats.
        c.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, java.time.Duration.ofSeconds(1));
        if (webUiPort <= 0) {
            return StreamExecutionEnvironment.createLocalEnvironment(parallelism, c);
        }
        c.set(RestOptions.PORT, webUiPort);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(c);
        env.setParallelism(parallelism);
        return env;
    }

    private static <T> CompletableFuture<Void> drain(
            CloseableIterator<T> iterator, Consumer<T> consumer, ExecutorService executor) {
        return CompletableFuture.runAsync(
                () -> {
                    try (CloseableIterator<T> it = iterator) {
                        while (it.hasNext()) {
                            consumer.accept(it.next());
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException("Collecting job output failed: " + e, e);
                    }
                },
                executor);
    }

    private static void reportProgress(JobClient client, Listener listener) {
        try {
            Map<String, Object> acc = client.getAccumulators().get(5, TimeUnit.SECONDS);
            listener.onProgress(
                    number(acc.get(ParseFunction.RECEIVED)),
                    number(acc.get(ParseFunction.REJECTED)),
                    number(acc.get(ParseFunction.POINTS)));
        } catch (Exception e) {
            // progress is best effort: the job may just be finishing
        }
    }

    private static long number(Object value) {
        return value instanceof Number ? ((Number) value).longValue() : 0;
    }
}
