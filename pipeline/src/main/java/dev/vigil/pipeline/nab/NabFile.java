package dev.vigil.pipeline.nab;

import java.time.LocalDateTime;
import java.util.List;

/**
 * One NAB data file: its relative name (e.g. {@code realTraffic/speed_6005.csv}), its rows and its
 * labelled windows (sorted by start).
 */
public final class NabFile {

    private final String name;
    private final List<LocalDateTime> timestamps;
    private final double[] values;
    private final List<NabWindow> windows;

    public NabFile(
            String name, List<LocalDateTime> timestamps, double[] values, List<NabWindow> windows) {
        if (timestamps.size() != values.length) {
            throw new IllegalArgumentException(
                    name
                            + ": "
                            + timestamps.size()
                            + " timestamps but "
                            + values.length
                            + " values");
        }
        this.name = name;
        this.timestamps = List.copyOf(timestamps);
        this.values = values.clone();
        this.windows = List.copyOf(windows);
    }

    /** Relative name, e.g. {@code realTraffic/speed_6005.csv}. */
    public String name() {
        return name;
    }

    /** The part of the name before the '/', e.g. {@code realTraffic}. */
    public String category() {
        int slash = name.indexOf('/');
        return slash < 0 ? "" : name.substring(0, slash);
    }

    public int size() {
        return values.length;
    }

    public List<LocalDateTime> timestamps() {
        return timestamps;
    }

    public LocalDateTime timestamp(int row) {
        return timestamps.get(row);
    }

    public double[] values() {
        return values.clone();
    }

    public double value(int row) {
        return values[row];
    }

    public List<NabWindow> windows() {
        return windows;
    }

    /** Rows {@code [0, probationaryLength)} are not scored. */
    public int probationaryLength() {
        return NabSweeper.probationaryLength(size());
    }

    @Override
    public String toString() {
        return "NabFile{" + name + ", rows=" + size() + ", windows=" + windows.size() + "}";
    }
}
