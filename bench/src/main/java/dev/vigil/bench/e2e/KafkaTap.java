package dev.vigil.bench.e2e;

import dev.vigil.common.codec.EnvelopeCodec;
import dev.vigil.common.model.Envelope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport baseline: a plain Kafka consumer of the bridge's topic (all partitions, from the
 * end, the consumer defaults the job's source also has) that notes, for every fleet message, wall
 * clock at arrival − payload timestamp (= publish wall time, ms resolution), and for the spikes the
 * {@link SpikeLedger.Stage#KAFKA} sighting.
 */
final class KafkaTap implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaTap.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final SpikeLedger ledger;
    private final Thread thread;
    private volatile boolean running = true;
    private long[] timestamps = new long[1 << 16];
    private long[] latenciesMs = new long[1 << 16];
    private int size;

    KafkaTap(String bootstrap, String topic, SpikeLedger ledger) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "vigil-bench-e2e-tap");
        consumer = new KafkaConsumer<>(p);
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(15))) {
            partitions.add(new TopicPartition(topic, info.partition()));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve "end" now, before publishing starts
        this.ledger = ledger;
        this.thread = new Thread(this::loop, "e2e-kafka-tap");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void loop() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record :
                        consumer.poll(Duration.ofMillis(100))) {
                    onRecord(record.value(), System.nanoTime(), System.currentTimeMillis());
                }
            }
        } catch (RuntimeException e) {
            LOG.error("Kafka tap failed", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void onRecord(byte[] value, long nanos, long nowMs) {
        Envelope envelope = EnvelopeCodec.tryDecode(value);
        if (envelope == null) {
            return;
        }
        long ts = FleetPayload.timestampOf(envelope.getPayload());
        String device = FleetPayload.deviceOfTopic(envelope.getTopic());
        if (ts < 0 || device == null) {
            return;
        }
        ledger.seen(SpikeLedger.Stage.KAFKA, device, null, ts, nanos);
        synchronized (this) {
            if (size == timestamps.length) {
                timestamps = Arrays.copyOf(timestamps, size * 2);
                latenciesMs = Arrays.copyOf(latenciesMs, size * 2);
            }
            timestamps[size] = ts;
            latenciesMs[size] = nowMs - ts;
            size++;
        }
    }

    /** Latencies (ns, from ms) of the messages published at or after {@code fromMs}. */
    synchronized long[] latenciesSince(long fromMs) {
        long[] out = new long[size];
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (timestamps[i] >= fromMs) {
                out[n++] = latenciesMs[i] * 1_000_000L;
            }
        }
        return Arrays.copyOf(out, n);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(10_000);
    }
}
