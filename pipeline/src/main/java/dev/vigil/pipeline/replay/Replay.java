package dev.vigil.pipeline.replay;

import dev.vigil.common.model.Envelope;
import dev.vigil.common.model.MetricPoint;
import dev.vigil.common.model.Reject;
import dev.vigil.pipeline.config.VigilConfig;
import dev.vigil.pipeline.local.CollectingListener;
import dev.vigil.pipeline.local.LocalRun;
import dev.vigil.pipeline.model.Anomaly;
import dev.vigil.pipeline.model.ScoredPoint;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * {@code ./vigil replay}: runs the streaming job's graph in bounded mode over a file and writes
 * per-row anomaly scores and the anomalies. The anomaly score of a row is the point's {@link
 * ScoredPoint#getAnomalyScore() anomalyScore} (continuous, non-saturating, in [0, 1); it already
 * fuses the robust, seasonal, CUSUM and rate-of-change detectors, see pipeline/DETECTION.md); rows
 * that were rejected or late, and points before warm-up, score 0. Pattern anomalies are written to
 * the anomalies file but do not feed the row score (their severity saturates at 100).
 */
public final class Replay {

    /** What a replay produced, in memory (used by the NAB scorer and tests). */
    public static final class Result {
        public final ReplayInput input;
        public final List<ScoredPoint> scored;
        public final List<Anomaly> anomalies;
        public final List<Reject> rejects;
        public final List<MetricPoint> late;
        public final LocalRun.Counts counts;

        Result(
                ReplayInput input,
                List<ScoredPoint> scored,
                List<Anomaly> anomalies,
                List<Reject> rejects,
                List<MetricPoint> late,
                LocalRun.Counts counts) {
            this.input = input;
            this.scored = scored;
            this.anomalies = anomalies;
            this.rejects = rejects;
            this.late = late;
            this.counts = counts;
        }

        /** Anomaly score per CSV row ({@link ScoredPoint#getAnomalyScore()}), in file order. */
        public double[] csvRowScores() {
            Map<Long, ArrayDeque<Double>> byTimestamp = new HashMap<>();
            for (ScoredPoint p : scored) {
                byTimestamp
                        .computeIfAbsent(p.timestamp(), t -> new ArrayDeque<>())
                        .add(pointScore(p));
            }
            double[] scores = new double[input.rows.size()];
            for (int i = 0; i < scores.length; i++) {
                long ts = input.rows.get(i).timestamp;
                ArrayDeque<Double> queue = byTimestamp.get(ts);
                double s = queue == null || queue.isEmpty() ? 0.0 : queue.poll();
                scores[i] = s;
            }
            return scores;
        }

        static double pointScore(ScoredPoint p) {
            return p.isWarm() ? p.getAnomalyScore() : 0.0;
        }
    }

    private Replay() {}

    public static Result run(VigilConfig config, Path file, ReplayFormat format) throws Exception {
        return runAll(config, List.of(ReplayInput.read(file, format))).get(0);
    }

    /**
     * Replays several inputs in ONE job (one series each for CSV inputs; at most one non-CSV input)
     * and splits the outputs by the {@code series} tag; results in the order of {@code inputs}.
     */
    public static List<Result> runAll(VigilConfig config, List<ReplayInput> inputs)
            throws Exception {
        List<Envelope> envelopes = new ArrayList<>();
        for (ReplayInput input : inputs) {
            envelopes.addAll(input.envelopes);
        }
        // As a broker would deliver them: several files interleave by time, so none of them arrives
        // "late".
        envelopes.sort(Comparator.comparingLong(Envelope::getReceivedAt));
        CollectingListener out = new CollectingListener();
        LocalRun.Counts counts = LocalRun.run(config, envelopes, 1, true, out);
        List<ScoredPoint> scored = out.scored;
        List<Anomaly> anomalies = out.sortedAnomalies();
        List<Reject> rejects = out.rejects;
        List<MetricPoint> late = out.late;
        if (inputs.size() == 1) {
            return List.of(new Result(inputs.get(0), scored, anomalies, rejects, late, counts));
        }
        List<Result> results = new ArrayList<>();
        for (ReplayInput input : inputs) {
            results.add(
                    new Result(
                            input,
                            filter(scored, p -> input.series.equals(p.getPoint().tag(SERIES_TAG))),
                            filter(
                                    anomalies,
                                    a -> input.series.equals(tag(a.getTags(), SERIES_TAG))),
                            filter(
                                    rejects,
                                    r ->
                                            r.getTopic()
                                                    .equals(
                                                            ReplayInput.CSV_TOPIC_PREFIX
                                                                    + input.series)),
                            filter(late, p -> input.series.equals(p.tag(SERIES_TAG))),
                            counts));
        }
        return results;
    }

