package dev.vigil.pipeline;

import dev.vigil.common.model.Envelope;
import dev.vigil.pipeline.config.VigilConfig;
import dev.vigil.pipeline.config.VigilOptions;
import dev.vigil.pipeline.model.EnvelopeTypeInfo;
import dev.vigil.pipeline.parse.ParsedRecord;
import dev.vigil.pipeline.replay.ReplayFormat;
import dev.vigil.pipeline.replay.ReplayInput;
import dev.vigil.pipeline.sink.InfluxSinks;
import dev.vigil.pipeline.source.KafkaEnvelopeSource;
import dev.vigil.pipeline.source.KinesisEnvelopeSource;
import dev.vigil.simulator.FleetConfig;
import dev.vigil.simulator.FleetSimulator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.PrintSink;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * The job's entry point for {@code flink run}: reads the configuration ({@code --config FILE} plus
 * {@code --key value} overrides), builds the source and sinks it names, and hands them to {@link
 * TelemetryWorkflow}. It only wires.
 */
public final class TelemetryJob {

    private TelemetryJob() {}

    public static void main(String[] args) throws Exception {
        VigilConfig config = configFrom(args);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        configure(env, config);
        TelemetryWorkflow.Streams streams = streams(env, config, new TelemetryWorkflow(config));
        TelemetryWorkflow.sinkTo(streams, sinks(config));
        env.execute("vigil telemetry anomaly detection");
    }

    static VigilConfig configFrom(String[] args) {
        List<String> rest = new ArrayList<>(List.of(args));
        Path file = null;
        int i = rest.indexOf("--config");
        if (i >= 0) {
            if (i + 1 >= rest.size()) {
                throw new IllegalArgumentException("--config needs a file name.");
            }
            file = Path.of(rest.get(i + 1));
            rest.remove(i + 1);
            rest.remove(i);
        }
        return VigilConfig.load(file, VigilConfig.parseOverrides(rest));
    }

    /**
     * Exactly-once checkpoints, no Kryo, the configured parallelism, network buffers flushed at
     * least every 10 ms (Flink's default of 100 ms dominated the in-job anomaly latency; see {@code
     * bench/results/latest.md}). Object reuse is turned on by {@link TelemetryWorkflow} itself.
     */
    public static void configure(StreamExecutionEnvironment env, VigilConfig config) {
        env.getConfig().disableGenericTypes();
        env.setBufferTimeout(10L); // ms; same as flink-conf/config.yaml
        env.setParallelism(config.get(VigilOptions.PARALLELISM));
        env.enableCheckpointing(
                config.get(VigilOptions.CHECKPOINT_INTERVAL).toMillis(),
                CheckpointingMode.EXACTLY_ONCE);
    }

    /**
     * Kafka and Kinesis sources parse inside the source and keep a watermark per partition/shard;
     * the in-memory sources (simulator, file) go through the workflow's parse operator.
     */
    static TelemetryWorkflow.Streams streams(
            StreamExecutionEnvironment env, VigilConfig config, TelemetryWorkflow workflow)
            throws Exception {
        String type = config.get(VigilOptions.SOURCE_TYPE).toLowerCase(Locale.ROOT);
        if (type.equals("kafka")) {
            KafkaEnvelopeSource.checkTopic(config, KafkaEnvelopeSource.CHECK_TIMEOUT);
            return workflow.buildFromParsed(KafkaEnvelopeSource.attach(env, config));
        }
        if (type.equals("kinesis")) {
            return workflow.buildFromParsed(kinesisSource(env, config));
        }
        return workflow.build(source(env, config));
    }

    static DataStream<Envelope> source(StreamExecutionEnvironment env, VigilConfig config)
            throws Exception {
        String type = config.get(VigilOptions.SOURCE_TYPE).toLowerCase(Locale.ROOT);
        List<Envelope> envelopes;
        switch (type) {
            case "simulator":
                String fleetFile = config.get(VigilOptions.SIMULATOR_CONFIG);
                FleetConfig fleet =
                        fleetFile == null
                                ? FleetConfig.defaults()
                                : FleetConfig.fromYaml(Path.of(fleetFile));
                envelopes = FleetSimulator.generateAll(fleet);
                break;
            case "file":
                String file = config.get(VigilOptions.SOURCE_FILE);
                if (file == null) {
                    throw new IllegalArgumentException(
                            "source.type=file needs source.file: set it to an envelope JSON-lines file.");
                }
                envelopes = ReplayInput.read(Path.of(file), ReplayFormat.JSONL).envelopes;
                break;
            default:
                throw new IllegalArgumentException(
                        "Unknown source.type '"
                                + type
                                + "': use kafka, kinesis, simulator or file.");
        }
        return env.fromData(envelopes, EnvelopeTypeInfo.INSTANCE)
                .name("envelopes (" + type + ")")
                .uid("source-envelopes");
    }

    /** The Kinesis source, or a clear error when the job jar was built without the connector. */
    private static DataStream<ParsedRecord> kinesisSource(
            StreamExecutionEnvironment env, VigilConfig config) {
        try {
            Class.forName("org.apache.flink.connector.kinesis.source.KinesisStreamsSource");
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException(
                    "source.type=kinesis needs the Flink Kinesis connector, which this job jar does"
                            + " not contain: build it with './mvnw -Pkinesis package -pl pipeline',"
                            + " or put flink-connector-kinesis-4.3.0-1.19.jar into Flink's lib/.",
                    e);
        }
        KinesisEnvelopeSource.checkStream(config, KinesisEnvelopeSource.CHECK_TIMEOUT);
        return KinesisEnvelopeSource.attach(env, config);
    }

    static TelemetryWorkflow.Sinks sinks(VigilConfig config) {
        String type = config.get(VigilOptions.SINK_TYPE).toLowerCase(Locale.ROOT);
        switch (type) {
            case "stdout":
                return new TelemetryWorkflow.Sinks()
                        .anomalies(new PrintSink<>("anomaly"))
                        .rejects(new PrintSink<>("reject", true));
            case "influxdb":
                InfluxSinks.prepareDatabase(config);
                return InfluxSinks.create(config);
            case "discard":
                return new TelemetryWorkflow.Sinks()
                        .raw(new DiscardingSink<>())
                        .scored(new DiscardingSink<>())
                        .anomalies(new DiscardingSink<>())
                        .rejects(new DiscardingSink<>());
            default:
                throw new IllegalArgumentException(
                        "Unknown sink.type '" + type + "': use influxdb, stdout or discard.");
        }
    }
}
