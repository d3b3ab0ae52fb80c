package dev.vigil.pipeline.limits;

/**
 * One device's recently seen series: an open-addressing table of series id → last seen time (linear
 * probing, no boxing), threaded by a list in the order the series were last seen — the order of an
 * access-ordered {@code LinkedHashMap}, so expiry only looks at the eldest entries.
 *
 * <p>All of it lives in one {@code long[]}, three longs per slot: the id, the last seen time and
 * the links to the previous and next entry of the list. A device with two series fits in 112 bytes.
 * Not thread-safe.
 */
final class DeviceSeries {

    private static final int MIN_CAPACITY = 4;
    private static final int STRIDE = 3;
    private static final int NONE = -1;
    private static final long USED = 1L << 63;
    private static final long INDEX_MASK = 0x7fff_ffffL;

    /**
     * The device's partition key (its chars: one object less to fetch than a {@code String}) and
     * its {@link String#hashCode}.
     */
    final char[] key;

    final int keyHash;

    /** When the device was last seen, in {@link DeviceTable}'s clock. */
    long stamp;

    /** Per slot: id, last seen, links ({@link #USED} | prev + 1 << 31 | next + 1; 0 = free). */
    private long[] slots;

    private int mask;
    private int size;
    private int head = NONE;
    private int tail = NONE;

    DeviceSeries(String key, int keyHash) {
        this.key = key.toCharArray();
        this.keyHash = keyHash;
        allocate(MIN_CAPACITY);
    }

    int size() {
        return size;
    }

    /**
     * Forgets the eldest series while they were last seen {@code ttlMs} or longer before {@code
     * now}; stops at the first younger one, as the access order of a {@code LinkedHashMap} would.
     */
    void expire(long now, long ttlMs) {
        long limit = now - ttlMs;
        while (size > 0 && slots[head * STRIDE + 1] <= limit) {
            remove(head);
        }
        if (size < (mask + 1) >>> 3 && mask + 1 > MIN_CAPACITY) {
            rehash(Math.max(MIN_CAPACITY, (mask + 1) >>> 2));
        }
    }

    /** The slot of {@code id}, or -1. */
    int find(long id) {
        int i = home(id);
        while (true) {
            long links = slots[i * STRIDE + 2];
            if (links == 0) {
                return NONE;
            }
            if (slots[i * STRIDE] == id) {
                return i;
            }
            i = (i + 1) & mask;
        }
    }

    /**
     * Whether {@code found[0..n)} are already the newest {@code n} entries, in this order (seeing
     * them again then leaves the order unchanged).
     */
    boolean areNewestInOrder(int[] found, int n) {
        if (n == 0) {
            return true;
        }
        if (found[n - 1] != tail) {
            return false;
        }
        for (int i = n - 1; i > 0; i--) {
            if (prev(found[i]) != found[i - 1]) {
                return false;
            }
        }
        return true;
    }

    /** Sets the last seen time of the entry in {@code slot}, without moving it. */
    void setLastSeen(int slot, long now) {
        slots[slot * STRIDE + 1] = now;
    }

    /** Records {@code id} as seen at {@code now}: the newest entry, added when new. */
    void see(long id, long now) {
        int slot = find(id);
        seeAgain(slot == NONE ? insert(id) : slot, now);
    }

    /** Records the entry in {@code slot} as seen at {@code now}: the newest entry. */
    void seeAgain(int slot, long now) {
        if (slot != tail) {
            unlink(slot);
            linkLast(slot);
        }
        slots[slot * STRIDE + 1] = now;
    }

    private int insert(long id) {
        if ((size + 1) * 4 > (mask + 1) * 3) {
            rehash((mask + 1) * 2);
        }
        int i = home(id);
        while (slots[i * STRIDE + 2] != 0) {
            i = (i + 1) & mask;
        }
        slots[i * STRIDE] = id;
        linkLast(i);
        size++;
        return i;
    }

    /**
     * Removes the entry in {@code slot}; later entries of its probe run shift back (no tombstones).
     */
    private void remove(int slot) {
        unlink(slot);
        size--;
        int hole = slot;
        for (int j = (slot + 1) & mask; slots[j * STRIDE + 2] != 0; j = (j + 1) & mask) {
            int ideal = home(slots[j * STRIDE]);
            if (((j - ideal) & mask) >= ((j - hole) & mask)) {
                move(j, hole);
                hole = j;
            }
        }
        slots[hole * STRIDE + 2] = 0;
    }

    /**
     * Moves the entry in {@code from} to the free slot {@code to}, keeping its place in the list.
     */
    private void move(int from, int to) {
        System.arraycopy(slots, from * STRIDE, slots, to * STRIDE, STRIDE);
        int prev = prev(from);
        int next = next(from);
        if (prev == NONE) {
            head = to;
        } else {
            setLinks(prev, prev(prev), to);
        }
        if (next == NONE) {
            tail = to;
        } else {
            setLinks(next, to, next(next));
        }
    }

    private void unlink(int slot) {
        int prev = prev(slot);
        int next = next(slot);
        if (prev == NONE) {
            head = next;
        } else {
            setLinks(prev, prev(prev), next);
        }
        if (next == NONE) {
            tail = prev;
        } else {
            setLinks(next, prev, next(next));
        }
    }

    private void linkLast(int slot) {
        setLinks(slot, tail, NONE);
        if (tail == NONE) {
            head = slot;
        } else {
            setLinks(tail, prev(tail), slot);
        }
        tail = slot;
    }

    /** A new table of {@code capacity} slots with the same entries in the same order. */
    private void rehash(int capacity) {
        long[] old = slots;
        int entry = head;
        allocate(capacity);
        while (entry != NONE) {
            int base = entry * STRIDE;
            int slot = insert(old[base]);
            slots[slot * STRIDE + 1] = old[base + 1];
            entry = (int) (old[base + 2] & INDEX_MASK) - 1;
        }
    }

    private void allocate(int capacity) {
        slots = new long[capacity * STRIDE];
        mask = capacity - 1;
        size = 0;
        head = NONE;
        tail = NONE;
    }

    private int home(long id) {
        return (int) ((id * 0x9E37_79B9_7F4A_7C15L) >>> 32) & mask;
    }

    private int prev(int slot) {
        return (int) ((slots[slot * STRIDE + 2] >>> 31) & INDEX_MASK) - 1;
    }

    private int next(int slot) {
        return (int) (slots[slot * STRIDE + 2] & INDEX_MASK) - 1;
    }

    private void setLinks(int slot, int prev, int next) {
        slots[slot * STRIDE + 2] = USED | (long) (prev + 1) << 31 | (next + 1);
    }
}
