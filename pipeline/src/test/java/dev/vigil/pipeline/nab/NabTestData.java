package dev.vigil.pipeline.nab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Locates the shared NAB subset ({@code <repo>/../shared/datasets/nab-subset}) and caches it. */
final class NabTestData {

    static final String RELATIVE = "shared/datasets/nab-subset";
    static final List<String> DETECTORS = List.of("numenta", "windowedGaussian");

    private static NabCorpus corpus;
    private static final Map<String, Map<String, double[]>> GOLDEN_SCORES = new HashMap<>();

    private NabTestData() {}

    static Path root() {
        Path start = Paths.get("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(RELATIVE);
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(
                "NAB subset not found: no '"
                        + RELATIVE
                        + "' in "
                        + start
                        + " or any parent directory (expected next to the repository).");
    }

    static synchronized NabCorpus corpus() {
        if (corpus == null) {
            corpus = NabCorpus.load(root());
        }
        return corpus;
    }

    static Map<String, NabProfile> profiles() {
        return NabProfile.load(root().resolve("config/profiles.json"));
    }

    static Path goldenDir(String detector) {
        return root().resolve("golden").resolve(detector);
    }

    /** The detector's published per-row scores, by file name. */
    static synchronized Map<String, double[]> goldenScores(String detector) {
        return GOLDEN_SCORES.computeIfAbsent(
                detector,
                d -> NabCommand.detect(corpus(), NabCommand.recordedDetector(goldenDir(d), d)));
    }

    /** The published threshold of a detector for a profile (config/thresholds.json). */
    static double publishedThreshold(String detector, String profile) {
        return NabProfile.readJson(root().resolve("config/thresholds.json"))
                .path(detector)
                .path(profile)
                .path("threshold")
                .asDouble(Double.NaN);
    }
}
