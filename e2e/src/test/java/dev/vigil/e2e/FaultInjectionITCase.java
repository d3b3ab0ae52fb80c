package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.bridge.testutils.Await;
import dev.vigil.bridge.testutils.KafkaExtension;
import dev.vigil.bridge.testutils.MosquittoExtension;
import dev.vigil.bridge.testutils.ServiceScript;
import dev.vigil.common.codec.EnvelopeCodec;
import dev.vigil.common.model.Envelope;
import dev.vigil.connectors.influxdb.InfluxDbAdmin;
import dev.vigil.connectors.influxdb.testutils.InfluxDbExtension;
import dev.vigil.e2e.testutils.BridgeProcess;
import dev.vigil.e2e.testutils.FaultReport;
import dev.vigil.e2e.testutils.FixedFleet;
import dev.vigil.e2e.testutils.FlinkClusterExtension;
import dev.vigil.e2e.testutils.FlinkRest;
import dev.vigil.pipeline.TelemetryJob;
import dev.vigil.simulator.mqtt.EnvelopePublisher;
import dev.vigil.simulator.mqtt.Pacer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Fault injection on the deployed pipeline: a deterministic fleet ({@link FixedFleet}) is published
 * over MQTT (QoS 1) to Mosquitto → the bridge (its own JVM) → Kafka → the shaded job jar on a
 * standalone Flink cluster with two TaskManager JVMs → InfluxDB. While it publishes, one fault
 * after the other: {@code kill -9} of the TaskManager running the job, {@code kill -9} of the
 * bridge (then restarted), InfluxDB stopped for a while and restarted, the Kafka broker restarted.
 *
 * <p>Afterwards every published point is in InfluxDB exactly once (count and sum per series), every
 * scored point has its stats row, each planted spike is one anomaly and no anomaly is stored twice,
 * every malformed message (one per 50 ticks, on its own topic) is a reject row with its reason, the
 * job is RUNNING and restored from a checkpoint. The table (fault, outage, recovery, points lost,
 * duplicates, redeliveries absorbed) is printed and written to {@code
 * target/fault-injection-report.md}.
 *
 * <p>Volume: {@code -Dvigil.faults.points} (default 200,000), InfluxDB outage {@code
 * -Dvigil.faults.influx-outage-s} (default 10; 30 for the full run), publish rate {@code
 * -Dvigil.faults.rate} (messages per second; default: the points in about 80 s).
 */
class FaultInjectionITCase {

    @RegisterExtension
    @Order(1)
    static final MosquittoExtension MQTT = new MosquittoExtension();

    @RegisterExtension
    @Order(2)
    static final KafkaExtension KAFKA = new KafkaExtension();

    @RegisterExtension
    @Order(3)
    static final InfluxDbExtension INFLUX = InfluxDbExtension.plain();

    /**
     * Two TaskManagers, so the job has somewhere to go when one is killed; heartbeats every second
     * so the JobManager gives up on a dead TaskManager after 5 s instead of 50 s.
     */
    @RegisterExtension
    @Order(4)
    static final FlinkClusterExtension FLINK =
            new FlinkClusterExtension(
                    2,
                    () ->
                            Map.of(
                                    "heartbeat.interval", "1000",
                                    "heartbeat.timeout", "5000",
                                    "metrics.reporter.influxdb.port", "" + INFLUX.port()));

    private static final String TOPIC = "faults.envelopes";
    private static final String DB = "vigil";
    private static final int DEVICES = 20;
    private static final int FIELDS = 10;
    private static final int PARALLELISM = 2;
    private static final long POINTS = Long.getLong("vigil.faults.points", 200_000);
    private static final Duration INFLUX_OUTAGE =
            Duration.ofSeconds(Long.getLong("vigil.faults.influx-outage-s", 10));
    private static final Duration TIMEOUT = Duration.ofSeconds(180);
    private static final Duration POLL = Duration.ofMillis(250);

    /**
     * A fault window starts this many ticks before the fault: the bridge's in-flight cap (1,000
     * messages) is 50 ticks of 20 devices, messages the broker had already acknowledged.
     */
    private static final int IN_FLIGHT_TICKS = 50;

    private static final FixedFleet FLEET = FixedFleet.ofPoints(POINTS, DEVICES, FIELDS);

