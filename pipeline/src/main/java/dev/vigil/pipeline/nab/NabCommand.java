package dev.vigil.pipeline.nab;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Runs a detector over a NAB corpus and prints its NAB scores for every profile. */
public final class NabCommand {

    public static final String DEFAULT_PROFILES = "config/profiles.json";

    private NabCommand() {}

    /**
     * Scores {@code detector} (per-row anomaly scores of a file) on the corpus under {@code
     * nabRoot} with every profile (threshold optimised per profile), prints the profile table and a
     * per-file table per profile, and returns 0.
     *
     * @param labelsFile null → {@code nabRoot/labels/combined_windows.json}
     * @param profilesFile null → {@code nabRoot/config/profiles.json}
     */
    public static int run(
            Path nabRoot,
            Path labelsFile,
            Path profilesFile,
            Function<NabFile, double[]> detector,
            PrintStream out) {
        NabCorpus corpus =
                NabCorpus.load(
                        nabRoot,
                        labelsFile != null
                                ? labelsFile
                                : nabRoot.resolve(NabCorpus.DEFAULT_LABELS));
        Map<String, NabProfile> profiles =
                NabProfile.load(
                        profilesFile != null ? profilesFile : nabRoot.resolve(DEFAULT_PROFILES));
        List<BenchmarkResult> results =
                scoreAllProfiles(corpus, detect(corpus, detector), profiles);
        out.printf(
                "NAB: %d files, %d windows, %d profiles%n",
                corpus.size(), corpus.windowCount(), profiles.size());
        out.print(NabReport.profileTable(results));
        for (BenchmarkResult r : results) {
            out.println();
            out.print(NabReport.fileTable(r));
        }
        out.flush();
        return 0;
    }

    /** Runs the detector on every file of the corpus. */
    public static Map<String, double[]> detect(
            NabCorpus corpus, Function<NabFile, double[]> detector) {
        Map<String, double[]> scores = new LinkedHashMap<>();
        for (NabFile file : corpus.files()) {
            scores.put(file.name(), detector.apply(file));
        }
        return scores;
    }

    /** {@link NabScorer#score} for every profile, in the profiles' order. */
    public static List<BenchmarkResult> scoreAllProfiles(
            NabCorpus corpus, Map<String, double[]> scores, Map<String, NabProfile> profiles) {
        List<BenchmarkResult> results = new ArrayList<>();
        for (NabProfile profile : profiles.values()) {
            results.add(NabScorer.score(corpus, scores, profile));
        }
        return results;
    }

    /**
     * A "detector" replaying published NAB results: {@code
     * resultsDir/<category>/<detectorName>_<file>.csv}, column {@code anomaly_score}.
     */
    public static Function<NabFile, double[]> recordedDetector(
            Path resultsDir, String detectorName) {
        return file -> {
            String base = file.name().substring(file.name().lastIndexOf('/') + 1);
            Path csv = resultsDir.resolve(file.category()).resolve(detectorName + "_" + base);
            return NabCsv.read(csv).doubles("anomaly_score");
        };
    }
}
