package dev.vigil.bridge;

import dev.vigil.bridge.testutils.KafkaExtension;
import dev.vigil.bridge.testutils.MosquittoExtension;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link KafkaEndToEndScenario} on the services started by the project's scripts (Mosquitto and a
 * Kafka broker of its own JVM, free ports), and the job's Kafka source watermarks per partition
 * ({@link SplitWatermarksScenario}) on the same broker.
 */
class BridgeEndToEndITCase {

    @RegisterExtension static final MosquittoExtension MQTT = new MosquittoExtension();
    @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @Test
    void everyMessageArrivesAndIsAcceptedOrRejectedWithAReason() throws Exception {
        KafkaEndToEndScenario.everyMessageArrivesAndIsAcceptedOrRejectedWithAReason(
                MQTT.url(), KAFKA.bootstrapServers());
    }

    @Test
    void theKafkaSourceKeepsTheMinimumWatermarkOverItsPartitions() throws Exception {
        SplitWatermarksScenario.theWatermarkIsTheMinimumOverThePartitions(KAFKA.bootstrapServers());
    }

    @Test
    void aQuietPartitionStopsHoldingTheOthersBackAfterTheIdleTimeout() throws Exception {
        SplitWatermarksScenario.aQuietPartitionStopsHoldingTheOthersBackAfterTheIdleTimeout(
                KAFKA.bootstrapServers());
    }

    @Test
    void theJobRefusesToStartOnATopicThatDoesNotExist() throws Exception {
        SplitWatermarksScenario.theJobRefusesToStartOnATopicThatDoesNotExist(
                KAFKA.bootstrapServers());
    }
}
