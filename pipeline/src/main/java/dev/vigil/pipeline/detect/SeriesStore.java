package dev.vigil.pipeline.detect;

import java.io.IOException;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.operators.KeyContext;

/**
 * The {@link SeriesState} of each series for {@link ScoringFunction}: its keyed state "series",
 * read and written through here. On the heap backend the state is the object itself and every call
 * goes straight to it. With a backend that serializes on every access (RocksDB), a point cost a
 * read and a write of the backend, and serializing the state both ways was a third of the scoring
 * chain's Java time besides RocksDB's own get and put ({@code bench/PROFILE.md}, round 8); there a
 * write-back cache of the subtask ({@link #cached}) keeps the states of up to {@code capacity}
 * series on the heap in front of the backend, as Flink's mini-batch operators keep their bundle:
 *
 * <ul>
 *   <li>a series' first access reads the backend once; its state then stays in the cache, and
 *       updates only mark it dirty;
 *   <li>{@link #flush} (the operator calls it before every checkpoint barrier and when the input
 *       ends) writes the dirty states back, so a checkpoint holds exactly what it would hold
 *       without the cache; the states stay cached, clean;
 *   <li>a series new to a full cache first writes back the dirty states and empties it (the cache
 *       is bounded; with more active series than it holds it costs about what it saves);
 *   <li>clearing a series clears the backend at once and remembers that it has no state.
 * </ul>
 *
 * <p>Only the scoring function reads "series", always through its store, and timers run with their
 * key set like points, so nothing sees the backend behind a dirty entry. Not thread-safe; one per
 * subtask, used from the task thread only.
 */
final class SeriesStore {

    private static final int MIN_CAPACITY = 64;

    private final ValueState<SeriesState> state;

    /** Switches the key to write back states of other series; null without a cache. */
    private final KeyContext keys;

    private final int capacity;

    // open addressing, linear probing; an entry with a null state: the series has no state
    private long[] ids;
    private SeriesState[] states;
    private boolean[] used;
    private boolean[] dirty;
    private int size;

    private SeriesStore(ValueState<SeriesState> state, KeyContext keys, int capacity) {
        this.state = state;
        this.keys = keys;
        this.capacity = capacity;
        if (keys != null) {
            allocate(tableSizeFor(capacity));
        }
    }

    /** Every call straight to {@code state}. */
    static SeriesStore direct(ValueState<SeriesState> state) {
        return new SeriesStore(state, null, 0);
    }

    /**
     * A write-back cache of up to {@code capacity} (&gt; 0) series in front of {@code state};
     * {@code keys} is the operator, whose current key {@link #flush} moves and puts back.
     */
    static SeriesStore cached(ValueState<SeriesState> state, KeyContext keys, int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be > 0, is " + capacity);
        }
        return new SeriesStore(state, keys, capacity);
    }

    /** The state of series {@code id} (the current key), or null when it has none. */
    SeriesState value(long id) throws IOException {
        if (keys == null) {
            return state.value();
        }
        int i = slot(id);
        if (used[i]) {
            return states[i];
        }
        SeriesState s = state.value();
        remember(id, s, false);
        return s;
    }

    /** Sets the state of series {@code id} (the current key). */
    void update(long id, SeriesState s) throws IOException {
        if (keys == null) {
            state.update(s);
            return;
        }
        int i = slot(id);
        if (used[i]) {
            states[i] = s;
            dirty[i] = true;
        } else {
            remember(id, s, true);
        }
    }

    /** Clears the state of series {@code id} (the current key). */
    void clear(long id) throws IOException {
        state.clear();
        if (keys == null) {
            return;
        }
        int i = slot(id);
        if (used[i]) {
            states[i] = null;
            dirty[i] = false;
        } else {
            remember(id, null, false);
        }
    }

    /**
     * Writes every dirty state back to the backend (they stay cached, clean) and restores the
     * current key. Nothing to do without a cache.
     */
    void flush() throws IOException {
        if (keys == null || size == 0) {
            return;
        }
        Object current = keys.getCurrentKey();
        boolean moved = false;
        for (int i = 0; i < ids.length; i++) {
            if (used[i] && dirty[i]) {
                keys.setCurrentKey(ids[i]);
                moved = true;
                state.update(states[i]);
                dirty[i] = false;
            }
        }
        if (moved && current != null) {
            keys.setCurrentKey(current);
        }
    }

    /** Series in the cache now (for tests). */
    int cachedSeries() {
        return size;
    }

    /** Series whose state in the cache is newer than the backend's (for tests). */
    int dirtySeries() {
        int n = 0;
        for (int i = 0; keys != null && i < ids.length; i++) {
            n += used[i] && dirty[i] ? 1 : 0;
        }
        return n;
    }

    private void remember(long id, SeriesState s, boolean isDirty) throws IOException {
        if (size >= capacity) {
            flush();
            allocate(ids.length);
        }
        int i = slot(id);
        ids[i] = id;
        states[i] = s;
        used[i] = true;
        dirty[i] = isDirty;
        size++;
    }

    /** The slot of {@code id}: its entry, or the free slot where it belongs. */
    private int slot(long id) {
        int mask = ids.length - 1;
        long h = id * 0x9E3779B97F4A7C15L;
        int i = (int) (h ^ (h >>> 32)) & mask;
        while (used[i] && ids[i] != id) {
            i = (i + 1) & mask;
        }
        return i;
    }

    private void allocate(int tableSize) {
        ids = new long[tableSize];
        states = new SeriesState[tableSize];
        used = new boolean[tableSize];
        dirty = new boolean[tableSize];
        size = 0;
    }

    /** A power of two with room for {@code capacity} entries at a load of at most ½. */
    private static int tableSizeFor(int capacity) {
        int n = MIN_CAPACITY;
        while (n < 2L * capacity) {
            n <<= 1;
        }
        return n;
    }
}