    /** The tag that the built-in route {@code replay/{series}} gives replayed CSV rows. */
    public static final String SERIES_TAG = "series";

    private static <T> List<T> filter(List<T> items, Predicate<T> keep) {
        List<T> out = new ArrayList<>();
        for (T item : items) {
            if (keep.test(item)) {
                out.add(item);
            }
        }
        return out;
    }

    private static String tag(String[] tags, String key) {
        for (int i = 0; i + 1 < tags.length; i += 2) {
            if (tags[i].equals(key)) {
                return tags[i + 1];
            }
        }
        return null;
    }

    /**
     * Writes the scores CSV (and the anomalies as JSON lines when {@code anomaliesOut} is set);
     * prints a summary.
     */
    public static void write(Result result, Path scoresOut, Path anomaliesOut, PrintStream log)
            throws IOException {
        createParent(scoresOut);
        try (BufferedWriter w = Files.newBufferedWriter(scoresOut, StandardCharsets.UTF_8)) {
            if (!result.input.rows.isEmpty()) {
                writeCsvScores(result, w);
            } else {
                writeSeriesScores(result, w);
            }
        }
        if (anomaliesOut != null) {
            createParent(anomaliesOut);
            try (BufferedWriter w = Files.newBufferedWriter(anomaliesOut, StandardCharsets.UTF_8)) {
                for (Anomaly a : result.anomalies) {
                    w.write(AnomalyJson.toJson(a));
                    w.newLine();
                }
            }
        }
        log.printf(
                "replay: %d messages (%d accepted, %d rejected), %d points scored, %d late, %d anomalies%n",
                result.counts.received,
                result.counts.accepted,
                result.counts.rejected,
                result.scored.size(),
                result.late.size(),
                result.anomalies.size());
        log.printf("scores written to %s%n", scoresOut);
        if (anomaliesOut != null) {
            log.printf("anomalies written to %s%n", anomaliesOut);
        }
    }

    private static void writeCsvScores(Result result, BufferedWriter w) throws IOException {
        double[] scores = result.csvRowScores();
        w.write("timestamp,value,anomaly_score");
        w.newLine();
        for (int i = 0; i < scores.length; i++) {
            ReplayInput.CsvRow row = result.input.rows.get(i);
            w.write(AnomalyJson.nabTime(row.timestamp) + "," + row.value + "," + format(scores[i]));
            w.newLine();
        }
    }

    private static void writeSeriesScores(Result result, BufferedWriter w) throws IOException {
        w.write("series,timestamp,value,anomaly_score");
        w.newLine();
        for (ScoredPoint p : result.scored) {
            w.write(
                    csvField(p.getPoint().seriesKey())
                            + ","
                            + AnomalyJson.nabTime(p.timestamp())
                            + ","
                            + p.value()
                            + ","
                            + format(Result.pointScore(p)));
            w.newLine();
        }
    }

    private static String csvField(String s) {
        return s.contains(",") || s.contains("\"") ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }

    private static String format(double score) {
        return String.format(java.util.Locale.ROOT, "%.6f", score);
    }

    private static void createParent(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
    }
}
