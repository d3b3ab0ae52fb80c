package dev.vigil.bench.job;

import dev.vigil.bench.BenchReport;
import dev.vigil.bench.Fmt;
import dev.vigil.common.model.Envelope;
import dev.vigil.pipeline.TelemetryWorkflow;
import dev.vigil.pipeline.config.VigilConfig;
import dev.vigil.pipeline.model.Anomaly;
import dev.vigil.pipeline.model.AnomalyKind;
import dev.vigil.pipeline.model.EnvelopeTypeInfo;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.accumulators.Histogram;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * Event-to-anomaly latency inside the job: the full {@link TelemetryWorkflow} on a MiniCluster
 * (parallelism 2, heap state) at a fixed offered rate ({@code DataGeneratorSource} rate limiter),
 * over {@link WallClockEnvelopeGenerator} (event time = wall clock at emission, injected spikes).
 * At the anomaly sink, latency = wall clock − the anomaly's end (the event time of the point that
 * completed it, i.e. when the source emitted that point), in ms, collected in accumulator
 * histograms per detector path: SPIKE (the scoring function, per point) and the CEP patterns
 * (SUSTAINED_DEVIATION, LEVEL_SHIFT, FLATLINE: event time, so they also wait for the watermark).
 * One run per network buffer timeout ({@code -Dvigil.bench.latency.bufferTimeoutsMs=100,10}). Fleet
 * anomalies (slice timers) and SILENCE (a deadline) are not point-triggered and not counted.
 *
 * <p>{@code -Dvigil.bench.latency.rate=20000} points/s, {@code -Dvigil.bench.latency.seconds=30},
 * {@code -Dvigil.bench.latency.devices=1000} (2 series each).
 */
public final class LatencyBenchmark {

    static final String SPIKES = "latency-spike-ms";
    static final String PATTERNS = "latency-cep-ms";

    private LatencyBenchmark() {}

    public static BenchReport run(Path repo) throws Exception {
        long rate = Long.getLong("vigil.bench.latency.rate", 20_000L);
        long seconds = Long.getLong("vigil.bench.latency.seconds", 30L);
        int devices = Integer.getInteger("vigil.bench.latency.devices", 1_000);
        String timeouts = System.getProperty("vigil.bench.latency.bufferTimeoutsMs", "100,10");
        BenchReport report =
                new BenchReport(
                        "latency",
                        "Event-to-anomaly latency inside the job (MiniCluster, parallelism "
                                + JobThroughputBenchmark.PARALLELISM
                                + ")",
                        "anomalies",
                        "network buffer timeout",
                        "count",
                        "p50",
                        "p99",
                        "max");
        for (String timeout : timeouts.split(",")) {
            long bufferTimeoutMs = Long.parseLong(timeout.trim());
            JobExecutionResult result = measure(rate, seconds, devices, bufferTimeoutMs);
            String label = bufferTimeoutMs + " ms" + (bufferTimeoutMs == 100 ? " (default)" : "");
            row(report, "SPIKE (scoring function)", label, result.getAccumulatorResult(SPIKES));
            row(
                    report,
                    "SUSTAINED_DEVIATION (CEP, event time)",
                    label,
                    result.getAccumulatorResult(PATTERNS));
        }
        return report.note(
                        "offered rate "
                                + Fmt.count(rate)
                                + " points/s ("
                                + Fmt.count(rate / MixedPayloads.POINTS_PER_MESSAGE)
                                + " msgs/s, rate-limited source) for "
                                + seconds
                                + " s over "
                                + Fmt.count((long) devices * MixedPayloads.POINTS_PER_MESSAGE)
                                + " series, with injected spikes and 6-point excursions")
                .note(
                        "latency = wall clock at the anomaly sink − event time of the point that"
                                + " completed the anomaly (= wall clock when the source emitted"
                                + " it); ms resolution; heap state, no checkpoints, default"
                                + " detection settings")
                .note(
                        "network buffer timeout = execution.buffer-timeout.interval (Flink's"
                                + " default 100 ms): a record waits up to that long in a"
                                + " partly filled network buffer at the keyed shuffle")
                .note(
                        "CEP patterns run in event time: they wait for the watermark, i.e. the"
                                + " out-of-orderness bound (watermark.out-of-orderness, 10 s)");
    }

