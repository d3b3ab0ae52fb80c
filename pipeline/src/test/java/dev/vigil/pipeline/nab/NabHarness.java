package dev.vigil.pipeline.nab;

import dev.vigil.pipeline.config.DetectionSettings;
import dev.vigil.pipeline.config.VigilConfig;
import dev.vigil.pipeline.detect.SeriesDetector;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The fast path for iterating on the detector: runs {@link SeriesDetector} directly over the NAB
 * CSVs (no Flink job) and scores it like {@code ./vigil nab}. The replay path gives the same
 * per-row scores (a point's score is the detector's when the series is warm; both count the same
 * points).
 *
 * <p>Run from the test classpath: {@code java -cp ... dev.vigil.pipeline.nab.NabHarness [--files]
 * [--key=value ...]} (config overrides, e.g. {@code --detector.cusum.drift=1.0}).
 */
public final class NabHarness {

    private NabHarness() {}

    /** The detector's per-row anomaly scores for one file. */
    public static Function<NabFile, double[]> detector(DetectionSettings settings) {
        return file -> {
            SeriesDetector detector = new SeriesDetector();
            double[] values = file.values();
            double[] scores = new double[values.length];
            for (int i = 0; i < values.length; i++) {
                long ts = file.timestamp(i).toInstant(ZoneOffset.UTC).toEpochMilli();
                scores[i] = detector.observe(values[i], ts, settings).anomalyScore();
            }
            return scores;
        };
    }

    public static List<BenchmarkResult> score(Path root, DetectionSettings settings) {
        NabCorpus corpus = NabCorpus.load(root);
        Map<String, NabProfile> profiles =
                NabProfile.load(root.resolve(NabCommand.DEFAULT_PROFILES));
        return NabCommand.scoreAllProfiles(
                corpus, NabCommand.detect(corpus, detector(settings)), profiles);
    }

    /** Prints every row of the file whose name contains {@code part}: value, window, detection. */
    static void dump(Path root, String part, DetectionSettings settings, PrintStream out) {
        NabCorpus corpus = NabCorpus.load(root);
        for (NabFile file : corpus.files()) {
            if (!file.name().contains(part)) {
                continue;
            }
            SeriesDetector detector = new SeriesDetector();
            for (int i = 0; i < file.size(); i++) {
                long ts = file.timestamp(i).toInstant(ZoneOffset.UTC).toEpochMilli();
                var d = detector.observe(file.value(i), ts, settings);
                int row = i;
                boolean in =
                        file.windows().stream()
                                .anyMatch(w -> row >= w.startIndex() && row <= w.endIndex());
                out.printf(
                        "%s %5d %s %s %12.6g %s%n",
                        file.name().substring(file.name().indexOf('/') + 1),
                        i,
                        file.timestamp(i),
                        in ? "W" : (i < file.probationaryLength() ? "p" : "."),
                        file.value(i),
                        d);
            }
        }
    }

    public static void main(String[] args) {
        List<String> rest = Arrays.asList(args);
        boolean files = rest.contains("--files");
        List<String> overrides = rest.stream().filter(a -> a.contains("=")).toList();
        VigilConfig config =
                overrides.isEmpty()
                        ? VigilConfig.defaults()
                        : VigilConfig.load(null, VigilConfig.parseOverrides(overrides));
        List<BenchmarkResult> results = score(NabTestData.root(), config.detection());
        PrintStream out = System.out;
        rest.stream()
                .filter(a -> a.startsWith("--dump:"))
                .forEach(a -> dump(NabTestData.root(), a.substring(7), config.detection(), out));
        out.print(NabReport.profileTable(results));
        if (files) {
            for (BenchmarkResult r : results) {
                out.println();
                out.print(NabReport.fileTable(r));
            }
        }
    }
}
