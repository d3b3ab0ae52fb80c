package dev.vigil.e2e.testutils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The fault-injection suite's result table: one row per fault, printed and written to a file. */
public final class FaultReport {

    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    /** One injected fault and what it cost. */
    public static final class Row {
        public final String fault;
        public final Duration outage;
        public final Duration recovery;
        public final int fromTick;
        public int toTick;
        public long expectedPoints;
        public long storedPoints;
        public long redelivered;
        public long duplicateRows;

        Row(String fault, Duration outage, Duration recovery, int fromTick, int toTick) {
            this.fault = fault;
            this.outage = outage;
            this.recovery = recovery;
            this.fromTick = fromTick;
            this.toTick = toTick;
        }

        public long lost() {
            return Math.max(0, expectedPoints - storedPoints);
        }

        /** Rows beyond the published set (impossible for raw points) plus duplicate anomalies. */
        public long duplicates() {
            return Math.max(0, storedPoints - expectedPoints) + duplicateRows;
        }
    }

    /**
     * @param outage how long the component was down (0 for a kill that is restarted at once)
     * @param recovery from the fault until everything published before it was in InfluxDB
     * @param fromTick first tick of the window the row's counts cover
     * @param toTick end (exclusive) of that window
     */
    public Row add(String fault, Duration outage, Duration recovery, int fromTick, int toTick) {
        Row row = new Row(fault, outage, recovery, fromTick, toTick);
        rows.add(row);
        return row;
    }

    public List<Row> rows() {
        return rows;
    }

    public void note(String line) {
        notes.add(line);
    }

    public String toMarkdown() {
        StringBuilder sb = new StringBuilder();
        sb.append(
                "| fault | outage | recovery | points in window | points lost | duplicates |"
                        + " messages redelivered (absorbed) |\n");
        sb.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Row r : rows) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %.1f s | %.1f s | %,d | %d | %d | %d |%n",
                            r.fault,
                            r.outage.toMillis() / 1000.0,
                            r.recovery.toMillis() / 1000.0,
                            r.expectedPoints,
                            r.lost(),
                            r.duplicates(),
                            r.redelivered));
        }
        sb.append('\n');
        for (String note : notes) {
            sb.append("- ").append(note).append('\n');
        }
        return sb.toString();
    }

    public Path write(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, toMarkdown(), StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