    private static JobExecutionResult measure(
            long rate, long seconds, int devices, long bufferTimeoutMs) throws Exception {
        long messagesPerSecond = rate / MixedPayloads.POINTS_PER_MESSAGE;
        Configuration config = JobThroughputBenchmark.flinkConfig("hashmap");
        config.setString("execution.buffer-timeout.interval", bufferTimeoutMs + " ms");
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(
                        JobThroughputBenchmark.PARALLELISM, config);
        env.getConfig().disableGenericTypes();
        DataStream<Envelope> source =
                env.fromSource(
                                new DataGeneratorSource<>(
                                        new WallClockEnvelopeGenerator(devices),
                                        messagesPerSecond * seconds,
                                        RateLimiterStrategy.perSecond(messagesPerSecond),
                                        EnvelopeTypeInfo.INSTANCE),
                                WatermarkStrategy.noWatermarks(),
                                "generated envelopes (wall clock)")
                        .uid("source-envelopes");
        TelemetryWorkflow.Streams streams =
                new TelemetryWorkflow(VigilConfig.defaults()).build(source);
        TelemetryWorkflow.sinkTo(
                streams,
                new TelemetryWorkflow.Sinks()
                        .raw(new DiscardingSink<>())
                        .scored(new DiscardingSink<>())
                        .rejects(new DiscardingSink<>()));
        streams.anomalies
                .map(new LatencyRecorder())
                .returns(TypeInformation.of(Anomaly.class))
                .name("anomaly latency")
                .sinkTo(new DiscardingSink<>())
                .name("anomalies sink");
        System.out.printf(
                "offered %,d points/s for %d s over %,d series, buffer timeout %d ms ...%n",
                rate, seconds, devices * MixedPayloads.POINTS_PER_MESSAGE, bufferTimeoutMs);
        long start = System.nanoTime();
        JobExecutionResult result = env.execute("vigil bench: event-to-anomaly latency");
        System.out.println("  run took " + Fmt.seconds(System.nanoTime() - start));
        return result;
    }

    private static void row(
            BenchReport report, String label, String bufferTimeout, Object histogram) {
        @SuppressWarnings("unchecked")
        TreeMap<Integer, Integer> counts =
                histogram == null ? new TreeMap<>() : (TreeMap<Integer, Integer>) histogram;
        long n = counts.values().stream().mapToLong(Integer::longValue).sum();
        report.row(
                label,
                bufferTimeout,
                Fmt.count(n),
                ms(percentile(counts, n, 0.50)),
                ms(percentile(counts, n, 0.99)),
                ms(n == 0 ? -1 : counts.lastKey()));
        System.out.printf(
                "%-40s %-16s n=%,d p50=%s p99=%s%n",
                label,
                bufferTimeout,
                n,
                ms(percentile(counts, n, 0.50)),
                ms(percentile(counts, n, 0.99)));
    }

    /** The smallest latency with at least q·n samples at or below it; −1 when empty. */
    static int percentile(TreeMap<Integer, Integer> counts, long n, double q) {
        long rank = (long) Math.ceil(q * n);
        long seen = 0;
        for (Map.Entry<Integer, Integer> e : counts.entrySet()) {
            seen += e.getValue();
            if (seen >= rank) {
                return e.getKey();
            }
        }
        return -1;
    }

    private static String ms(int ms) {
        return ms < 0 ? "–" : ms + " ms";
    }

    /** Records wall clock − anomaly end per detector path; passes anomalies through. */
    static final class LatencyRecorder extends RichMapFunction<Anomaly, Anomaly> {
        private static final long serialVersionUID = 1L;

        private transient Histogram spikes;
        private transient Histogram patterns;

        @Override
        public void open(OpenContext openContext) {
            spikes = new Histogram();
            patterns = new Histogram();
            getRuntimeContext().addAccumulator(SPIKES, spikes);
            getRuntimeContext().addAccumulator(PATTERNS, patterns);
        }

        @Override
        public Anomaly map(Anomaly a) {
            int latency = (int) Math.max(0, System.currentTimeMillis() - a.getEnd());
            AnomalyKind kind = a.getKind();
            if (kind == AnomalyKind.SPIKE) {
                spikes.add(latency);
            } else if (kind == AnomalyKind.SUSTAINED_DEVIATION
                    || kind == AnomalyKind.LEVEL_SHIFT
                    || kind == AnomalyKind.FLATLINE) {
                patterns.add(latency);
            }
            return a;
        }
    }
}
