package dev.vigil.pipeline.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.common.codec.EnvelopeCodec;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SeriesPerDeviceTrackerTest {

    private static final long T0 = 1_704_067_200_000L;
    private static final long TTL = 60_000L;

    @Test
    void admitsUpToExactlyMaxSeries() {
        SeriesPerDeviceTracker tracker = new SeriesPerDeviceTracker(3, TTL, 10);

        assertThat(offer(tracker, "sensors/d1/t", T0, 1, 2)).isEqualTo(2);
        assertThat(offer(tracker, "sensors/d1/t", T0, 3)).isEqualTo(3);
        assertThat(offer(tracker, "sensors/d1/t", T0, 1, 4)).as("rejected").isEqualTo(4);
        assertThat(tracker.trackedSeries("d1")).as("nothing of it admitted").isEqualTo(3);
        assertThat(offer(tracker, "sensors/d1/t", T0, 3, 2, 1)).isEqualTo(3);
        assertThat(offer(tracker, "sensors/d1/t", T0)).as("no series").isEqualTo(3);
        assertThat(offer(tracker, "sensors/d2/t", T0, 1, 2, 3, 4)).as("new device").isEqualTo(4);
        assertThat(tracker.trackedDevices()).as("a rejected new device is not kept").isEqualTo(1);
    }

    @Test
    void duplicatesWithinAMessageCountOnce() {
        SeriesPerDeviceTracker tracker = new SeriesPerDeviceTracker(2, TTL, 10);

        assertThat(offer(tracker, "sensors/d1/t", T0, 7, 7, 8, 7, 8)).isEqualTo(2);
        assertThat(offer(tracker, "sensors/d2/t", T0, 5, 5, 5)).isEqualTo(1);
        assertThat(offer(tracker, "sensors/d2/t", T0, 6, 6, 5, 6)).isEqualTo(2);
        assertThat(offer(tracker, "sensors/d2/t", T0, 9, 9)).isEqualTo(3);
        assertThat(tracker.trackedSeries("d1")).isEqualTo(2);
        assertThat(tracker.trackedSeries("d2")).isEqualTo(2);
    }

    @Test
    void seriesUnseenForExactlyTheTtlFreeTheirPlace() {
        SeriesPerDeviceTracker tracker = new SeriesPerDeviceTracker(2, TTL, 10);
        offer(tracker, "sensors/d1/t", T0, 1);
        offer(tracker, "sensors/d1/t", T0 + 10, 2);

        assertThat(offer(tracker, "sensors/d1/t", T0 + TTL - 1, 3)).isEqualTo(3);
        assertThat(offer(tracker, "sensors/d1/t", T0 + TTL, 3))
                .as("series 1 expired at its TTL, series 2 not yet")
                .isEqualTo(2);
        assertThat(offer(tracker, "sensors/d1/t", T0 + TTL + 9, 1)).isEqualTo(3);
        assertThat(offer(tracker, "sensors/d1/t", T0 + TTL + 10, 1)).isEqualTo(2);
        assertThat(tracker.trackedSeries("d1")).isEqualTo(2);
        assertThat(offer(tracker, "sensors/d1/t", T0 + 10 * TTL, 5)).isEqualTo(1);
        assertThat(tracker.trackedSeries("d1")).isEqualTo(1);
    }

    @Test
    void theLeastRecentlySeenDeviceIsDroppedFirst() {
        SeriesPerDeviceTracker tracker = new SeriesPerDeviceTracker(2, TTL, 3);
        offer(tracker, "sensors/d0/t", T0, 1);
        offer(tracker, "sensors/d1/t", T0, 1);
        offer(tracker, "sensors/d2/t", T0, 1);
        assertThat(offer(tracker, "sensors/d0/t", T0, 2, 3, 4))
                .as("rejected, but d0 was seen")
                .isEqualTo(4);

        offer(tracker, "sensors/d3/t", T0, 1);
        assertThat(tracker.trackedDevices()).isEqualTo(3);
        assertThat(tracker.trackedSeries("d1")).isZero();
        offer(tracker, "telegraf/d0", T0, 1); // the same device under another topic
        offer(tracker, "sensors/d4/t", T0, 1);
        assertThat(tracker.trackedSeries("d2")).isZero();
        assertThat(tracker.trackedSeries("d0")).isEqualTo(1);
        assertThat(tracker.trackedSeries("d3")).isEqualTo(1);
        assertThat(tracker.trackedSeries("d4")).isEqualTo(1);
        offer(tracker, "sensors/d5/t", T0, 1);
        assertThat(tracker.trackedSeries("d3")).isZero();
        assertThat(tracker.trackedDevices()).isEqualTo(3);
    }

    @Test
    void manyDevicesAndSeriesGrowAndShrinkTheTables() {
        SeriesPerDeviceTracker tracker = new SeriesPerDeviceTracker(5_000, TTL, 100_000);
        for (int d = 0; d < 3_000; d++) {
            for (long s = 0; s < 20; s += 2) {
                assertThat(offer(tracker, "sensors/dev-" + d + "/t", T0, s, s + 1))
                        .isEqualTo((int) s + 2);
            }
        }
        long[] big = new long[5_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = i * 0x1_0000_0000L; // the same low bits
        }
        assertThat(tracker.offer("sensors/big/t", big, big.length, T0)).isEqualTo(5_000);
        assertThat(tracker.offer("sensors/big/t", new long[] {-1}, 1, T0)).isEqualTo(5_001);

        assertThat(tracker.trackedDevices()).isEqualTo(3_001);
        for (int d = 0; d < 3_000; d++) {
            assertThat(tracker.trackedSeries("dev-" + d)).isEqualTo(20);
            assertThat(offer(tracker, "sensors/dev-" + d + "/t", T0 + 1, 19, 0)).isEqualTo(20);
        }
        assertThat(tracker.offer("sensors/big/t", big, big.length, T0 + 1)).isEqualTo(5_000);
        assertThat(offer(tracker, "sensors/big/t", T0 + 1 + TTL, 42))
                .as("all expired, the table shrinks and takes new series")
                .isEqualTo(1);
        assertThat(tracker.offer("sensors/big/t", big, 4_999, T0 + 1 + TTL)).isEqualTo(5_000);
    }

    @Test
    void theDeviceIsThePartitionKeyOfTheTopic() {
        for (String topic :
                List.of(
                        "",
                        "a",
                        "/",
                        "//",
                        "a/",
                        "/a",
                        "a//b",
                        "sensors/d1/telemetry",
                        "telegraf/h1",
                        "collectd/h1/cpu-0/cpu-user",
                        "sensors/dévice-ü/t")) {
            long range = EnvelopeCodec.partitionKeyRange(topic);
            assertThat(topic.substring((int) (range >>> 32), (int) range))
                    .as(topic)
                    .isEqualTo(EnvelopeCodec.partitionKey(topic));
        }
        SeriesPerDeviceTracker tracker = new SeriesPerDeviceTracker(1, TTL, 10);
        assertThat(offer(tracker, null, T0, 1)).isEqualTo(1);
        assertThat(offer(tracker, "", T0, 2)).as("no topic is the device ''").isEqualTo(2);
        assertThat(offer(tracker, "sensors/dévice-ü/t", T0, 1)).isEqualTo(1);
        assertThat(offer(tracker, "collectd/dévice-ü/cpu", T0, 1)).isEqualTo(1);
        assertThat(offer(tracker, "sensors/dévice-u/t", T0, 2)).as("another device").isEqualTo(1);
        assertThat(tracker.trackedSeries("dévice-ü")).isEqualTo(1);
        assertThat(tracker.trackedDevices()).isEqualTo(3);
    }

    @Test
    void matchesTheFormerImplementationOnRandomTraffic() {
        compareWithReference(new SplittableRandom(20_241_124L), 5, 1_000, 6);
        compareWithReference(new SplittableRandom(7L), 40, 5_000, 30);
        compareWithReference(new SplittableRandom(99L), 2, 0, 1);
    }

    /** 4,000 random messages: the counts and what is tracked must equal the reference's. */
    private static void compareWithReference(
            SplittableRandom random, int maxSeries, long ttl, int maxDevices) {
        SeriesPerDeviceTracker tracker = new SeriesPerDeviceTracker(maxSeries, ttl, maxDevices);
        ReferenceTracker reference = new ReferenceTracker(maxSeries, ttl, maxDevices);
        String[] topics = new String[40];
        for (int i = 0; i < topics.length; i++) {
            topics[i] = i % 3 == 0 ? "telegraf/d" + i / 2 : "sensors/d" + i / 2 + "/t";
        }
        topics[37] = null;
        topics[38] = "";
        topics[39] = "a//b";
        long[] idPool = new long[3 * maxSeries + 3];
        for (int i = 0; i < idPool.length; i++) {
            idPool[i] = i < 3 ? Long.MIN_VALUE + i : random.nextLong();
        }
        long now = T0;
        for (int op = 0; op < 4_000; op++) {
            // Mostly forward in time, sometimes back (receive times of several partitions).
            now += random.nextLong(-ttl / 10 - 1, ttl / 4 + 2);
            String topic = topics[random.nextInt(topics.length)];
            long[] ids = new long[random.nextInt(7)];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = idPool[random.nextInt(idPool.length)];
            }
            assertThat(tracker.offer(topic, ids.clone(), ids.length, now))
                    .as("message %d", op)
                    .isEqualTo(reference.offer(topic, ids, now));
            assertThat(tracker.trackedDevices()).isEqualTo(reference.devices.size());
            String device = EnvelopeCodec.partitionKey(topic);
            assertThat(tracker.trackedSeries(device)).isEqualTo(reference.trackedSeries(device));
        }
    }

    private static int offer(SeriesPerDeviceTracker tracker, String topic, long now, long... ids) {
        return tracker.offer(topic, ids, ids.length, now);
    }

    /** The tracker as it was before it was made allocation-free: the oracle. */
    private static final class ReferenceTracker {

        private final int maxSeries;
        private final long seriesTtlMs;
        private final int maxDevices;
        private final LinkedHashMap<String, LinkedHashMap<Long, Long>> devices =
                new LinkedHashMap<>(16, 0.75f, true);

        ReferenceTracker(int maxSeries, long seriesTtlMs, int maxDevices) {
            this.maxSeries = maxSeries;
            this.seriesTtlMs = seriesTtlMs;
            this.maxDevices = maxDevices;
        }

        int offer(String topic, long[] ids, long now) {
            String device = EnvelopeCodec.partitionKey(topic);
            LinkedHashMap<Long, Long> series = devices.get(device);
            if (series != null) {
                Iterator<Long> lastSeen = series.values().iterator();
                while (lastSeen.hasNext() && lastSeen.next() <= now - seriesTtlMs) {
                    lastSeen.remove();
                }
            }
            HashSet<Long> fresh = new HashSet<>();
            for (long id : ids) {
                if (series == null || !series.containsKey(id)) {
                    fresh.add(id);
                }
            }
            int count = (series == null ? 0 : series.size()) + fresh.size();
            if (count <= maxSeries) {
                LinkedHashMap<Long, Long> admitted =
                        devices.computeIfAbsent(device, d -> new LinkedHashMap<>(16, 0.75f, true));
                for (long id : ids) {
                    admitted.put(id, now);
                }
                Iterator<String> eldest = devices.keySet().iterator();
                while (devices.size() > maxDevices && eldest.hasNext()) {
                    eldest.next();
                    eldest.remove();
                }
            }
            return count;
        }

        /** Without get(), which would count as a use of the device. */
        int trackedSeries(String device) {
            for (Map.Entry<String, LinkedHashMap<Long, Long>> e : devices.entrySet()) {
                if (e.getKey().equals(device)) {
                    return e.getValue().size();
                }
            }
            return 0;
        }
    }
}
