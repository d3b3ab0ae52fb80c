package dev.vigil.bridge.testutils;

import dev.vigil.bridge.BridgeConfig;
import java.util.List;

/** Bridge configs for tests: everything on loopback, metrics on a free port. */
public final class TestConfigs {

    private TestConfigs() {}

    public static BridgeConfig bridge(
            String mqttUrl, String bootstrap, String clientId, String topic) {
        BridgeConfig config = new BridgeConfig();
        config.mqtt.url = mqttUrl;
        config.mqtt.clientId = clientId;
        config.mqtt.topics = List.of("#");
        config.kafka.bootstrapServers = bootstrap;
        config.kafka.topic = topic;
        config.kafka.deadLetterTopic = topic + ".dead-letter";
        config.kafka.topicPartitions = 2;
        config.metrics.port = 0;
        return config.validate();
    }
}
