package dev.vigil.simulator;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * What the simulator injected: one {@link Entry} per affected series (a device silence yields one
 * SILENCE entry for each series of the device). Start and end are the event times (epoch ms) of the
 * first and last affected tick, both inclusive; a LEVEL_SHIFT ends at the last tick of the run.
 *
 * <p>CSV form: header {@code series,kind,start,end}; the series key contains commas, so it is
 * double-quoted (quotes inside doubled).
 */
public final class GroundTruth implements Serializable {

    private static final long serialVersionUID = 1L;
    public static final String CSV_HEADER = "series,kind,start,end";

    private final List<Entry> entries;

    public GroundTruth(List<Entry> entries) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::getStart).thenComparing(Entry::getSeries));
        this.entries = List.copyOf(sorted);
    }

    /** All entries ordered by start, then series. */
    public List<Entry> entries() {
        return entries;
    }

    public List<Entry> forSeries(String seriesKey) {
        return entries.stream().filter(e -> e.getSeries().equals(seriesKey)).toList();
    }

    public List<Entry> ofKind(String kind) {
        return entries.stream().filter(e -> e.getKind().equals(kind)).toList();
    }

    public int size() {
        return entries.size();
    }

    public void writeCsv(Path file) throws IOException {
        Files.writeString(file, toCsv(), StandardCharsets.UTF_8);
    }

    public String toCsv() {
        StringBuilder sb = new StringBuilder(CSV_HEADER).append('\n');
        for (Entry e : entries) {
            sb.append(quote(e.getSeries()))
                    .append(',')
                    .append(e.getKind())
                    .append(',')
                    .append(e.getStart())
                    .append(',')
                    .append(e.getEnd())
                    .append('\n');
        }
        return sb.toString();
    }

    public static GroundTruth readCsv(Path file) throws IOException {
        return fromCsv(Files.readString(file, StandardCharsets.UTF_8));
    }

    public static GroundTruth fromCsv(String csv) {
        List<Entry> entries = new ArrayList<>();
        String[] lines = csv.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank() || (i == 0 && line.trim().equals(CSV_HEADER))) {
                continue;
            }
            entries.add(parseLine(line, i + 1));
        }
        return new GroundTruth(entries);
    }

    private static Entry parseLine(String line, int lineNumber) {
        List<String> cells = splitCsv(line);
        if (cells.size() != 4) {
            throw new IllegalArgumentException(
                    "ground truth line " + lineNumber + ": expected 4 columns, got " + line);
        }
        try {
            return new Entry(
                    cells.get(0),
                    cells.get(1),
                    Long.parseLong(cells.get(2).trim()),
                    Long.parseLong(cells.get(3).trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "ground truth line " + lineNumber + ": bad start/end in " + line, e);
        }
    }

    private static String quote(String s) {
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    private static List<String> splitCsv(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted && c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                cell.append('"');
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GroundTruth && ((GroundTruth) o).entries.equals(entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return "GroundTruth" + entries;
    }

    /** One injected anomaly on one series; a POJO. */
    public static class Entry implements Serializable {
        private static final long serialVersionUID = 1L;

        private String series;
        private String kind;
        private long start;
        private long end;

        public Entry() {}

        public Entry(String series, String kind, long start, long end) {
            this.series = series;
            this.kind = kind;
            this.start = start;
            this.end = end;
        }

        /** Whether event time {@code t} (epoch ms) lies in [start, end]. */
        public boolean covers(long t) {
            return t >= start && t <= end;
        }

        public String getSeries() {
            return series;
        }

        public void setSeries(String series) {
            this.series = series;
        }

        public String getKind() {
            return kind;
        }

        public void setKind(String kind) {
            this.kind = kind;
        }

        public long getStart() {
            return start;
        }

        public void setStart(long start) {
            this.start = start;
        }

        public long getEnd() {
            return end;
        }

        public void setEnd(long end) {
            this.end = end;
        }

        @Override
        public boolean equals(Object o) {
            if (this == o) {
                return true;
            }
            if (!(o instanceof Entry)) {
                return false;
            }
            Entry that = (Entry) o;
            return start == that.start
                    && end == that.end
                    && Objects.equals(series, that.series)
                    && Objects.equals(kind, that.kind);
        }

        @Override
        public int hashCode() {
            return Objects.hash(series, kind, start, end);
        }

        @Override
        public String toString() {
            return kind + "{" + series + ", " + start + ".." + end + '}';
        }
    }
}
