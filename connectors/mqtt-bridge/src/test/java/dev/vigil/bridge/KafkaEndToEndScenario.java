package dev.vigil.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.bridge.testutils.Await;
import dev.vigil.bridge.testutils.KafkaTopics;
import dev.vigil.bridge.testutils.TestConfigs;
import dev.vigil.bridge.testutils.TestPublisher;
import dev.vigil.common.model.Envelope;
import dev.vigil.common.model.MetricPoint;
import dev.vigil.common.model.Reject;
import dev.vigil.common.model.RejectReason;
import dev.vigil.common.parse.ParserLimits;
import dev.vigil.common.parse.TelemetryParser;
import dev.vigil.common.routing.RoutingConfig;
import dev.vigil.pipeline.TelemetryWorkflow;
import dev.vigil.pipeline.config.VigilConfig;
import dev.vigil.pipeline.parse.ParseFunction;
import dev.vigil.pipeline.parse.ParsedRecord;
import dev.vigil.pipeline.source.KafkaEnvelopeSource;
import dev.vigil.simulator.FleetConfig;
import dev.vigil.simulator.FleetSimulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The whole transport path, whichever way the services run (scripts: {@link BridgeEndToEndITCase};
 * Docker: {@link BridgeContainersITCase}): a Paho publisher sends a simulated fleet (JSON, line
 * protocol, collectd, malformed messages) at QoS 1 to Mosquitto → the bridge → Kafka → the job on a
 * MiniCluster (the caller registers it). Every message is accounted for: accepted + rejected =
 * sent, with the same reasons the parser gives when it reads the messages directly.
 */
final class KafkaEndToEndScenario {

    private KafkaEndToEndScenario() {}

    private static final String TOPIC = "e2e.envelopes";
    private static final int MAX_RECORD_BYTES = 8192;

    static void everyMessageArrivesAndIsAcceptedOrRejectedWithAReason(
            String mqttUrl, String bootstrap) throws Exception {
        List<Envelope> fleet =
                FleetSimulator.generateAll(
                        FleetConfig.builder()
                                .duration(Duration.ofMinutes(100))
                                .malformedRate(0.02)
                                .build());
        assertThat(fleet.size()).isGreaterThanOrEqualTo(10_000);
        Expected expected = Expected.of(fleet);

        BridgeConfig config = TestConfigs.bridge(mqttUrl, bootstrap, "e2e-bridge", TOPIC);
        config.kafka.maxRecordBytes = MAX_RECORD_BYTES;
        try (Bridge bridge = new Bridge(config).start()) {
            try (TestPublisher publisher = new TestPublisher(mqttUrl, "e2e-publisher")) {
                for (Envelope envelope : fleet) {
                    publisher.publish(envelope.getTopic(), envelope.getPayload());
                }
                publisher.publish("sensors/huge/telemetry", new byte[3 * MAX_RECORD_BYTES]);
            }
            BridgeMetrics metrics = bridge.metrics();
            Await.until(
                    Duration.ofSeconds(90),
                    () -> metrics.forwarded() + metrics.deadLettered() == fleet.size() + 1,
                    metrics::render);
            assertThat(metrics.received()).isEqualTo(fleet.size() + 1);
            assertThat(metrics.forwarded()).isEqualTo(fleet.size());
            assertThat(metrics.deadLettered()).isEqualTo(1);
            Await.until(Duration.ofSeconds(10), () -> metrics.inFlight() == 0, metrics::render);
            assertThat(scrape(bridge.metricsPort()))
                    .contains("vigil_bridge_forwarded_total " + fleet.size() + "\n")
                    .contains("vigil_bridge_dead_lettered_total 1\n")
                    .contains("vigil_bridge_forward_latency_seconds_count " + fleet.size() + "\n");
        }
        List<byte[]> garbage =
                List.of(
                        new byte[] {42},
                        "not an envelope".getBytes(StandardCharsets.UTF_8),
                        new byte[0]);
        KafkaTopics.write(bootstrap, TOPIC, garbage);

        JobRun run = runJob(bootstrap);
        assertThat(run.received).isEqualTo(fleet.size() + garbage.size());
        assertThat(run.accepted).isEqualTo(expected.accepted);
        assertThat(run.accepted + run.rejected).isEqualTo(run.received);
        Map<RejectReason, Long> expectedReasons = new TreeMap<>(expected.rejectsByReason);
        // Undecodable records have no topic; an empty one is caught first for its empty payload.
        expectedReasons.merge(RejectReason.UNKNOWN_TOPIC, 2L, Long::sum);
        expectedReasons.merge(RejectReason.EMPTY_PAYLOAD, 1L, Long::sum);
        assertThat(countByReason(run.rejects)).isEqualTo(expectedReasons);
        assertThat(run.rejects).allSatisfy(r -> assertThat(r.getDetail()).isNotBlank());

        List<ConsumerRecord<byte[], byte[]>> dead =
                KafkaTopics.readUntil(
                        bootstrap,
                        TOPIC + ".dead-letter",
                        records -> records.size() >= 1,
                        Duration.ofSeconds(30));
        assertThat(dead).hasSize(1);
        assertThat(header(dead.get(0), KafkaForwarder.HEADER_REASON))
                .startsWith("RECORD_TOO_LARGE");
        assertThat(header(dead.get(0), KafkaForwarder.HEADER_TOPIC))
                .isEqualTo("sensors/huge/telemetry");
        assertThat(header(dead.get(0), KafkaForwarder.HEADER_PAYLOAD_BYTES))
                .isEqualTo(Integer.toString(3 * MAX_RECORD_BYTES));
    }

