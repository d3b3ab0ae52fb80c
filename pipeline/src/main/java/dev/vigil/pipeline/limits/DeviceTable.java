package dev.vigil.pipeline.limits;

import dev.vigil.common.codec.EnvelopeCodec;
import java.util.Arrays;
import java.util.Comparator;

/**
 * The tracked devices by partition key (the topic's second level, as {@link
 * EnvelopeCodec#partitionKeyRange} finds it), found straight from the topic: the key is hashed and
 * compared in place, so a known device costs no {@code String}.
 *
 * <p>Least recently seen first out, exactly, without a list to relink per message: a device carries
 * the clock of its last use; to evict, the devices are sorted by it once and taken from the front,
 * skipping those used again since the sort (they are younger than every one that was not). One sort
 * serves until its devices are used up, so eviction costs O(log n) amortised and a message one
 * counter write. Not thread-safe.
 */
final class DeviceTable {

    private static final int MIN_CAPACITY = 64;
    private static final Comparator<DeviceSeries> BY_STAMP = Comparator.comparingLong(d -> d.stamp);

    private DeviceSeries[] table = new DeviceSeries[MIN_CAPACITY];

    /** The devices' key hashes, so a probe rarely dereferences a device that is not the one. */
    private int[] hashes = new int[MIN_CAPACITY];

    private int size;
    private long clock;

    /** Devices by stamp as of the last sort, and their stamps then; the next to evict first. */
    private DeviceSeries[] byAge = new DeviceSeries[0];

    private long[] ageStamps = new long[0];
    private int ageCount;
    private int nextByAge;

    int size() {
        return size;
    }

    /** The device {@code topic} belongs to, or null. */
    DeviceSeries ofTopic(String topic) {
        String s = topic == null ? "" : topic;
        long range = EnvelopeCodec.partitionKeyRange(s);
        return find(s, (int) (range >>> 32), (int) range);
    }

    /** The device with partition key {@code key}, or null. */
    DeviceSeries ofKey(String key) {
        return find(key, 0, key.length());
    }

    /** Starts tracking the device of {@code topic}, which is not tracked yet. */
    DeviceSeries add(String topic) {
        String s = topic == null ? "" : topic;
        long range = EnvelopeCodec.partitionKeyRange(s);
        String key = s.substring((int) (range >>> 32), (int) range);
        DeviceSeries device = new DeviceSeries(key, key.hashCode());
        if ((size + 1) * 2 > table.length) {
            resize(table.length * 2);
        }
        place(device);
        size++;
        touch(device);
        return device;
    }

    /** Records a use of {@code device} (for the eviction order). */
    void touch(DeviceSeries device) {
        device.stamp = ++clock;
    }

    /** Drops the least recently used devices until at most {@code maxDevices} are left. */
    void evictWhileMoreThan(int maxDevices) {
        while (size > maxDevices && size > 0) {
            remove(eldest());
        }
    }

    private DeviceSeries find(String s, int start, int end) {
        int hash = hashOf(s, start, end);
        int mask = table.length - 1;
        for (int i = spread(hash) & mask; table[i] != null; i = (i + 1) & mask) {
            if (hashes[i] == hash && matches(table[i].key, s, start, end)) {
                return table[i];
            }
        }
        return null;
    }

    /** Whether {@code key} equals {@code s[start..end)}. */
    private static boolean matches(char[] key, String s, int start, int end) {
        if (key.length != end - start) {
            return false;
        }
        for (int i = 0; i < key.length; i++) {
            if (key[i] != s.charAt(start + i)) {
                return false;
            }
        }
        return true;
    }

    /** {@code s.substring(start, end).hashCode()}, without the substring. */
    private static int hashOf(String s, int start, int end) {
        int h = 0;
        for (int i = start; i < end; i++) {
            h = 31 * h + s.charAt(i);
        }
        return h;
    }

    private static int spread(int hash) {
        int h = hash * 0x9E37_79B9;
        return h ^ (h >>> 16);
    }

    private void place(DeviceSeries device) {
        int mask = table.length - 1;
        int i = spread(device.keyHash) & mask;
        while (table[i] != null) {
            i = (i + 1) & mask;
        }
        table[i] = device;
        hashes[i] = device.keyHash;
    }

    /** Removes {@code device}; later devices of its probe run shift back (no tombstones). */
    private void remove(DeviceSeries device) {
        int mask = table.length - 1;
        int hole = spread(device.keyHash) & mask;
        while (table[hole] != device) {
            hole = (hole + 1) & mask;
        }
        for (int j = (hole + 1) & mask; table[j] != null; j = (j + 1) & mask) {
            int ideal = spread(hashes[j]) & mask;
            if (((j - ideal) & mask) >= ((j - hole) & mask)) {
                table[hole] = table[j];
                hashes[hole] = hashes[j];
                hole = j;
            }
        }
        table[hole] = null;
        size--;
    }

    private void resize(int capacity) {
        DeviceSeries[] old = table;
        table = new DeviceSeries[capacity];
        hashes = new int[capacity];
        for (DeviceSeries device : old) {
            if (device != null) {
                place(device);
            }
        }
    }

    /** The least recently used device (there is one). */
    private DeviceSeries eldest() {
        while (true) {
            if (nextByAge == ageCount) {
                sortByAge();
            }
            DeviceSeries device = byAge[nextByAge];
            long stamp = ageStamps[nextByAge];
            byAge[nextByAge++] = null;
            if (device.stamp == stamp) {
                return device;
            }
        }
    }

    private void sortByAge() {
        if (byAge.length < size) {
            byAge = new DeviceSeries[table.length];
            ageStamps = new long[table.length];
        }
        ageCount = 0;
        for (DeviceSeries device : table) {
            if (device != null) {
                byAge[ageCount++] = device;
            }
        }
        Arrays.sort(byAge, 0, ageCount, BY_STAMP);
        for (int i = 0; i < ageCount; i++) {
            ageStamps[i] = byAge[i].stamp;
        }
        nextByAge = 0;
    }
}
