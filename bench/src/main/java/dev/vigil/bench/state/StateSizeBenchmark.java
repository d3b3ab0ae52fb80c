package dev.vigil.bench.state;

import dev.vigil.bench.BenchReport;
import dev.vigil.bench.Fmt;
import dev.vigil.common.model.MetricPoint;
import dev.vigil.pipeline.config.DetectionSettings;
import dev.vigil.pipeline.detect.Score;
import dev.vigil.pipeline.detect.ScoringFunction;
import dev.vigil.pipeline.detect.ScoringOperator;
import dev.vigil.pipeline.detect.SeriesState;
import dev.vigil.pipeline.detect.SeriesStateSerializer;
import dev.vigil.pipeline.model.ScoredPoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.BasicTypeInfo;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.runtime.state.storage.FileSystemCheckpointStorage;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/**
 * Keyed state per series of the scoring operator (the job's only per-series state that lives as
 * long as the series, SILENCE included; the CEP operators hold a few points per partial match): the
 * {@link ScoringFunction} runs in a keyed operator test harness on the heap (hashmap) state
 * backend, gets two points for each of 10^5 and 10^6 series, and takes a full checkpoint into a
 * local directory. Reported: checkpoint size (Flink's state size and bytes on disk) per series, and
 * the size of one {@link SeriesState} under its serializer. Series counts: {@code
 * -Dvigil.bench.state.series=100000,1000000}.
 */
public final class StateSizeBenchmark {

    static final long T0 = 1_767_225_600_000L;

    private StateSizeBenchmark() {}

    public static BenchReport run(Path repo) throws Exception {
        Path dir = repo.resolve("bench").resolve("target").resolve("state-checkpoints");
        BenchReport report =
                new BenchReport(
                        "state",
                        "Keyed state of the scoring operator (heap backend, full checkpoint)",
                        "series",
                        "checkpoint (state size)",
                        "bytes/series",
                        "on disk",
                        "JVM heap/series (approx.)",
                        "time to fill");
        for (String series :
                System.getProperty("vigil.bench.state.series", "100000,1000000").split(",")) {
            measure(Integer.parseInt(series.trim()), dir, report);
        }
        return report.note(serializerNote())
                .note(
                        "checkpoint = Flink's full snapshot of the operator (keyed state"
                                + " 'series', 'series-identity' (names and tags, kept while the"
                                + " series reports), one event-time timer per series (its SILENCE"
                                + " deadline, later the time it is forgotten), key groups,"
                                + " metadata; the open fleet slices are not in it: they leave"
                                + " before the barrier);"
                                + " on disk = files written to a local checkpoint directory")
                .note(
                        "JVM heap/series: used heap after GC, before minus after, divided by the"
                                + " series count (objects of the heap state table; approximate)");
    }

    private static void measure(int series, Path dir, BenchReport report) throws Exception {
        deleteRecursively(dir);
        Files.createDirectories(dir);
        long heapBefore = usedHeapAfterGc();
        long start = System.nanoTime();
        try (KeyedOneInputStreamOperatorTestHarness<Long, MetricPoint, ScoredPoint> harness =
                harness(dir)) {
            harness.open();
            fill(harness, series);
            long fillNanos = System.nanoTime() - start;
            long heapPerSeries = (usedHeapAfterGc() - heapBefore) / series;
            OperatorSubtaskState snapshot = harness.snapshot(1L, T0);
            long stateSize = snapshot.getStateSize();
            long onDisk = sizeOnDisk(dir);
            report.row(
                    Fmt.count(series),
                    Fmt.bytes(stateSize),
                    Fmt.decimal(stateSize / (double) series, 1),
                    Fmt.bytes(onDisk),
                    heapPerSeries + " B",
                    Fmt.seconds(fillNanos));
            System.out.printf(
                    "%,d series: checkpoint %s (%.1f bytes/series), on disk %s%n",
                    series, Fmt.bytes(stateSize), stateSize / (double) series, Fmt.bytes(onDisk));
        } finally {
            deleteRecursively(dir);
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<Long, MetricPoint, ScoredPoint> harness(
            Path dir) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<Long, MetricPoint, ScoredPoint> harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new ScoringOperator(new ScoringFunction(DetectionSettings.defaults())),
                        MetricPoint::getSeriesId,
                        BasicTypeInfo.LONG_TYPE_INFO);
        harness.setStateBackend(new HashMapStateBackend());
        harness.setCheckpointStorage(new FileSystemCheckpointStorage(dir.toUri()));
        return harness;
    }

    /** Two points per series (10 s apart); the scored output is dropped as it comes. */
    private static void fill(
            KeyedOneInputStreamOperatorTestHarness<Long, MetricPoint, ScoredPoint> harness,
            int series)
            throws Exception {
        String[] hosts = new String[1000];
        for (int h = 0; h < hosts.length; h++) {
            hosts[h] = "host-" + h;
        }
        for (int round = 0; round < 2; round++) {
            long ts = T0 + round * 10_000L;
            for (int s = 0; s < series; s++) {
                MetricPoint p =
                        new MetricPoint(
                                "cpu",
                                new String[] {"host", hosts[s % hosts.length]},
                                "f" + (s / hosts.length),
                                ts,
                                40.0 + (s % 7) + round);
                harness.processElement(new StreamRecord<>(p, ts));
                if ((s & 0xFFF) == 0) {
                    harness.getOutput().clear();
                }
            }
            harness.getOutput().clear();
        }
    }

    private static String serializerNote() throws IOException {
        SeriesStateSerializer serializer = new SeriesStateSerializer();
        return "SeriesState (baseline, detectors, silence fields; keyed state 'series')"
                + " serialized with "
                + serializer.getClass().getSimpleName()
                + ": "
                + serializedBytes(serializer, 2, 10_000L)
                + " bytes after 2 points as here, "
                + serializedBytes(serializer, 1440, 60_000L)
                + " bytes after a day of 1-minute points (all 24 hour-of-day bins filled); the"
                + " rest of bytes/series: key, state-map framing, the series' identity and its"
                + " timer";
    }

    private static int serializedBytes(SeriesStateSerializer serializer, int points, long step)
            throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(512);
        SeriesState state = new SeriesState();
        DetectionSettings settings = DetectionSettings.defaults();
        for (int i = 0; i < points; i++) {
            double value = 41.5 + (i % 7);
            long ts = T0 + i * step;
            Score score = state.getStats().score(value, settings);
            state.getDetector().observe(value, ts, settings);
            // what the silence detector keeps of the newest point, and its pending timer
            state.setLatestTimestamp(ts);
            state.setLatestValue(value);
            state.setLatestLower(score.lower());
            state.setLatestUpper(score.upper());
            state.setLatestIntervalMs(state.getStats().getTypicalIntervalMs());
            if (!state.hasTimer() || state.getTimer() <= ts) {
                state.setTimer(ts + 5 * step);
            }
            state.getStats().update(value, ts, settings);
        }
        serializer.serialize(state, out);
        return out.length();
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    private static long sizeOnDisk(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(
                            f -> {
                                try {
                                    return Files.size(f);
                                } catch (IOException e) {
                                    return 0;
                                }
                            })
                    .sum();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
