package dev.vigil.bridge;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.bridge.testutils.TestConfigs;
import dev.vigil.common.model.Envelope;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.model.DescribeStreamSummaryResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;

/**
 * Unreachable broker or stream: the bridge stops at start with a message that says what happened
 * and what to do. Short timeouts; closed ports and a listener that never answers stand in for the
 * services.
 */
class BridgeStartupErrorsTest {

    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        retries.shutdownNow();
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    @Test
    void aClosedMqttPortSaysToCheckTheUrlAndStartTheBroker() throws Exception {
        String url = "tcp://127.0.0.1:" + closedPort();
        BridgeConfig config = TestConfigs.bridge(url, "127.0.0.1:1", "errors-mqtt", "t");
        config.mqtt.connectTimeoutSeconds = 2;
        config.metrics.port = -1;

        Bridge bridge = new Bridge(config, Map.of(), Clock.systemUTC(), new NoForwarder());
        try {
            assertThatThrownBy(bridge::start)
                    .isInstanceOf(BridgeException.class)
                    .hasMessageStartingWith(
                            "Cannot connect to the MQTT broker at " + url + ": the broker did not")
                    .hasMessageContaining("Check mqtt.url and that the broker is running")
                    .hasMessageContaining("scripts/services/mosquitto.sh start");
        } finally {
            bridge.close();
        }
    }

    @Test
    void aClosedKafkaPortSaysToCheckTheBootstrapServers() throws Exception {
        String bootstrap = "127.0.0.1:" + closedPort();
        assertKafkaUnreachable(bootstrap);
    }

    @Test
    void aKafkaThatAcceptsButNeverAnswersSaysTheSame() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            assertKafkaUnreachable("127.0.0.1:" + silent.getLocalPort());
        }
    }

    private static void assertKafkaUnreachable(String bootstrap) {
        BridgeConfig config =
                TestConfigs.bridge("tcp://127.0.0.1:1", bootstrap, "errors-kafka", "t");
        config.kafka.startupTimeoutMs = 1500;
        config.metrics.port = -1;
        Bridge bridge = new Bridge(config);
        try {
            assertThatThrownBy(bridge::start)
                    .isInstanceOf(BridgeException.class)
                    .hasMessageStartingWith(
                            "Kafka at " + bootstrap + " did not answer within 1500 ms (")
                    .hasMessageContaining(
                            "Check kafka.bootstrap-servers and that the broker is running (for a"
                                    + " local one: scripts/services/kafka.sh start).");
        } finally {
            bridge.close();
        }
    }

    @Test
    void aKinesisEndpointThatDoesNotAnswerSaysToCheckEndpointRegionAndCredentials()
            throws Exception {
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
        String endpoint = "http://127.0.0.1:" + closedPort();
        BridgeConfig config = kinesisConfig(endpoint);
        Bridge bridge = new Bridge(config);
        try {
            assertThatThrownBy(bridge::start)
                    .isInstanceOf(BridgeException.class)
                    .hasMessageStartingWith(
                            "Kinesis at " + endpoint + " did not answer within 1500 ms (")
                    .hasMessageContaining("Check kinesis.endpoint / kinesis.region")
                    .hasMessageContaining("scripts/services/kinesis.sh start");
        } finally {
            bridge.close();
        }
    }

    @Test
    void aMissingKinesisStreamSaysHowToCreateIt() {
        BridgeConfig config = kinesisConfig("http://127.0.0.1:4567");
        KinesisForwarder forwarder =
                new KinesisForwarder(
                        config.kinesis,
                        new MissingStreams(),
                        retries,
                        new BridgeMetrics(config.bridge.maxInFlight));
        try (forwarder) {
            assertThatThrownBy(forwarder::prepare)
                    .isInstanceOf(BridgeException.class)
                    .hasMessage(
                            "Kinesis stream envelopes does not exist at http://127.0.0.1:4567."
                                    + " Create it (aws kinesis create-stream --stream-name"
                                    + " envelopes --shard-count 2), or for the local emulator"
                                    + " start it with KINESIS_STREAMS=envelopes:2"
                                    + " scripts/services/kinesis.sh start.");
        }
    }

    private static BridgeConfig kinesisConfig(String endpoint) {
        BridgeConfig config = TestConfigs.bridge("tcp://127.0.0.1:1", "127.0.0.1:1", "errors", "t");
        config.forwardTo = "kinesis";
        config.kinesis.endpoint = endpoint;
        config.kinesis.stream = "envelopes";
        config.kinesis.deadLetterStream = "envelopes-dead";
        config.kinesis.startupTimeoutMs = 1500;
        config.metrics.port = -1;
        return config.validate();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Accepts nothing; the MQTT side fails before anything is forwarded. */
    private static final class NoForwarder implements Forwarder {
        @Override
        public void prepare() {}

        @Override
        public void forward(Envelope envelope, Outcome outcome) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void deadLetter(Envelope envelope, String reason, Outcome outcome) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void flush() {}

        @Override
        public void stopRetrying() {}

        @Override
        public void close() {}
    }

    /** A Kinesis that has no stream. */
    private static final class MissingStreams implements KinesisForwarder.Client {
        @Override
        public CompletableFuture<PutRecordsResponse> putRecords(PutRecordsRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<DescribeStreamSummaryResponse> describe(String stream) {
            return CompletableFuture.failedFuture(
                    ResourceNotFoundException.builder()
                            .message("Stream " + stream + " under account 000000000000 not found.")
                            .build());
        }

        @Override
        public void close() {}
    }
}
