package dev.vigil.bench.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The injected spikes of one run and when each was seen at each stage, in {@link System#nanoTime}
 * of this JVM (the publisher, the Kafka tap, the job on its in-process MiniCluster and the InfluxDB
 * poller all run here). A spike is identified by its device and its payload timestamp (one message
 * per device and millisecond); the first sighting at a stage counts.
 */
final class SpikeLedger {

    /** The stages after publishing. */
    enum Stage {
        KAFKA,
        EMITTED,
        VISIBLE
    }

    /** One spike. */
    static final class Spike {
        final String device;
        final String field;
        final long timestampMs;
        final long publishedNanos;
        private final AtomicLong[] seen = {
            new AtomicLong(-1), new AtomicLong(-1), new AtomicLong(-1)
        };

        Spike(String device, String field, long timestampMs, long publishedNanos) {
            this.device = device;
            this.field = field;
            this.timestampMs = timestampMs;
            this.publishedNanos = publishedNanos;
        }

        long seenNanos(Stage stage) {
            return seen[stage.ordinal()].get();
        }

        /** Latency to {@code stage}, or −1 when not seen there. */
        long latencyNanos(Stage stage) {
            long at = seenNanos(stage);
            return at < 0 ? -1 : at - publishedNanos;
        }
    }

    private final Map<String, Spike> spikes = new ConcurrentHashMap<>();

    static String key(String device, long timestampMs) {
        return device + "@" + timestampMs;
    }

    /** Call before the message leaves the publisher. */
    void published(Spike spike) {
        spikes.put(key(spike.device, spike.timestampMs), spike);
    }

    /**
     * Records a sighting at {@code stage}; {@code field} null matches any field (a message).
     * Returns true when it was a spike's first sighting there.
     */
    boolean seen(Stage stage, String device, String field, long timestampMs, long nanos) {
        Spike spike = spikes.get(key(device, timestampMs));
        if (spike == null || (field != null && !field.equals(spike.field))) {
            return false;
        }
        return spike.seen[stage.ordinal()].compareAndSet(-1, nanos);
    }

    int size() {
        return spikes.size();
    }

    long count(Stage stage) {
        return spikes.values().stream().filter(s -> s.seenNanos(stage) >= 0).count();
    }

    /** The earliest payload timestamp of a spike not yet seen at {@code stage}, or −1. */
    long earliestUnseenMs(Stage stage) {
        long earliest = -1;
        for (Spike s : spikes.values()) {
            if (s.seenNanos(stage) < 0 && (earliest < 0 || s.timestampMs < earliest)) {
                earliest = s.timestampMs;
            }
        }
        return earliest;
    }

    long[] latencies(Stage stage) {
        return spikes.values().stream()
                .mapToLong(s -> s.latencyNanos(stage))
                .filter(l -> l >= 0)
                .toArray();
    }

    /** Per spike seen at both stages: time from {@code from} to {@code to}. */
    long[] latencies(Stage from, Stage to) {
        return spikes.values().stream()
                .filter(s -> s.seenNanos(from) >= 0 && s.seenNanos(to) >= 0)
                .mapToLong(s -> s.seenNanos(to) - s.seenNanos(from))
                .toArray();
    }

    List<Spike> unseen(Stage stage) {
        List<Spike> missing = new ArrayList<>();
        for (Spike s : spikes.values()) {
            if (s.seenNanos(stage) < 0) {
                missing.add(s);
            }
        }
        return missing;
    }
}