    /** One malformed message per this many ticks, each on its own topic under this prefix. */
    private static final int MALFORMED_EVERY_TICKS = 50;

    private static final String MALFORMED_TOPIC_PREFIX = "sensors/malformed-";
    private static final double RATE =
            Double.parseDouble(
                    System.getProperty(
                            "vigil.faults.rate", "" + Math.max(50, FLEET.messages() / 80)));

    private static BridgeProcess bridge;
    private static FlinkRest rest;
    private static String jobId;
    private static volatile EnvelopePublisher publisher;
    private final FaultReport report = new FaultReport();
    private final List<long[]> faultWallTimes = new ArrayList<>();

    @AfterAll
    static void stopTheBridge() {
        if (bridge != null) {
            bridge.close();
        }
    }

    @Test
    void everyPointIsStoredExactlyOnceThroughKillsAndOutages() throws Exception {
        bridge =
                new BridgeProcess(
                                ServiceScript.servicesDir().resolve("fault-bridge"),
                                MQTT.url(),
                                KAFKA.bootstrapServers(),
                                TOPIC)
                        .start();
        rest = FLINK.rest();
        String jarId = rest.upload(Path.of(System.getProperty("vigil.job.jar")));
        jobId = rest.run(jarId, TelemetryJob.class.getName(), jobArgs(), PARALLELISM, null);
        rest.awaitAllTasksRunning(jobId, TIMEOUT);

        AtomicReference<Throwable> publishFailure = new AtomicReference<>();
        Thread publishing = new Thread(() -> publishAll(publishFailure), "fault-publisher");
        publishing.setDaemon(true);
        long started = System.nanoTime();
        publishing.start();

        killTaskManagerAt(0.15);
        killBridgeAt(0.35);
        stopInfluxDbAt(0.55);
        restartKafkaAt(0.75);

        publishing.join(TIMEOUT.toMillis() * 2);
        assertThat(publishing.isAlive()).as("publisher finished").isFalse();
        assertThat(publishFailure.get()).as("publishing failed").isNull();
        awaitStored(FLEET.ticks());
        long elapsed = System.nanoTime() - started;

        assertEveryPointStoredOnceWithItsValue();
        assertEveryPointScored();
        assertSpikesDetectedOnceAndNoAnomalyTwice();
        assertEveryMalformedMessageRejectedWithItsReason();
        countWindowsAndRedeliveries();
        assertThat(rest.jobState(jobId)).isEqualTo("RUNNING");
        assertThat(rest.latestRestoredCheckpoint(jobId))
                .as("the job restored a checkpoint after the TaskManager died")
                .isPositive();

        report.note(
                String.format(
                        "%,d points (%d devices × %d fields × %d ticks) in %,d messages at %.0f"
                                + " messages/s; whole run %.0f s; job restarts: %d",
                        FLEET.points(),
                        DEVICES,
                        FIELDS,
                        FLEET.ticks(),
                        FLEET.messages(),
                        RATE,
                        elapsed / 1e9,
                        rest.numRestarts(jobId)));
        Path file = report.write(Path.of("target", "fault-injection-report.md").toAbsolutePath());
        System.out.println("\nFault injection (" + file + "):\n" + report.toMarkdown());
        for (FaultReport.Row row : report.rows()) {
            assertThat(row.lost()).as("points lost around: " + row.fault).isZero();
            assertThat(row.duplicates()).as("duplicates around: " + row.fault).isZero();
        }
    }

    /** As {@code ./vigil stack up} passes them; event time is March 2026, so no idle advance. */
    private static List<String> jobArgs() {
        return List.of(
                "--source.type", "kafka",
                "--source.kafka.bootstrap-servers", KAFKA.bootstrapServers(),
                "--source.kafka.topic", TOPIC,
                "--source.kafka.start-from", "earliest",
                "--sink.type", "influxdb",
                "--sink.influxdb.url", INFLUX.url(),
                "--sink.influxdb.database", DB,
                "--checkpoint.interval", "1 s",
                "--watermark.idle-timeout", "30 min");
    }

    // ---------------------------------------------------------------- publishing

