package dev.vigil.pipeline;

import dev.vigil.common.model.Envelope;
import dev.vigil.common.model.MetricPoint;
import dev.vigil.common.model.Reject;
import dev.vigil.pipeline.config.DetectionSettings;
import dev.vigil.pipeline.config.VigilConfig;
import dev.vigil.pipeline.detect.ScoringFunction;
import dev.vigil.pipeline.detect.ScoringOperator;
import dev.vigil.pipeline.fleet.Fleet;
import dev.vigil.pipeline.model.Anomaly;
import dev.vigil.pipeline.model.MetricPointTypeInfo;
import dev.vigil.pipeline.model.ScoredPoint;
import dev.vigil.pipeline.parse.EnvelopeParsing;
import dev.vigil.pipeline.parse.ParseFunction;
import dev.vigil.pipeline.parse.ParsedRecord;
import dev.vigil.pipeline.parse.RouteParsedFunction;
import dev.vigil.pipeline.patterns.Patterns;
import dev.vigil.pipeline.time.IdleAwareWatermarks;
import org.apache.flink.api.common.typeinfo.BasicTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The vigil job graph, independent of where envelopes come from and where results go:
 *
 * <pre>
 * envelopes ─▶ parse ─▶ event time ─▶ keyBy(series) ─▶ score ─┬─▶ scored points (bands)
 *               │                                      │      └─▶ CEP patterns ───────────┐
 *               └─▶ rejects                            ├─▶ late points                    │
 *                                                      ├─▶ spikes, silences ──────────────┼─▶ anomalies
 *   scored points ─▶ slice summary per series ─▶ keyBy(device) ─▶ DEVICE (Fisher) ─────────┤
 *                                           └─▶ keyBy(metric) ─▶ POPULATION (median/MAD) ─┘
 * raw points = every parsed point, late ones included.
 * </pre>
 *
 * The patterns reuse the scoring operator's partitioning ({@link
 * DataStreamUtils#reinterpretAsKeyedStream}); the fleet detectors ({@link Fleet}) shuffle the
 * per-series slice summaries of devices by device and by metric.
 *
 * <p>Building the graph turns on Flink's object reuse ({@code pipeline.object-reuse}) unless the
 * environment's configuration sets it: a record then goes to all chained consumers as one instance
 * instead of one deep copy each. That is safe because no operator of the graph modifies a record it
 * was given or one it has emitted (audit in {@code bench/PROFILE.md}, round 6). Sinks and operators
 * that callers attach to {@link Streams} must not modify their input either. It also sizes
 * RocksDB's write buffers for this job's many small column families unless the configuration does
 * ({@link #sizeRocksDbWriteBuffersUnlessConfigured}).
 */
public final class TelemetryWorkflow {

    /** Stable operator uids: savepoints depend on them, never change one. */
    public static final String UID_PARSE = "parse-telemetry";

    public static final String UID_EVENT_TIME = "assign-event-time";
    public static final String UID_ROUTE_PARSED = "route-parsed-telemetry";
    public static final String UID_SCORE = "score-points";

    static final String ROCKSDB_WRITE_BUFFER_KEY = "state.backend.rocksdb.writebuffer.size";

    /**
     * The job's RocksDB write buffer per column family (see {@link
     * #sizeRocksDbWriteBuffersUnlessConfigured}).
     */
    public static final MemorySize ROCKSDB_WRITE_BUFFER = MemorySize.ofMebiBytes(8);

    // by key: the RocksDB backend's options class is in the cluster's lib/, not on the job's path
    static final ConfigOption<MemorySize> ROCKSDB_WRITE_BUFFER_OPTION =
            ConfigOptions.key(ROCKSDB_WRITE_BUFFER_KEY).memoryType().noDefaultValue();

    private final VigilConfig config;

    public TelemetryWorkflow(VigilConfig config) {
        this.config = config;
    }

    /** The streams the workflow produces; callers attach sinks (see {@link #sinkTo}). */
    public static final class Streams {
        public final DataStream<MetricPoint> raw;
        public final DataStream<ScoredPoint> scored;
        public final DataStream<Anomaly> anomalies;
        public final DataStream<Reject> rejects;
        public final DataStream<MetricPoint> late;

        Streams(
                DataStream<MetricPoint> raw,
                DataStream<ScoredPoint> scored,
                DataStream<Anomaly> anomalies,
                DataStream<Reject> rejects,
                DataStream<MetricPoint> late) {
            this.raw = raw;
            this.scored = scored;
            this.anomalies = anomalies;
            this.rejects = rejects;
            this.late = late;
        }
    }

    /**
     * Where results go; a {@code null} sink means that output is not written. With object reuse a
     * sink gets the same instance as the detectors: it must not modify it.
     */
    public static final class Sinks {
        Sink<MetricPoint> raw;
        Sink<ScoredPoint> scored;
        Sink<Anomaly> anomalies;
        Sink<Reject> rejects;

        public Sinks raw(Sink<MetricPoint> sink) {
            this.raw = sink;
            return this;
        }

        public Sinks scored(Sink<ScoredPoint> sink) {
            this.scored = sink;
            return this;
        }

        public Sinks anomalies(Sink<Anomaly> sink) {
            this.anomalies = sink;
            return this;
        }

        public Sinks rejects(Sink<Reject> sink) {
            this.rejects = sink;
            return this;
        }
    }

    /**
     * Builds the graph on top of {@code envelopes} (in-memory sources): parses them, then assigns
     * event time per parallel instance.
     */
    public Streams build(DataStream<Envelope> envelopes) {
        DetectionSettings settings = config.detection();
        // Parse and assign event time at the source's parallelism: the edges stay forward
        // (chained), so the order of
        // each source split — one device's messages — is preserved up to the keyed shuffle.
        int sourceParallelism = envelopes.getParallelism();

        SingleOutputStreamOperator<MetricPoint> parsed =
                envelopes
                        .process(new ParseFunction(EnvelopeParsing.of(config)))
                        .returns(MetricPointTypeInfo.INSTANCE)
                        .setParallelism(sourceParallelism)
                        .uid(UID_PARSE)
                        .name("parse telemetry");
        DataStream<Reject> rejects = parsed.getSideOutput(ParseFunction.REJECTS);

        DataStream<MetricPoint> timed =
                parsed.assignTimestampsAndWatermarks(
                                IdleAwareWatermarks.<MetricPoint>forSettings(
                                        settings, (point, previous) -> point.getTimestamp()))
                        .setParallelism(sourceParallelism)
                        .uid(UID_EVENT_TIME)
                        .name("event time and watermarks");
        return detect(timed, rejects);
    }

    /**
     * Builds the graph on top of a parsing source (Kafka, Kinesis) that already assigned event time
     * with one watermark per partition/shard: points go on, rejects to their stream.
     */
    public Streams buildFromParsed(DataStream<ParsedRecord> records) {
        SingleOutputStreamOperator<MetricPoint> timed =
                records.process(new RouteParsedFunction())
                        .returns(MetricPointTypeInfo.INSTANCE)
                        .setParallelism(records.getParallelism())
                        .uid(UID_ROUTE_PARSED)
                        .name("parsed telemetry");
        return detect(timed, timed.getSideOutput(ParseFunction.REJECTS));
    }

    /** Scoring and detectors, on points with event time. */
    private Streams detect(DataStream<MetricPoint> timed, DataStream<Reject> rejects) {
        reuseObjectsUnlessConfigured(timed.getExecutionEnvironment());
        sizeRocksDbWriteBuffersUnlessConfigured(timed.getExecutionEnvironment());
        DetectionSettings settings = config.detection();
        SingleOutputStreamOperator<ScoredPoint> scored =
                timed.keyBy(MetricPoint::getSeriesId)
                        .transform(
                                "score points",
                                TypeInformation.of(ScoredPoint.class),
                                new ScoringOperator(settings))
                        .uid(UID_SCORE);

        KeyedStream<ScoredPoint, Long> scoredBySeries =
                DataStreamUtils.reinterpretAsKeyedStream(
                        scored, ScoredPoint::seriesId, BasicTypeInfo.LONG_TYPE_INFO);
        DataStream<Anomaly> anomalies =
                scored.getSideOutput(ScoringFunction.ANOMALIES)
                        .union(
                                Patterns.detect(scoredBySeries, settings),
                                Fleet.detect(
                                        scored.getSideOutput(ScoringFunction.FLEET_SLICES),
                                        settings));

        return new Streams(
                timed,
                scored,
                anomalies,
                rejects,
                scored.getSideOutput(ScoringFunction.LATE_POINTS));
    }

    /**
     * Object reuse on, unless {@code pipeline.object-reuse} is set in the environment's
     * configuration (a Flink configuration file, {@code -D}, or {@code
     * env.getConfig().disableObjectReuse()} before the graph is built), which then wins.
     */
    public static void reuseObjectsUnlessConfigured(StreamExecutionEnvironment env) {
        if (env.getConfiguration().getOptional(PipelineOptions.OBJECT_REUSE).isEmpty()) {
            env.getConfig().enableObjectReuse();
        }
    }

    /**
     * RocksDB's write buffer per column family ({@value #ROCKSDB_WRITE_BUFFER_KEY}) is {@link
     * #ROCKSDB_WRITE_BUFFER} unless the environment's configuration sets it (the hashmap backend
     * ignores it). Flink's 64 MiB lets RocksDB reserve 8 MiB (an arena block) per column family
     * being written, and this job has ≈ 30 of them per slot (the series, the fleet's states, the
     * three CEP operators' five states each, and their timers): more than the write buffer manager
     * allows with a few hundred MiB of managed memory per slot (2/3 × {@code
     * state.backend.rocksdb.memory.write-buffer-ratio} of it), so RocksDB flushed tiny memtables
     * continuously — half the throughput with 256 MiB per slot ({@code bench/PROFILE.md}, round 7).
     */
    public static void sizeRocksDbWriteBuffersUnlessConfigured(StreamExecutionEnvironment env) {
        if (env.getConfiguration().getOptional(ROCKSDB_WRITE_BUFFER_OPTION).isEmpty()) {
            env.configure(
                    new Configuration().set(ROCKSDB_WRITE_BUFFER_OPTION, ROCKSDB_WRITE_BUFFER));
        }
    }

    /** Attaches the given sinks, each with a stable uid and name. */
    public static void sinkTo(Streams streams, Sinks sinks) {
        if (sinks.raw != null) {
            streams.raw.sinkTo(sinks.raw).uid("sink-raw").name("raw points sink");
        }
        if (sinks.scored != null) {
            streams.scored.sinkTo(sinks.scored).uid("sink-scored").name("bands sink");
        }
        if (sinks.anomalies != null) {
            streams.anomalies.sinkTo(sinks.anomalies).uid("sink-anomalies").name("anomalies sink");
        }
        if (sinks.rejects != null) {
            streams.rejects.sinkTo(sinks.rejects).uid("sink-rejects").name("rejects sink");
        }
    }
}
