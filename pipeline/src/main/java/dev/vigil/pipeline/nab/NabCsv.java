package dev.vigil.pipeline.nab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Minimal reader for NAB's CSV files (header line, comma separated, no quoting). */
final class NabCsv {

    /**
     * NAB timestamps: {@code YYYY-MM-DD HH:MM:SS} with an optional fraction (labels use .ffffff).
     */
    static final DateTimeFormatter TIMESTAMP =
            new DateTimeFormatterBuilder()
                    .appendPattern("yyyy-MM-dd HH:mm:ss")
                    .optionalStart()
                    .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
                    .optionalEnd()
                    .toFormatter();

    private final Path file;
    private final List<String> header;
    private final List<String[]> rows;

    private NabCsv(Path file, List<String> header, List<String[]> rows) {
        this.file = file;
        this.header = header;
        this.rows = rows;
    }

    static NabCsv read(Path file) {
        List<String> lines = readLines(file);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("Empty CSV file " + file);
        }
        List<String> header = Arrays.asList(lines.get(0).trim().split(",", -1));
        List<String[]> rows = new ArrayList<>(lines.size());
        for (String line : lines.subList(1, lines.size())) {
            if (!line.isBlank()) {
                rows.add(line.trim().split(",", -1));
            }
        }
        return new NabCsv(file, header, rows);
    }

    static LocalDateTime parseTimestamp(String text) {
        try {
            return LocalDateTime.parse(text.trim(), TIMESTAMP);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("Not a NAB timestamp: '" + text + "'", e);
        }
    }

    int size() {
        return rows.size();
    }

    List<LocalDateTime> timestamps() {
        int col = column("timestamp");
        List<LocalDateTime> out = new ArrayList<>(rows.size());
        for (String[] row : rows) {
            out.add(parseTimestamp(cell(row, col)));
        }
        return out;
    }

    List<String> strings(String name) {
        int col = column(name);
        List<String> out = new ArrayList<>(rows.size());
        for (String[] row : rows) {
            out.add(cell(row, col));
        }
        return out;
    }

    double[] doubles(String name) {
        int col = column(name);
        double[] out = new double[rows.size()];
        for (int i = 0; i < out.length; i++) {
            String text = cell(rows.get(i), col);
            try {
                out[i] = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        file + " row " + (i + 1) + ": '" + name + "' is not a number: " + text, e);
            }
        }
        return out;
    }

    private int column(String name) {
        int col = header.indexOf(name);
        if (col < 0) {
            throw new IllegalArgumentException(file + " has no column '" + name + "': " + header);
        }
        return col;
    }

    private String cell(String[] row, int col) {
        if (col >= row.length) {
            throw new IllegalArgumentException(file + ": short row " + String.join(",", row));
        }
        return row[col];
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }
}