    /**
     * The fleet, plus one malformed message every {@link #MALFORMED_EVERY_TICKS} ticks on a topic
     * of its own (a second MQTT client, so the fleet publisher's acknowledgement count stays a
     * count of fleet messages).
     */
    private static void publishAll(AtomicReference<Throwable> failure) {
        try (EnvelopePublisher p = EnvelopePublisher.connect(MQTT.url(), "fault-publisher", 500);
                EnvelopePublisher bad =
                        EnvelopePublisher.connect(MQTT.url(), "fault-publisher-malformed", 50)) {
            publisher = p;
            Pacer pacer = Pacer.atRate(RATE);
            for (int tick = 0; tick < FLEET.ticks(); tick++) {
                for (int d = 0; d < DEVICES; d++) {
                    Envelope envelope = FLEET.envelope(d, tick);
                    pacer.awaitSlot(envelope.getReceivedAt());
                    p.publish(envelope);
                }
                if (tick % MALFORMED_EVERY_TICKS == 0) {
                    bad.publish(malformed(tick));
                }
            }
        } catch (Throwable e) {
            failure.set(e);
        }
    }

    static Envelope malformed(int tick) {
        return Envelope.of(
                MALFORMED_TOPIC_PREFIX + tick + "/telemetry",
                "{\"temperature\": 21.5, \"unterminated",
                FixedFleet.timestamp(tick));
    }

    private static int malformedMessages() {
        return (FLEET.ticks() + MALFORMED_EVERY_TICKS - 1) / MALFORMED_EVERY_TICKS;
    }

    /** Ticks whose messages the broker has all acknowledged (it acknowledges in order). */
    private static int acknowledgedTicks() {
        EnvelopePublisher p = publisher;
        return p == null ? 0 : (int) (p.acknowledged() / DEVICES);
    }

    private static void awaitPublished(double fraction) {
        int tick = (int) (FLEET.ticks() * fraction);
        Await.until(
                TIMEOUT,
                throttled(() -> acknowledgedTicks() >= tick),
                () -> acknowledgedTicks() + " of " + tick + " ticks published");
    }

    // ---------------------------------------------------------------- faults

    private void killTaskManagerAt(double fraction) {
        awaitPublished(fraction);
        String taskManager = rest.taskManagersOf(jobId).iterator().next();
        long pid = FLINK.taskManagerPid(taskManager);
        long restartsBefore = rest.numRestarts(jobId);
        int tick = acknowledgedTicks();
        long t0 = System.nanoTime();
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        Await.until(
                TIMEOUT,
                throttled(
                        () ->
                                rest.numRestarts(jobId) > restartsBefore
                                        && rest.allTasksRunning(jobId)
                                        && rest.latestRestoredCheckpoint(jobId) > 0),
                () -> "job " + jobId + " is " + rest.jobState(jobId));
        long back = System.nanoTime();
        recovered("kill -9 TaskManager " + taskManager + " (pid " + pid + ")", tick, t0, back);
    }

    private void killBridgeAt(double fraction) {
        awaitPublished(fraction);
        int tick = acknowledgedTicks();
        long pid = bridge.pid();
        long t0 = System.nanoTime();
        bridge.kill();
        bridge.start();
        long back = System.nanoTime();
        recovered("kill -9 bridge (pid " + pid + "), restarted", tick, t0, back);
    }

    private void stopInfluxDbAt(double fraction) throws Exception {
        awaitPublished(fraction);
        int tick = acknowledgedTicks();
        long t0 = System.nanoTime();
        INFLUX.stop();
        // The outage itself: how long InfluxDB stays down (not a synchronisation).
        LockSupport.parkNanos(INFLUX_OUTAGE.toNanos());
        INFLUX.start();
        long back = System.nanoTime();
        recovered("InfluxDB stopped " + INFLUX_OUTAGE.toSeconds() + " s", tick, t0, back);
    }

    private void restartKafkaAt(double fraction) {
        awaitPublished(fraction);
        int tick = acknowledgedTicks();
        long t0 = System.nanoTime();
        KAFKA.stop();
        KAFKA.start();
        long back = System.nanoTime();
        recovered("Kafka broker restarted", tick, t0, back);
    }

