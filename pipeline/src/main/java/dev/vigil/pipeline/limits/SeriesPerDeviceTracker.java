package dev.vigil.pipeline.limits;

import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Bounded, per-subtask record of the series each device sent recently: admits a device's new series
 * until it has {@code maxSeries} of them. A series not seen for {@code seriesTtlMs} (by receive
 * time) is forgotten and frees its place; at most {@code maxDevices} devices are tracked, the least
 * recently seen one is dropped first.
 *
 * <p>Exact when all of a device's messages reach one subtask, which holds because the bridge keys
 * Kafka records and Kinesis partition keys by device. Not checkpointed: after a restart the tracker
 * refills from the traffic (a device's first {@code maxSeries} series are admitted again). Not
 * thread-safe.
 */
final class SeriesPerDeviceTracker {

    private final int maxSeries;
    private final long seriesTtlMs;
    private final int maxDevices;
    private final LinkedHashMap<String, LinkedHashMap<Long, Long>> devices;
    private final HashSet<Long> scratch = new HashSet<>();

    SeriesPerDeviceTracker(int maxSeries, long seriesTtlMs, int maxDevices) {
        this.maxSeries = maxSeries;
        this.seriesTtlMs = seriesTtlMs;
        this.maxDevices = maxDevices;
        this.devices = new LinkedHashMap<>(1024, 0.75f, true);
    }

    /**
     * How many series {@code device} would have after admitting {@code seriesIds} at {@code now}.
     */
    int countWith(String device, long[] seriesIds, long now) {
        LinkedHashMap<Long, Long> series = devices.get(device);
        if (series != null) {
            expire(series, now);
        }
        scratch.clear();
        for (long id : seriesIds) {
            if (series == null || !series.containsKey(id)) {
                scratch.add(id);
            }
        }
        return (series == null ? 0 : series.size()) + scratch.size();
    }

    int maxSeries() {
        return maxSeries;
    }

    /** Records that {@code device} sent {@code seriesIds} at {@code now}. */
    void admit(String device, long[] seriesIds, long now) {
        LinkedHashMap<Long, Long> series =
                devices.computeIfAbsent(device, d -> new LinkedHashMap<>(16, 0.75f, true));
        for (long id : seriesIds) {
            series.put(id, now);
        }
        evictDevices();
    }

    /** Devices tracked now (for tests and metrics). */
    int trackedDevices() {
        return devices.size();
    }

    /** Series of {@code device} tracked now, expired ones included until its next message. */
    int trackedSeries(String device) {
        Map<Long, Long> series = devices.get(device);
        return series == null ? 0 : series.size();
    }

    /** Access order: the eldest entries are the least recently seen. */
    private void expire(LinkedHashMap<Long, Long> series, long now) {
        Iterator<Long> lastSeen = series.values().iterator();
        while (lastSeen.hasNext()) {
            if (lastSeen.next() > now - seriesTtlMs) {
                return;
            }
            lastSeen.remove();
        }
    }

    private void evictDevices() {
        Iterator<String> eldest = devices.keySet().iterator();
        while (devices.size() > maxDevices && eldest.hasNext()) {
            eldest.next();
            eldest.remove();
        }
    }
}