    /**
     * Reads the topic once, from the first to the current last offset, through the real job graph.
     */
    private static JobRun runJob(String bootstrap) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.getConfig().disableGenericTypes();
        VigilConfig config =
                VigilConfig.load(
                        null,
                        Map.of(
                                "source.kafka.bootstrap-servers",
                                bootstrap,
                                "source.kafka.topic",
                                TOPIC,
                                "source.kafka.start-from",
                                "earliest"));
        DataStream<ParsedRecord> records =
                KafkaEnvelopeSource.attach(
                        env,
                        config,
                        KafkaEnvelopeSource.parsingBuilder(config)
                                .setBounded(OffsetsInitializer.latest())
                                .build());
        TelemetryWorkflow.Streams streams = new TelemetryWorkflow(config).buildFromParsed(records);
        CloseableIterator<Reject> rejects = streams.rejects.collectAsync();
        JobClient client = env.executeAsync("bridge e2e");
        List<Reject> collected = new ArrayList<>();
        try (rejects) {
            rejects.forEachRemaining(collected::add);
        }
        JobExecutionResult result = client.getJobExecutionResult().get();
        return new JobRun(result, collected);
    }

    private static final class JobRun {
        final long received;
        final long accepted;
        final long rejected;
        final List<Reject> rejects;

        JobRun(JobExecutionResult result, List<Reject> rejects) {
            this.received = counter(result, ParseFunction.RECEIVED);
            this.accepted = counter(result, ParseFunction.ACCEPTED);
            this.rejected = counter(result, ParseFunction.REJECTED);
            this.rejects = rejects;
        }

        private static long counter(JobExecutionResult result, String name) {
            Object value = result.getAccumulatorResult(name);
            return value == null ? 0 : ((Number) value).longValue();
        }
    }

    /** What the parser says about the fleet when it reads it directly. */
    private static final class Expected {
        long accepted;
        final Map<RejectReason, Long> rejectsByReason = new EnumMap<>(RejectReason.class);

        static Expected of(List<Envelope> fleet) {
            Expected expected = new Expected();
            TelemetryParser parser =
                    new TelemetryParser(RoutingConfig.builtIn(), ParserLimits.defaults());
            List<MetricPoint> points = new ArrayList<>();
            for (Envelope envelope : fleet) {
                points.clear();
                Reject reject = parser.parse(envelope, points);
                if (reject == null) {
                    expected.accepted++;
                } else {
                    expected.rejectsByReason.merge(reject.getReason(), 1L, Long::sum);
                }
            }
            assertThat(expected.rejectsByReason).isNotEmpty();
            return expected;
        }
    }

    private static Map<RejectReason, Long> countByReason(List<Reject> rejects) {
        Map<RejectReason, Long> counts = new TreeMap<>();
        for (Reject reject : rejects) {
            counts.merge(reject.getReason(), 1L, Long::sum);
        }
        return counts;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static String scrape(int port) throws Exception {
        HttpResponse<String> response =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create("http://127.0.0.1:" + port + "/metrics"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }
}