    /**
     * Waits until everything published before the fault is in InfluxDB, then records the row:
     * outage = fault until the component is back, recovery = from then until caught up.
     */
    private void recovered(String fault, int tick, long t0, long back) {
        awaitStored(tick);
        long done = System.nanoTime();
        FaultReport.Row row =
                report.add(
                        fault,
                        Duration.ofNanos(back - t0),
                        Duration.ofNanos(done - back),
                        Math.max(0, tick - IN_FLIGHT_TICKS),
                        acknowledgedTicks());
        faultWallTimes.add(
                new long[] {
                    System.currentTimeMillis() - Duration.ofNanos(done - t0).toMillis(),
                    System.currentTimeMillis()
                });
        System.out.printf(
                "%s: back after %.1f s, caught up %.1f s later%n",
                row.fault, row.outage.toMillis() / 1000.0, row.recovery.toMillis() / 1000.0);
    }

    private static void awaitStored(int tick) {
        long expected = FLEET.pointsBefore(tick);
        long[] stored = new long[1];
        Await.until(
                TIMEOUT,
                throttled(
                        () -> {
                            stored[0] = rawPointsBefore(tick);
                            return stored[0] >= expected;
                        }),
                () -> stored[0] + " of " + expected + " points before tick " + tick + " stored");
    }

    /** Stored points of ticks [0, tick); -1 while InfluxDB does not answer. */
    private static long rawPointsBefore(int tick) {
        return rawPoints(0, tick);
    }

    private static long rawPoints(int fromTick, int toTick) {
        try {
            long total = 0;
            for (JsonNode row :
                    rows(
                            "SELECT count(*) FROM "
                                    + FixedFleet.MEASUREMENT
                                    + " WHERE time >= "
                                    + FixedFleet.timestamp(fromTick)
                                    + "ms AND time < "
                                    + FixedFleet.timestamp(toTick)
                                    + "ms")) {
                for (int i = 1; i < row.size(); i++) {
                    total += row.path(i).asLong();
                }
            }
            return total;
        } catch (RuntimeException e) {
            return -1;
        }
    }

    // ---------------------------------------------------------------- checks

    /** Per series: as many points as published (no gap, nothing extra), and the same sum. */
    private static void assertEveryPointStoredOnceWithItsValue() {
        JsonNode result =
                admin().query(
                                DB,
                                "SELECT count(*), sum(*) FROM "
                                        + FixedFleet.MEASUREMENT
                                        + " GROUP BY \"device\"")
                        .path("results")
                        .path(0)
                        .path("series");
        Map<String, Long> counts = new TreeMap<>();
        Map<String, Double> sums = new TreeMap<>();
        for (JsonNode series : result) {
            String device = series.path("tags").path("device").asText();
            JsonNode columns = series.path("columns");
            JsonNode values = series.path("values").path(0);
            for (int i = 1; i < columns.size(); i++) {
                String column = columns.path(i).asText();
                String key = device + "/" + column.substring(column.indexOf('_') + 1);
                if (column.startsWith("count_")) {
                    counts.put(key, values.path(i).asLong());
                } else {
                    sums.put(key, values.path(i).asDouble());
                }
            }
        }
        Map<String, Long> expectedCounts = new TreeMap<>();
        for (int d = 0; d < DEVICES; d++) {
            for (int f = 0; f < FIELDS; f++) {
                String key = FixedFleet.device(d) + "/" + FixedFleet.field(f);
                expectedCounts.put(key, (long) FLEET.ticks());
                assertThat(sums.get(key))
                        .as("sum of " + key)
                        .isCloseTo(
                                FLEET.sum(d, f), Offset.offset(1e-9 * Math.abs(FLEET.sum(d, f))));
            }
        }
        assertThat(counts).as("points per series").isEqualTo(expectedCounts);
    }

    /**
     * Every malformed message is a row in {@code vigil_rejects} with a parse reason, whatever fault
     * it met on the way: one topic per message, so a redelivered one (a second row with a later
     * receive time) does not hide a lost one.
     */
    private static void assertEveryMalformedMessageRejectedWithItsReason() {
        Map<String, String> reasonByTopic = new TreeMap<>();
        Await.until(
                TIMEOUT,
                throttled(
                        () -> {
                            reasonByTopic.clear();
                            reasonByTopic.putAll(rejectReasonsByTopic());
                            return reasonByTopic.size() >= malformedMessages();
                        }),
                () -> reasonByTopic.size() + " of " + malformedMessages() + " rejects stored");
        Map<String, String> expected = new TreeMap<>();
        for (int tick = 0; tick < FLEET.ticks(); tick += MALFORMED_EVERY_TICKS) {
            expected.put(malformed(tick).getTopic(), "MALFORMED");
        }
        assertThat(reasonByTopic).as("reject reason per malformed topic").isEqualTo(expected);
        System.out.printf(
                "malformed messages: %d published, %d topics in vigil_rejects%n",
                malformedMessages(), reasonByTopic.size());
    }

