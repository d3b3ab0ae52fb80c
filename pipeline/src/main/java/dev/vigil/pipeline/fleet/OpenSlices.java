package dev.vigil.pipeline.fleet;

import java.util.function.Consumer;

/**
 * The open slices of one scoring subtask, by series id: an open-addressing table (linear probing,
 * primitive keys, no boxing or entry objects per point) that is emptied slice by slice. Not
 * thread-safe; one per subtask.
 */
final class OpenSlices {

    private static final int MIN_CAPACITY = 64;

    private long[] keys;
    private SeriesSlice[] slices;
    private int size;

    /** The smallest slice end of the open slices, {@code Long.MAX_VALUE} when none is open. */
    private long earliestEnd = Long.MAX_VALUE;

    OpenSlices() {
        allocate(MIN_CAPACITY);
    }

    int size() {
        return size;
    }

    /** The open slice of {@code seriesId}, or {@code null}. */
    SeriesSlice get(long seriesId) {
        int mask = keys.length - 1;
        for (int i = slot(seriesId, mask); slices[i] != null; i = (i + 1) & mask) {
            if (keys[i] == seriesId) {
                return slices[i];
            }
        }
        return null;
    }

    /** Makes {@code slice} the open slice of its series (replacing the one open before). */
    void put(SeriesSlice slice) {
        if (2 * (size + 1) > keys.length) {
            rehash(2 * keys.length);
        }
        insert(slice);
        earliestEnd = Math.min(earliestEnd, slice.getSliceEnd());
    }

    /**
     * Removes the slices that end at or before {@code watermark + 1} (whose last millisecond the
     * watermark has reached) and gives them to {@code out}.
     */
    void closeUpTo(long watermark, Consumer<SeriesSlice> out) {
        if (earliestEnd == Long.MAX_VALUE || earliestEnd - 1 > watermark) {
            return;
        }
        SeriesSlice[] old = slices;
        int survivors = 0;
        for (SeriesSlice s : old) {
            if (s != null && s.getSliceEnd() - 1 > watermark) {
                survivors++;
            }
        }
        allocate(capacityFor(survivors));
        earliestEnd = Long.MAX_VALUE;
        for (SeriesSlice s : old) {
            if (s == null) {
                continue;
            }
            if (s.getSliceEnd() - 1 > watermark) {
                insert(s);
                earliestEnd = Math.min(earliestEnd, s.getSliceEnd());
            } else {
                out.accept(s);
            }
        }
    }

    /** Removes every open slice and gives it to {@code out}. */
    void closeAll(Consumer<SeriesSlice> out) {
        closeUpTo(Long.MAX_VALUE, out);
    }

    private void insert(SeriesSlice slice) {
        long key = slice.getSeriesId();
        int mask = keys.length - 1;
        int i = slot(key, mask);
        while (slices[i] != null && keys[i] != key) {
            i = (i + 1) & mask;
        }
        if (slices[i] == null) {
            size++;
        }
        keys[i] = key;
        slices[i] = slice;
    }

    private void rehash(int capacity) {
        SeriesSlice[] old = slices;
        allocate(capacity);
        for (SeriesSlice s : old) {
            if (s != null) {
                insert(s);
            }
        }
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        slices = new SeriesSlice[capacity];
        size = 0;
    }

    /** A power of two with room for {@code n} entries at a load of at most ½. */
    private static int capacityFor(int n) {
        int capacity = MIN_CAPACITY;
        while (capacity < 2 * n) {
            capacity <<= 1;
        }
        return capacity;
    }

    /** Series ids are hashes already; the mixing spreads their low bits. */
    private static int slot(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
