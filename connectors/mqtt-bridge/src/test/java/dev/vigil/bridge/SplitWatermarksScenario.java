package dev.vigil.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.common.codec.EnvelopeCodec;
import dev.vigil.common.model.Envelope;
import dev.vigil.pipeline.config.VigilConfig;
import dev.vigil.pipeline.parse.ParsedRecord;
import dev.vigil.pipeline.source.KafkaEnvelopeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The job's Kafka source keeps one watermark per partition: one source subtask reads all
 * partitions, and its watermark is the minimum over them, so a partition that is behind does not
 * make the other's points late; a partition that goes quiet stops holding the others back after the
 * idle timeout. Observed through event-time timers: a probe registers a timer at each point's
 * timestamp and reports when it fires (out-of-orderness 0, so a timer at {@code t} fires once the
 * watermark reached {@code t}). Run by {@link BridgeEndToEndITCase} on its broker and MiniCluster
 * (one broker start less in CI).
 */
final class SplitWatermarksScenario {

    private SplitWatermarksScenario() {}

    private static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    private static final Duration WAIT = Duration.ofSeconds(60);

    static void theWatermarkIsTheMinimumOverThePartitions(String bootstrap) throws Exception {
        String topic = createTopic(bootstrap, "watermarks.min", 2);
        try (Probe probe = Probe.start(config(bootstrap, topic, "10 min"));
                Producer producer = new Producer(bootstrap, topic)) {
            producer.send(0, 0);
            producer.send(1, 0);
            assertThat(probe.next(2)).containsExactly("point 0", "point 0");

            producer.send(0, 60); // partition 1 still at 0 s: nothing may fire
            assertThat(probe.next(1)).containsExactly("point 60");

            producer.send(1, 30); // min = 30 s − 1 ms
            assertThat(probe.next(2)).containsExactly("point 30", "fired 0");

            producer.send(1, 90); // min = 60 s − 1 ms (partition 0): 60 does not fire yet
            assertThat(probe.next(2)).containsExactly("point 90", "fired 30");

            producer.send(0, 120); // min = 90 s − 1 ms (partition 1): 90 does not fire yet
            assertThat(probe.next(2)).containsExactly("point 120", "fired 60");

            producer.send(1, 150); // min = 120 s − 1 ms
            assertThat(probe.next(2)).containsExactly("point 150", "fired 90");
        }
    }

    static void aQuietPartitionStopsHoldingTheOthersBackAfterTheIdleTimeout(String bootstrap)
            throws Exception {
        // partition 2 never gets a record: it holds nothing back from the start
        String topic = createTopic(bootstrap, "watermarks.idle", 3);
        try (Probe probe = Probe.start(config(bootstrap, topic, "1 s"));
                Producer producer = new Producer(bootstrap, topic)) {
            producer.send(0, 0);
            producer.send(1, 0);
            assertThat(probe.next(2)).containsExactly("point 0", "point 0");

            producer.send(0, 2); // partition 1 goes quiet at 0 s
            List<String> next = probe.next(3);

            assertThat(next).containsExactlyInAnyOrder("point 2", "fired 0", "fired 2");
            assertThat(next.get(2)).isEqualTo("fired 2");
        }
    }

    static void theJobRefusesToStartOnATopicThatDoesNotExist(String bootstrap) throws Exception {
        createTopic(bootstrap, "watermarks.present", 1);
        KafkaEnvelopeSource.checkTopic(
                config(bootstrap, "watermarks.present", "1 s"), Duration.ofSeconds(10));

        assertThatThrownBy(
                        () ->
                                KafkaEnvelopeSource.checkTopic(
                                        config(bootstrap, "watermarks.absent", "1 s"),
                                        Duration.ofSeconds(2)))
                .hasMessage(
                        "Kafka topic 'watermarks.absent' does not exist at "
                                + bootstrap
                                + ". Start the MQTT bridge first (it creates its topic), or create"
                                + " the topic, or fix source.kafka.topic.");
    }

    private static VigilConfig config(String bootstrap, String topic, String idleTimeout) {
        return VigilConfig.load(
                null,
                Map.of(
                        "source.kafka.bootstrap-servers",
                        bootstrap,
                        "source.kafka.topic",
                        topic,
                        "source.kafka.group-id",
                        topic,
                        "source.kafka.start-from",
                        "earliest",
                        "watermark.out-of-orderness",
                        "0 s",
                        "watermark.idle-timeout",
                        idleTimeout));
    }

    private static String createTopic(String bootstrap, String name, int partitions)
            throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
        }
        return name;
    }

    /** Writes one point (event time {@code T0 + seconds}) to a given partition. */
    private static final class Producer implements AutoCloseable {
        private final String topic;
        private final KafkaProducer<byte[], byte[]> producer;

        Producer(String bootstrap, String topic) {
            this.topic = topic;
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            p.put(
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                    ByteArraySerializer.class.getName());
            this.producer = new KafkaProducer<>(p);
        }

        void send(int partition, int seconds) throws Exception {
            long ts = T0 + seconds * 1000L;
            Envelope envelope =
                    Envelope.of(
                            "sensors/dev-" + partition + "/telemetry",
                            "{\"temperature\":20,\"timestamp\":" + ts + "}",
                            ts);
            producer.send(
                            new ProducerRecord<>(
                                    topic, partition, null, EnvelopeCodec.encode(envelope)))
                    .get();
        }

        @Override
        public void close() {
            producer.close();
        }
    }

    /** The job: the Kafka source as the job builds it, then the timer probe; outputs in order. */
    private static final class Probe implements AutoCloseable {
        private final JobClient job;
        private final CloseableIterator<String> results;
        private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        private final Thread reader;

        private Probe(JobClient job, CloseableIterator<String> results) {
            this.job = job;
            this.results = results;
            this.reader = new Thread(this::read, "watermark-probe-reader");
            reader.setDaemon(true);
            reader.start();
        }

        static Probe start(VigilConfig config) throws Exception {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(1);
            env.getConfig().disableGenericTypes();
            CloseableIterator<String> results =
                    KafkaEnvelopeSource.attach(env, config)
                            .keyBy(record -> 0, Types.INT)
                            .process(new TimerProbe())
                            .returns(Types.STRING)
                            .collectAsync();
            return new Probe(env.executeAsync("split watermarks"), results);
        }

        private void read() {
            try {
                results.forEachRemaining(queue::add);
            } catch (RuntimeException e) {
                // the job was cancelled
            }
        }

        List<String> next(int count) throws InterruptedException {
            List<String> out = new ArrayList<>();
            while (out.size() < count) {
                String next = queue.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(next).as("output after " + out).isNotNull();
                out.add(next);
            }
            return out;
        }

        @Override
        public void close() throws Exception {
            job.cancel().get(30, TimeUnit.SECONDS);
            results.close();
        }
    }

    /** "point s" for each point, "fired s" when the watermark reaches it (s: seconds after T0). */
    static final class TimerProbe extends KeyedProcessFunction<Integer, ParsedRecord, String> {
        @Override
        public void processElement(ParsedRecord record, Context ctx, Collector<String> out) {
            out.collect("point " + seconds(record.getTimestamp()));
            ctx.timerService().registerEventTimeTimer(record.getTimestamp());
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext ctx, Collector<String> out) {
            out.collect("fired " + seconds(timestamp));
        }

        private static long seconds(long ts) {
            return (ts - T0) / 1000;
        }
    }
}