    /**
     * {@code topic → reason} of the rows in {@code vigil_rejects}; empty while InfluxDB is down.
     */
    private static Map<String, String> rejectReasonsByTopic() {
        Map<String, String> reasons = new TreeMap<>();
        try {
            JsonNode series =
                    admin().query(
                                    DB,
                                    "SELECT count(\"count\") FROM vigil_rejects GROUP BY"
                                            + " \"topic\", \"reason\"")
                            .path("results")
                            .path(0)
                            .path("series");
            for (JsonNode s : series) {
                reasons.merge(
                        s.path("tags").path("topic").asText(),
                        s.path("tags").path("reason").asText(),
                        (a, b) -> a + "," + b);
            }
        } catch (RuntimeException e) {
            return Map.of();
        }
        return reasons;
    }

    /** The bands sink commits independently of the raw sink: wait for it, then count exactly. */
    private static void assertEveryPointScored() {
        long[] stored = new long[1];
        Await.until(
                TIMEOUT,
                throttled(
                        () -> {
                            stored[0] = scoredPoints();
                            return stored[0] >= FLEET.points();
                        }),
                () -> stored[0] + " of " + FLEET.points() + " vigil_stats rows");
        assertThat(stored[0])
                .as("vigil_stats rows (one per scored point)")
                .isEqualTo(FLEET.points());
    }

    private static long scoredPoints() {
        List<JsonNode> rows =
                rows(
                        "SELECT count(\"value\") FROM vigil_stats WHERE \"measurement\" = '"
                                + FixedFleet.MEASUREMENT
                                + "'");
        return rows.isEmpty() ? 0 : rows.get(0).path(1).asLong();
    }

    /**
     * Anomalies are stored at their start time with kind and severity as tags: the same anomaly
     * written twice with a different severity would be two rows. Each (device, field, kind, time)
     * must appear once, and each planted spike be exactly one SPIKE.
     */
    private void assertSpikesDetectedOnceAndNoAnomalyTwice() {
        int[] spikeRows = new int[1];
        Await.until(
                TIMEOUT,
                throttled(
                        () -> {
                            spikeRows[0] =
                                    rows("SELECT \"score\" FROM vigil_anomalies WHERE \"kind\" = 'spike'")
                                            .size();
                            return spikeRows[0] >= FLEET.devices();
                        }),
                () -> spikeRows[0] + " of " + FLEET.devices() + " spikes stored");
        JsonNode series =
                admin().query(
                                DB,
                                "SELECT \"score\" FROM vigil_anomalies GROUP BY \"device\","
                                        + " \"field\", \"kind\"")
                        .path("results")
                        .path(0)
                        .path("series");
        Map<String, Integer> occurrences = new TreeMap<>();
        Map<String, Integer> byKind = new TreeMap<>();
        for (JsonNode s : series) {
            JsonNode tags = s.path("tags");
            String kind = tags.path("kind").asText();
            for (JsonNode row : s.path("values")) {
                String key =
                        kind
                                + " "
                                + tags.path("device").asText()
                                + "/"
                                + tags.path("field").asText()
                                + "@"
                                + row.path(0).asText();
                occurrences.merge(key, 1, Integer::sum);
                byKind.merge(kind, 1, Integer::sum);
            }
        }
        List<String> twice = new ArrayList<>();
        occurrences.forEach(
                (key, n) -> {
                    if (n > 1) {
                        twice.add(key + " ×" + n);
                    }
                });
        report.note("anomalies stored, by kind: " + byKind + "; stored twice: " + twice.size());
        Map<String, Integer> spikes = new TreeMap<>();
        occurrences.forEach(
                (key, n) -> {
                    if (key.startsWith("spike ")) {
                        spikes.put(key.substring(6), n);
                    }
                });
        Map<String, Integer> planted = new TreeMap<>();
        for (FixedFleet.Spike spike : FLEET.spikes()) {
            planted.put(
                    FixedFleet.device(spike.device)
                            + "/"
                            + FixedFleet.field(spike.field)
                            + "@"
                            + Instant.ofEpochMilli(spike.timestamp()),
                    1);
        }
        assertThat(twice).as("anomalies stored twice").isEmpty();
        assertThat(spikes)
                .as("SPIKE anomalies: exactly the planted spikes, once")
                .isEqualTo(planted);
        for (String key : twice) {
            long time =
                    Instant.parse(
                                    key.substring(
                                            key.indexOf('@') + 1,
                                            key.indexOf(' ', key.indexOf('@'))))
                            .toEpochMilli();
            int tick = (int) ((time - FixedFleet.START.toEpochMilli()) / FixedFleet.TICK_MS);
            for (FaultReport.Row row : report.rows()) {
                if (tick >= row.fromTick && tick < row.toTick) {
                    row.duplicateRows++;
                }
            }
        }
    }

