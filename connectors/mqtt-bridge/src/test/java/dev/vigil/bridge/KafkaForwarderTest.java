package dev.vigil.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.common.codec.EnvelopeCodec;
import dev.vigil.common.model.Envelope;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The forwarder against Kafka's MockProducer: outcomes, keys, retries and dead letters. */
class KafkaForwarderTest {

    private static final long AT = 1_700_000_000_000L;

    private final MockProducer<String, byte[]> producer =
            new MockProducer<>(false, new StringSerializer(), new ByteArraySerializer());
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor();
    private final BridgeMetrics metrics = new BridgeMetrics(10);
    private final List<String> outcomes = new ArrayList<>();
    private final BridgeConfig.Kafka config = new BridgeConfig.Kafka();
    private final KafkaForwarder forwarder;

    KafkaForwarderTest() {
        config.maxRecordBytes = 2048;
        config.deadLetterPayloadBytes = 16;
        forwarder = new KafkaForwarder(config, producer, retries, metrics);
    }

    @AfterEach
    void stop() {
        retries.shutdownNow();
    }

    @Test
    void forwardsTheEncodedEnvelopeKeyedByDevice() throws Exception {
        Envelope envelope = Envelope.of("sensors/dev-7/telemetry", "{\"t\":1}", AT);
        forwarder.forward(envelope, outcome());
        assertThat(outcomes).isEmpty(); // not before Kafka confirmed
        producer.completeNext();

        assertThat(outcomes).containsExactly("forwarded");
        ProducerRecord<String, byte[]> sent = producer.history().get(0);
        assertThat(sent.topic()).isEqualTo("vigil.envelopes");
        assertThat(sent.key()).isEqualTo("dev-7");
        assertThat(EnvelopeCodec.decode(sent.value())).isEqualTo(envelope);
    }

    @Test
    void retriesWhileKafkaFailsThenForwards() throws Exception {
        forwarder.forward(Envelope.of("sensors/d/telemetry", "{}", AT), outcome());
        producer.errorNext(new TimeoutException("Kafka is down"));
        awaitHistory(2);
        producer.completeNext();

        assertThat(outcomes).containsExactly("forwarded");
        assertThat(metrics.failed()).isEqualTo(1);
        assertThat(metrics.retried()).isEqualTo(1);
    }

    @Test
    void tooLargeMessagesAreDeadLetteredWithTheReason() throws Exception {
        byte[] payload = new byte[4000];
        forwarder.forward(new Envelope("sensors/big/telemetry", payload, AT), outcome());
        producer.completeNext();

        assertThat(outcomes).containsExactly("dead-lettered");
        ProducerRecord<String, byte[]> dead = producer.history().get(0);
        assertThat(dead.topic()).isEqualTo("vigil.envelopes.dead-letter");
        assertThat(header(dead, KafkaForwarder.HEADER_REASON))
                .startsWith("RECORD_TOO_LARGE: the encoded envelope has 4033 bytes");
        assertThat(header(dead, KafkaForwarder.HEADER_PAYLOAD_BYTES)).isEqualTo("4000");
        assertThat(EnvelopeCodec.decode(dead.value()).getPayload()).hasSize(16);
    }

    @Test
    void recordsKafkaRejectsAreDeadLettered() throws Exception {
        forwarder.forward(Envelope.of("sensors/d/telemetry", "{}", AT), outcome());
        producer.errorNext(new RecordTooLargeException("broker limit"));
        producer.completeNext();

        assertThat(outcomes).containsExactly("dead-lettered");
        assertThat(header(producer.history().get(1), KafkaForwarder.HEADER_REASON))
                .startsWith("REJECTED_BY_KAFKA");
        assertThat(metrics.failed()).isEqualTo(1);
    }

    @Test
    void messagesOutsideTheAllowListAreDeadLetteredWithTheReason() throws Exception {
        forwarder.deadLetter(
                Envelope.of("admin/reset", "{}", AT),
                "TOPIC_NOT_ALLOWED: topic 'admin/reset' is not on mqtt.allowed-topics",
                outcome());
        producer.completeNext();

        assertThat(outcomes).containsExactly("dead-lettered");
        ProducerRecord<String, byte[]> dead = producer.history().get(0);
        assertThat(dead.topic()).isEqualTo("vigil.envelopes.dead-letter");
        assertThat(header(dead, KafkaForwarder.HEADER_REASON))
                .isEqualTo("TOPIC_NOT_ALLOWED: topic 'admin/reset' is not on mqtt.allowed-topics");
        assertThat(EnvelopeCodec.decode(dead.value()).getTopic()).isEqualTo("admin/reset");
    }

    private void awaitHistory(int size) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (producer.history().size() < size && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(5);
        }
        assertThat(producer.history()).hasSize(size);
    }

    private Forwarder.Outcome outcome() {
        return new Forwarder.Outcome() {
            @Override
            public void forwarded() {
                outcomes.add("forwarded");
            }

            @Override
            public void deadLettered() {
                outcomes.add("dead-lettered");
            }
        };
    }

    private static String header(ProducerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
