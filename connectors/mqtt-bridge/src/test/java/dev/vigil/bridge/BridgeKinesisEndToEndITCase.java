package dev.vigil.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.bridge.testutils.Await;
import dev.vigil.bridge.testutils.KinesisExtension;
import dev.vigil.bridge.testutils.MosquittoExtension;
import dev.vigil.bridge.testutils.TestPublisher;
import dev.vigil.common.model.Envelope;
import dev.vigil.common.model.MetricPoint;
import dev.vigil.common.parse.ParserLimits;
import dev.vigil.common.parse.TelemetryParser;
import dev.vigil.common.routing.RoutingConfig;
import dev.vigil.pipeline.TelemetryWorkflow;
import dev.vigil.pipeline.config.VigilConfig;
import dev.vigil.pipeline.parse.ParseFunction;
import dev.vigil.pipeline.parse.ParsedRecord;
import dev.vigil.pipeline.source.KinesisEnvelopeSource;
import dev.vigil.simulator.FleetConfig;
import dev.vigil.simulator.FleetSimulator;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Kinesis transport on real processes: a Paho publisher sends mixed messages (JSON, line
 * protocol, collectd, malformed) at QoS 1 to Mosquitto → the bridge in Kinesis mode → kinesis-local
 * → the job on a MiniCluster reading with the FLIP-27 Kinesis source. The job is unbounded: it runs
 * until its counters show every message (or a timeout), then is cancelled. accepted + rejected =
 * sent, and accepted is what the parser says when it reads the messages directly.
 */
class BridgeKinesisEndToEndITCase {

    private static final String STREAM = "e2e-envelopes";
    private static final String DEAD_LETTERS = "e2e-envelopes-dead-letter";
    private static final int MESSAGES = 500;

    @RegisterExtension static final MosquittoExtension MQTT = new MosquittoExtension();

    @RegisterExtension
    static final KinesisExtension KINESIS =
            new KinesisExtension(STREAM + ":2," + DEAD_LETTERS + ":1");

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setConfiguration(fastAccumulatorReports())
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @Test
    void theJobRefusesToStartOnAStreamThatDoesNotExist() throws Exception {
        VigilConfig config =
                VigilConfig.load(
                        null,
                        Map.of(
                                "source.kinesis.stream-arn",
                                KinesisExtension.streamArn("no-such-stream"),
                                "source.kinesis.endpoint",
                                KINESIS.endpoint(),
                                "source.kinesis.region",
                                KinesisExtension.REGION));
        assertThatThrownBy(() -> KinesisEnvelopeSource.checkStream(config, Duration.ofSeconds(10)))
                .hasMessage(
                        "Kinesis stream "
                                + KinesisExtension.streamArn("no-such-stream")
                                + " does not exist at "
                                + KINESIS.endpoint()
                                + ". Create it (the bridge's kinesis.stream), or fix"
                                + " source.kinesis.stream-arn.");
    }

    @Test
    void everyMessageReachesTheJobThroughKinesis() throws Exception {
        List<Envelope> messages = mixedMessages();
        long expectedAccepted = acceptedByTheParser(messages);
        assertThat(expectedAccepted).isBetween(1L, MESSAGES - 1L);

        try (Bridge bridge = new Bridge(kinesisConfig(), Map.of(), Clock.systemUTC()).start()) {
            try (TestPublisher publisher = new TestPublisher(MQTT.url(), "kinesis-publisher")) {
                for (Envelope envelope : messages) {
                    publisher.publish(envelope.getTopic(), envelope.getPayload());
                }
            }
            BridgeMetrics metrics = bridge.metrics();
            Await.until(
                    Duration.ofSeconds(60), () -> metrics.forwarded() >= MESSAGES, metrics::render);
            assertThat(metrics.forwarded()).isEqualTo(MESSAGES);
            assertThat(metrics.deadLettered()).isZero();
        }

        Map<String, Long> counts = runJobUntil(MESSAGES, Duration.ofSeconds(90));
        assertThat(counts.get(ParseFunction.RECEIVED)).isEqualTo(MESSAGES);
        assertThat(counts.get(ParseFunction.ACCEPTED)).isEqualTo(expectedAccepted);
        assertThat(counts.get(ParseFunction.ACCEPTED) + counts.get(ParseFunction.REJECTED))
                .isEqualTo(MESSAGES);
    }

