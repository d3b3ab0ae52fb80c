package dev.vigil.pipeline.fleet;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The open slices of one device-score subtask, by device and slice end, on the heap ({@link
 * DeviceScoreOperator}). Per device a short list ordered by slice end (one slice, unless points of
 * the next slice arrive before the current one closes). Not thread-safe; one per subtask.
 */
final class OpenDeviceSlices {

    /** One device's open slice. */
    static final class Open {
        final String device;
        final long end;
        final DeviceSlice slice;

        /** Changed since it was last written to the keyed state. */
        boolean dirty;

        /** The keyed state holds a version of it (written before a checkpoint, or restored). */
        boolean inState;

        /** The device's next open slice (a later end), or null. */
        Open next;

        Open(String device, long end, DeviceSlice slice) {
            this.device = device;
            this.end = end;
            this.slice = slice;
        }
    }

    private final Map<String, Open> byDevice = new HashMap<>();
    private int size;

    /** The smallest slice end of the open slices, {@code Long.MAX_VALUE} when none is open. */
    private long earliestEnd = Long.MAX_VALUE;

    int size() {
        return size;
    }

    /** The open slice of {@code device} that ends at {@code end}, or null. */
    Open get(String device, long end) {
        for (Open o = byDevice.get(device); o != null && o.end <= end; o = o.next) {
            if (o.end == end) {
                return o;
            }
        }
        return null;
    }

    /** Opens the slice of {@code device} ending at {@code end}, which must not be open yet. */
    Open add(String device, long end, DeviceSlice slice) {
        Open added = new Open(device, end, slice);
        Open first = byDevice.get(device);
        if (first == null || first.end > end) {
            added.next = first;
            byDevice.put(device, added);
        } else {
            Open before = first;
            while (before.next != null && before.next.end < end) {
                before = before.next;
            }
            added.next = before.next;
            before.next = added;
        }
        size++;
        earliestEnd = Math.min(earliestEnd, end);
        return added;
    }

    /**
     * Removes the slices that end at or before {@code watermark + 1} (whose last millisecond the
     * watermark has reached) and returns them in the order of their ends — the order their
     * event-time timers would fire in, so a device's earlier slice is evaluated first.
     */
    List<Open> closeUpTo(long watermark) {
        if (earliestEnd == Long.MAX_VALUE || earliestEnd - 1 > watermark) {
            return List.of();
        }
        List<Open> due = new ArrayList<>();
        long earliestLeft = Long.MAX_VALUE;
        for (Iterator<Map.Entry<String, Open>> devices = byDevice.entrySet().iterator();
                devices.hasNext(); ) {
            Map.Entry<String, Open> device = devices.next();
            Open first = device.getValue();
            while (first != null && first.end - 1 <= watermark) {
                due.add(first);
                Open later = first.next;
                first.next = null;
                first = later;
            }
            if (first == null) {
                devices.remove();
            } else {
                device.setValue(first);
                earliestLeft = Math.min(earliestLeft, first.end);
            }
        }
        size -= due.size();
        earliestEnd = earliestLeft;
        due.sort(Comparator.comparingLong(o -> o.end));
        return due;
    }

    /** The open slices changed since they were last written to the keyed state. */
    List<Open> dirty() {
        List<Open> dirty = new ArrayList<>();
        for (Open first : byDevice.values()) {
            for (Open o = first; o != null; o = o.next) {
                if (o.dirty) {
                    dirty.add(o);
                }
            }
        }
        return dirty;
    }
}
