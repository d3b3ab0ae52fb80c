package dev.vigil.pipeline.limits;

import java.util.Arrays;

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
 *
 * <p>A message of a known device whose series are all known allocates nothing: the device is found
 * from the topic in place ({@link DeviceTable}), its series in one primitive table ({@link
 * DeviceSeries}), expiry looks at the eldest series only, and when the message repeats the device's
 * newest series in order (the usual case) only their times are written.
 */
final class SeriesPerDeviceTracker {

    private static final int NONE = -1;

    private final int maxSeries;
    private final long seriesTtlMs;
    private final int maxDevices;
    private final DeviceTable devices = new DeviceTable();

    /** Scratch: the slots of a message's series in their device's table. */
    private int[] slots = new int[16];

    /** Scratch: a message's unknown series, to count them once each. */
    private long[] unknown = new long[16];

    SeriesPerDeviceTracker(int maxSeries, long seriesTtlMs, int maxDevices) {
        this.maxSeries = maxSeries;
        this.seriesTtlMs = seriesTtlMs;
        this.maxDevices = maxDevices;
    }

    /**
     * Offers the series {@code ids[0..n)} of one message from the device of {@code topic} (its
     * partition key), received at {@code now}: all are admitted when the device then has at most
     * {@code maxSeries} series (duplicates counted once), none otherwise.
     *
     * @return how many series the device has with them; more than {@code maxSeries}: rejected
     */
    int offer(String topic, long[] ids, int n, long now) {
        DeviceSeries device = devices.ofTopic(topic);
        if (device == null) {
            return offerToNewDevice(topic, ids, n, now);
        }
        devices.touch(device);
        device.expire(now, seriesTtlMs);
        int unknownCount = findAll(device, ids, n);
        if (unknownCount == 0) {
            return seeKnown(device, n, now);
        }
        int count = device.size() + distinct(unknown, unknownCount);
        if (count <= maxSeries) {
            seeAll(device, ids, n, now);
        }
        return count;
    }

    /** Devices tracked now (for tests and metrics). */
    int trackedDevices() {
        return devices.size();
    }

    /** Series of {@code device} tracked now, expired ones included until its next message. */
    int trackedSeries(String device) {
        DeviceSeries series = devices.ofKey(device);
        return series == null ? 0 : series.size();
    }

    private int offerToNewDevice(String topic, long[] ids, int n, long now) {
        long[] copy = scratch(n);
        System.arraycopy(ids, 0, copy, 0, n);
        int count = distinct(copy, n);
        if (count <= maxSeries) {
            seeAll(devices.add(topic), ids, n, now);
        }
        return count;
    }

    /**
     * Looks up every id: their slots go to {@link #slots}, the ids not found to {@link #unknown}.
     * Returns how many were not found.
     */
    private int findAll(DeviceSeries device, long[] ids, int n) {
        if (slots.length < n) {
            slots = new int[Math.max(n, slots.length * 2)];
        }
        int unknownCount = 0;
        for (int i = 0; i < n; i++) {
            int slot = device.find(ids[i]);
            slots[i] = slot;
            if (slot == NONE) {
                scratch(unknownCount + 1)[unknownCount++] = ids[i];
            }
        }
        return unknownCount;
    }

    /** All of the message's series are known: admitted (the device cannot have grown). */
    private int seeKnown(DeviceSeries device, int n, long now) {
        int count = device.size();
        if (count > maxSeries) {
            return count;
        }
        if (device.areNewestInOrder(slots, n)) {
            for (int i = 0; i < n; i++) {
                device.setLastSeen(slots[i], now);
            }
        } else {
            for (int i = 0; i < n; i++) {
                device.seeAgain(slots[i], now);
            }
        }
        return count;
    }

    private void seeAll(DeviceSeries device, long[] ids, int n, long now) {
        for (int i = 0; i < n; i++) {
            device.see(ids[i], now);
        }
        devices.evictWhileMoreThan(maxDevices);
    }

    /** The {@link #unknown} scratch, grown to at least {@code n} (keeping its contents). */
    private long[] scratch(int n) {
        if (unknown.length < n) {
            unknown = Arrays.copyOf(unknown, Math.max(n, unknown.length * 2));
        }
        return unknown;
    }

    /** Distinct values among {@code values[0..n)} (sorts them). */
    private static int distinct(long[] values, int n) {
        if (n <= 1) {
            return n;
        }
        Arrays.sort(values, 0, n);
        int count = 1;
        for (int i = 1; i < n; i++) {
            if (values[i] != values[i - 1]) {
                count++;
            }
        }
        return count;
    }
}
