package dev.vigil.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of one benchmark: a table (columns and rows of already formatted cells), notes and the
 * machine it ran on. Printed as an aligned table, written as JSON ({@code
 * bench/results/<name>.json}) and as a Markdown section of {@code latest.md}.
 */
public final class BenchReport {

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final String name;
    private final String title;
    private final List<String> columns;
    private final List<List<String>> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<String, Object> machine = Machine.describe();
    private String loadBefore = Machine.loadAverage();
    private String loadAfter;

    public BenchReport(String name, String title, String... columns) {
        this.name = name;
        this.title = title;
        this.columns = List.of(columns);
    }

    public String name() {
        return name;
    }

    public BenchReport row(Object... cells) {
        if (cells.length != columns.size()) {
            throw new IllegalArgumentException(
                    "row has " + cells.length + " cells, table has " + columns.size() + " columns");
        }
        List<String> row = new ArrayList<>();
        for (Object cell : cells) {
            row.add(String.valueOf(cell));
        }
        rows.add(row);
        return this;
    }

    public BenchReport note(String note) {
        notes.add(note);
        return this;
    }

    /** Records the load average before the benchmark ran and now, at its end. */
    public BenchReport finish(String loadBeforeRun) {
        loadBefore = loadBeforeRun;
        loadAfter = Machine.loadAverage();
        return this;
    }

    /** Aligned plain-text table with title and notes. */
    public String toText() {
        int[] widths = new int[columns.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = columns.get(c).length();
            for (List<String> row : rows) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        StringBuilder sb = new StringBuilder("\n== ").append(title).append(" ==\n");
        appendTextRow(sb, columns, widths);
        char[] rule = new char[Arrays.stream(widths).sum() + 3 * (widths.length - 1)];
        Arrays.fill(rule, '-');
        sb.append(rule).append('\n');
        for (List<String> row : rows) {
            appendTextRow(sb, row, widths);
        }
        for (String note : notes) {
            sb.append("  * ").append(note).append('\n');
        }
        sb.append("  load average before/after: ")
                .append(loadBefore)
                .append(" / ")
                .append(loadAfter)
                .append('\n');
        return sb.toString();
    }

    private static void appendTextRow(StringBuilder sb, List<String> cells, int[] widths) {
        for (int c = 0; c < cells.size(); c++) {
            if (c > 0) {
                sb.append(" | ");
            }
            String cell = cells.get(c);
            sb.append(cell).append(" ".repeat(widths[c] - cell.length()));
        }
        sb.append('\n');
    }

    /** A Markdown section (### title, table, notes). */
    public String toMarkdown() {
        StringBuilder sb = new StringBuilder("### ").append(title).append("\n\n");
        sb.append("| ").append(String.join(" | ", columns)).append(" |\n");
        sb.append("|").append(" --- |".repeat(columns.size())).append('\n');
        for (List<String> row : rows) {
            sb.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        sb.append('\n');
        for (String note : notes) {
            sb.append("- ").append(note).append('\n');
        }
        sb.append("- load average (1/5/15 min) before → after: ")
                .append(loadBefore)
                .append(" → ")
                .append(loadAfter)
                .append("\n\n");
        return sb.toString();
    }

    /** Writes {@code <dir>/<name>.json}. */
    public Path writeJson(Path dir) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", name);
        json.put("title", title);
        json.put("machine", machine);
        json.put("loadAverageBefore", loadBefore);
        json.put("loadAverageAfter", loadAfter);
        List<Map<String, String>> table = new ArrayList<>();
        for (List<String> row : rows) {
            Map<String, String> r = new LinkedHashMap<>();
            for (int c = 0; c < columns.size(); c++) {
                r.put(columns.get(c), row.get(c));
            }
            table.add(r);
        }
        json.put("rows", table);
        json.put("notes", notes);
        Files.createDirectories(dir);
        Path file = dir.resolve(name + ".json");
        JSON.writeValue(file.toFile(), json);
        return file;
    }
}