    /**
     * Per fault window: points published vs stored; and how many messages Kafka holds twice
     * (redelivered by MQTT's at-least-once), attributed to the fault during which they were
     * written.
     */
    private void countWindowsAndRedeliveries() {
        for (FaultReport.Row row : report.rows()) {
            row.expectedPoints = FLEET.pointsBefore(row.toTick) - FLEET.pointsBefore(row.fromTick);
            row.storedPoints = rawPoints(row.fromTick, row.toTick);
        }
        Map<String, Integer> seen = new HashMap<>();
        long redelivered = 0;
        for (ConsumerRecord<byte[], byte[]> record : readTopic()) {
            Envelope envelope = EnvelopeCodec.tryDecode(record.value());
            if (envelope == null) {
                continue;
            }
            String key = envelope.getTopic() + "@" + timestampOf(envelope);
            if (seen.merge(key, 1, Integer::sum) > 1) {
                redelivered++;
                for (int i = 0; i < faultWallTimes.size(); i++) {
                    long[] window = faultWallTimes.get(i);
                    if (record.timestamp() >= window[0] && record.timestamp() <= window[1]) {
                        report.rows().get(i).redelivered++;
                        break;
                    }
                }
            }
        }
        long distinct = seen.size();
        long published = FLEET.messages() + malformedMessages();
        assertThat(distinct).as("distinct messages in Kafka").isEqualTo(published);
        report.note(
                String.format(
                        "Kafka holds %,d records for %,d published messages (%,d of them malformed,"
                                + " each a row in vigil_rejects with its reason): %,d redelivered"
                                + " duplicates (MQTT and the bridge are at-least-once), all"
                                + " absorbed by InfluxDB's series+timestamp key",
                        distinct + redelivered, published, malformedMessages(), redelivered));
    }

    private static final Pattern TIMESTAMP = Pattern.compile("\"timestamp\":(\\d+)");

    private static String timestampOf(Envelope envelope) {
        Matcher m = TIMESTAMP.matcher(new String(envelope.getPayload(), StandardCharsets.UTF_8));
        return m.find() ? m.group(1) : "?";
    }

    private static List<ConsumerRecord<byte[], byte[]>> readTopic() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(TOPIC)
                    .forEach(i -> partitions.add(new TopicPartition(TOPIC, i.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                assertThat(System.nanoTime()).as("reading " + TOPIC).isLessThan(deadline);
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
        }
        return records;
    }

    // ---------------------------------------------------------------- helpers

    private static InfluxDbAdmin admin() {
        return INFLUX.admin();
    }

    private static List<JsonNode> rows(String influxql) {
        return dev.vigil.e2e.testutils.Influx.rows(admin(), DB, influxql);
    }

    /** A condition evaluated at most every {@link #POLL} (the queries are not free). */
    private static BooleanSupplier throttled(BooleanSupplier condition) {
        long[] next = {0};
        return () -> {
            long now = System.nanoTime();
            if (now < next[0]) {
                return false;
            }
            next[0] = now + POLL.toNanos();
            return condition.getAsBoolean();
        };
    }
}