    private static BridgeConfig kinesisConfig() {
        BridgeConfig config = new BridgeConfig();
        config.forwardTo = "kinesis";
        config.mqtt.url = MQTT.url();
        config.mqtt.clientId = "kinesis-bridge";
        config.mqtt.topics = List.of("#");
        config.kinesis.endpoint = KINESIS.endpoint();
        config.kinesis.region = KinesisExtension.REGION;
        config.kinesis.stream = STREAM;
        config.kinesis.deadLetterStream = DEAD_LETTERS;
        config.metrics.port = -1;
        return config.validate();
    }

    /** The simulated fleet's first messages: several formats, some malformed. */
    private static List<Envelope> mixedMessages() {
        List<Envelope> fleet =
                FleetSimulator.generateAll(
                        FleetConfig.builder()
                                .duration(Duration.ofMinutes(10))
                                .malformedRate(0.1)
                                .build());
        assertThat(fleet.size()).isGreaterThanOrEqualTo(MESSAGES);
        return new ArrayList<>(fleet.subList(0, MESSAGES));
    }

    private static long acceptedByTheParser(List<Envelope> messages) {
        TelemetryParser parser =
                new TelemetryParser(RoutingConfig.builtIn(), ParserLimits.defaults());
        List<MetricPoint> points = new ArrayList<>();
        long accepted = 0;
        for (Envelope envelope : messages) {
            points.clear();
            if (parser.parse(envelope, points) == null) {
                accepted++;
            }
        }
        return accepted;
    }

    /**
     * Runs the job graph from the stream's start until its "received" counter reaches {@code
     * expected} (read from the running job's accumulators), then cancels it.
     */
    private static Map<String, Long> runJobUntil(long expected, Duration timeout) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.getConfig().disableGenericTypes();
        VigilConfig config =
                VigilConfig.load(
                        null,
                        Map.of(
                                "source.type",
                                "kinesis",
                                "source.kinesis.stream-arn",
                                KinesisExtension.streamArn(STREAM),
                                "source.kinesis.endpoint",
                                KINESIS.endpoint(),
                                "source.kinesis.region",
                                KinesisExtension.REGION,
                                "source.kinesis.start-from",
                                "trim-horizon"));
        KinesisEnvelopeSource.checkStream(config, Duration.ofSeconds(10)); // as the job does
        DataStream<ParsedRecord> records = KinesisEnvelopeSource.attach(env, config);
        TelemetryWorkflow.Streams streams = new TelemetryWorkflow(config).buildFromParsed(records);
        streams.rejects.sinkTo(new DiscardingSink<>());
        streams.anomalies.sinkTo(new DiscardingSink<>());
        JobClient client = env.executeAsync("bridge kinesis e2e");
        try {
            Await.until(
                    timeout,
                    () -> counters(client).get(ParseFunction.RECEIVED) >= expected,
                    () -> "job counters " + counters(client));
            return counters(client);
        } finally {
            client.cancel().get(30, TimeUnit.SECONDS);
        }
    }

    private static Map<String, Long> counters(JobClient client) {
        try {
            Map<String, Object> accumulators = client.getAccumulators().get(10, TimeUnit.SECONDS);
            return Map.of(
                    ParseFunction.RECEIVED, count(accumulators, ParseFunction.RECEIVED),
                    ParseFunction.ACCEPTED, count(accumulators, ParseFunction.ACCEPTED),
                    ParseFunction.REJECTED, count(accumulators, ParseFunction.REJECTED));
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the job's accumulators", e);
        }
    }

    private static long count(Map<String, Object> accumulators, String name) {
        Object value = accumulators.get(name);
        return value == null ? 0 : ((Number) value).longValue();
    }

    /** Task managers report accumulators with their heartbeats: every 500 ms here. */
    private static Configuration fastAccumulatorReports() {
        Configuration configuration = new Configuration();
        configuration.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, Duration.ofMillis(500));
        return configuration;
    }
}
