package dev.vigil.pipeline.nab;

import java.util.List;

/**
 * One profile's NAB result: the corpus-optimised threshold, the raw score (sum of the per-file
 * scores at that threshold), the null and perfect raw scores, and the normalised NAB score {@code
 * 100 * (raw - null) / (perfect - null)}.
 */
public record BenchmarkResult(
        NabProfile profile,
        double threshold,
        double rawScore,
        double nullScore,
        double perfectScore,
        double normalizedScore,
        List<FileScore> files) {

    public BenchmarkResult {
        files = List.copyOf(files);
    }
}
