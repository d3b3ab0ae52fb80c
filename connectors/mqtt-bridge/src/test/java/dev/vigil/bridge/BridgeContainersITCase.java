package dev.vigil.bridge;

import dev.vigil.bridge.testutils.DockerImages;
import dev.vigil.bridge.testutils.ServiceScript;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testcontainers.containers.FixedHostPortGenericContainer;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

/**
 * The same scenarios as {@link BridgeEndToEndITCase} (the Kafka end to end) and {@link
 * BridgeFailuresITCase} (shared subscription), on Mosquitto and Kafka in Docker containers (images
 * from {@code docker/.env}). Without Docker the class is skipped, CI included: the script-based
 * ITCases are the ones CI requires.
 */
@Testcontainers(disabledWithoutDocker = true)
class BridgeContainersITCase {

    /** Kafka advertises the host port, so the container's port is chosen (free) beforehand. */
    private static final int KAFKA_PORT = ServiceScript.freePort();

    @Container
    static final GenericContainer<?> MOSQUITTO =
            new GenericContainer<>(DockerImageName.parse(DockerImages.mosquitto()))
                    .withCommand("mosquitto", "-c", "/mosquitto-no-auth.conf")
                    .withExposedPorts(1883)
                    .waitingFor(Wait.forListeningPort());

    @Container
    @SuppressWarnings("deprecation") // the fixed host port is a free one, chosen at run time
    static final GenericContainer<?> KAFKA =
            new FixedHostPortGenericContainer<>(DockerImages.kafka())
                    .withFixedExposedPort(KAFKA_PORT, KAFKA_PORT)
                    .withEnv("CLUSTER_ID", "vigil-testcontainers-01")
                    .withEnv("KAFKA_NODE_ID", "1")
                    .withEnv("KAFKA_PROCESS_ROLES", "broker,controller")
                    .withEnv("KAFKA_CONTROLLER_QUORUM_VOTERS", "1@localhost:9093")
                    .withEnv(
                            "KAFKA_LISTENERS", "PLAINTEXT://:" + KAFKA_PORT + ",CONTROLLER://:9093")
                    .withEnv("KAFKA_ADVERTISED_LISTENERS", "PLAINTEXT://127.0.0.1:" + KAFKA_PORT)
                    .withEnv(
                            "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP",
                            "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT")
                    .withEnv("KAFKA_CONTROLLER_LISTENER_NAMES", "CONTROLLER")
                    .withEnv("KAFKA_INTER_BROKER_LISTENER_NAME", "PLAINTEXT")
                    .withEnv("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1")
                    .withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
                    .withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
                    .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
                    .waitingFor(Wait.forLogMessage(".*Kafka Server started.*", 1));

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @Test
    void kafkaEndToEnd() throws Exception {
        KafkaEndToEndScenario.everyMessageArrivesAndIsAcceptedOrRejectedWithAReason(
                mqttUrl(), bootstrapServers());
    }

    @Test
    void sharedSubscriptionOnMosquitto() throws Exception {
        SharedSubscriptionScenario.twoBridgesForwardEverything(mqttUrl(), bootstrapServers());
    }

    private static String mqttUrl() {
        return "tcp://" + MOSQUITTO.getHost() + ":" + MOSQUITTO.getMappedPort(1883);
    }

    private static String bootstrapServers() {
        return "127.0.0.1:" + KAFKA_PORT;
    }
}
