package dev.vigil.pipeline.nab;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A NAB corpus: the data files named in a label file ({@code "category/file.csv": [[start, end],
 * ...]}) with their rows and windows. Files are ordered by name.
 */
public final class NabCorpus {

    public static final String DEFAULT_LABELS = "labels/combined_windows.json";
    public static final String DATA_DIR = "data";

    private final Map<String, NabFile> files;

    private NabCorpus(Map<String, NabFile> files) {
        this.files = Collections.unmodifiableMap(files);
    }

    /**
     * Loads {@code nabRoot/data/...} with the windows of {@code
     * nabRoot/labels/combined_windows.json}.
     */
    public static NabCorpus load(Path nabRoot) {
        return load(nabRoot, nabRoot.resolve(DEFAULT_LABELS));
    }

    /** Loads the files named in {@code labelsFile} from {@code nabRoot/data}. */
    public static NabCorpus load(Path nabRoot, Path labelsFile) {
        JsonNode labels = NabProfile.readJson(labelsFile);
        Map<String, NabFile> files = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = labels.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            files.put(e.getKey(), loadFile(nabRoot.resolve(DATA_DIR), e.getKey(), e.getValue()));
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("No files in label file " + labelsFile);
        }
        return new NabCorpus(new LinkedHashMap<>(files));
    }

    /** Builds a corpus from already loaded files (tests, synthetic corpora). */
    public static NabCorpus of(List<NabFile> files) {
        Map<String, NabFile> byName = new TreeMap<>();
        for (NabFile f : files) {
            byName.put(f.name(), f);
        }
        return new NabCorpus(new LinkedHashMap<>(byName));
    }

    public List<NabFile> files() {
        return List.copyOf(files.values());
    }

    public NabFile file(String name) {
        NabFile f = files.get(name);
        if (f == null) {
            throw new IllegalArgumentException("No file '" + name + "' in the corpus");
        }
        return f;
    }

    public int size() {
        return files.size();
    }

    /**
     * Number of labelled windows over all files (NAB's {@code tpCount} used for the perfect score).
     */
    public int windowCount() {
        return files.values().stream().mapToInt(f -> f.windows().size()).sum();
    }

    private static NabFile loadFile(Path dataDir, String name, JsonNode windowsJson) {
        Path csvPath = dataDir.resolve(name);
        if (!Files.isRegularFile(csvPath)) {
            throw new IllegalArgumentException("Labelled file not found: " + csvPath);
        }
        NabCsv csv = NabCsv.read(csvPath);
        List<LocalDateTime> timestamps = csv.timestamps();
        double[] values = csv.doubles("value");
        List<NabWindow> windows = resolveWindows(name, windowsJson, timestamps);
        return new NabFile(name, timestamps, values, windows);
    }

    /** Like NAB's labeler, every window limit must be exactly a timestamp of the file. */
    static List<NabWindow> resolveWindows(
            String name, JsonNode windowsJson, List<LocalDateTime> timestamps) {
        Map<LocalDateTime, Integer> rowOf = new LinkedHashMap<>();
        for (int i = 0; i < timestamps.size(); i++) {
            rowOf.putIfAbsent(timestamps.get(i), i);
        }
        List<NabWindow> windows = new ArrayList<>();
        for (JsonNode limits : windowsJson) {
            if (!limits.isArray() || limits.size() != 2) {
                throw new IllegalArgumentException(
                        name + ": a window must be [start, end]: " + limits);
            }
            LocalDateTime start = NabCsv.parseTimestamp(limits.get(0).asText());
            LocalDateTime end = NabCsv.parseTimestamp(limits.get(1).asText());
            windows.add(new NabWindow(start, end, row(name, rowOf, start), row(name, rowOf, end)));
        }
        windows.sort(Comparator.comparingInt(NabWindow::startIndex));
        validateOrder(name, windows);
        return windows;
    }

    private static int row(String name, Map<LocalDateTime, Integer> rowOf, LocalDateTime t) {
        Integer row = rowOf.get(t);
        if (row == null) {
            throw new IllegalArgumentException(
                    name + ": window limit " + t + " is not a timestamp of the data file");
        }
        return row;
    }

    private static void validateOrder(String name, List<NabWindow> windows) {
        int previousEnd = -1;
        for (NabWindow w : windows) {
            if (w.endIndex() < w.startIndex() || w.startIndex() <= previousEnd) {
                throw new IllegalArgumentException(
                        name + ": windows are reversed or overlap: " + w);
            }
            previousEnd = w.endIndex();
        }
    }
}
