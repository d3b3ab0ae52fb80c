package dev.vigil.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.bridge.testutils.Await;
import dev.vigil.bridge.testutils.KafkaTopics;
import dev.vigil.bridge.testutils.TestConfigs;
import dev.vigil.bridge.testutils.TestPublisher;
import dev.vigil.common.codec.EnvelopeCodec;
import dev.vigil.common.model.Envelope;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Two bridge instances on one MQTT shared subscription ({@code $share/vigil/share/#}) together
 * forward every message, whichever way the services run (scripts: {@link BridgeFailuresITCase};
 * Docker: {@link BridgeContainersITCase}). Also the publishing and reading helpers of those tests:
 * messages carry a sequence number, the Kafka side is read until every number was seen.
 */
final class SharedSubscriptionScenario {

    private SharedSubscriptionScenario() {}

    static void twoBridgesForwardEverything(String mqttUrl, String bootstrap) throws Exception {
        int count = 4_000;
        String topic = "share.envelopes";
        BridgeConfig a = TestConfigs.bridge(mqttUrl, bootstrap, "share-a", topic);
        BridgeConfig b = TestConfigs.bridge(mqttUrl, bootstrap, "share-b", topic);
        for (BridgeConfig config : List.of(a, b)) {
            config.mqtt.topics = List.of("share/#");
            config.mqtt.sharedGroup = "vigil";
        }
        try (Bridge first = new Bridge(a).start();
                Bridge second = new Bridge(b).start()) {
            publishAsync(mqttUrl, "share", count).get();
            Await.until(
                    Duration.ofSeconds(60),
                    () -> first.metrics().forwarded() + second.metrics().forwarded() >= count,
                    () -> first.metrics().forwarded() + " + " + second.metrics().forwarded());
            assertThat(first.metrics().forwarded()).isPositive();
            assertThat(second.metrics().forwarded()).isPositive();
            assertThat(awaitSequences(bootstrap, topic, count)).hasSize(count);
        }
    }

    /**
     * Publishes {@code {"seq": i}} for i in 0..count-1 to {@code <prefix>/dev-<i % 20>/telemetry}.
     */
    static CompletableFuture<Void> publishAsync(String mqttUrl, String prefix, int count) {
        return CompletableFuture.runAsync(
                () -> {
                    try (TestPublisher publisher =
                            new TestPublisher(mqttUrl, prefix + "-publisher")) {
                        for (int i = 0; i < count; i++) {
                            String payload = "{\"seq\": " + i + "}";
                            publisher.publish(
                                    prefix + "/dev-" + (i % 20) + "/telemetry",
                                    payload.getBytes(StandardCharsets.UTF_8));
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
    }

    /** Reads the topic until every sequence number 0..count-1 was seen (or times out). */
    static Set<Integer> awaitSequences(String bootstrap, String topic, int count) {
        Set<Integer> seen = new HashSet<>();
        KafkaTopics.readUntil(
                bootstrap,
                topic,
                records -> {
                    for (int i = 0; i < records.size(); i++) {
                        seen.add(sequence(records.get(i)));
                    }
                    return seen.size() >= count;
                },
                Duration.ofSeconds(60));
        return seen;
    }

    private static int sequence(ConsumerRecord<byte[], byte[]> record) {
        Envelope envelope = EnvelopeCodec.tryDecode(record.value());
        String payload = new String(envelope.getPayload(), StandardCharsets.UTF_8);
        return Integer.parseInt(payload.replaceAll("[^0-9]", ""));
    }
}
