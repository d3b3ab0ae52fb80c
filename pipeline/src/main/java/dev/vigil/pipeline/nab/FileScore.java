package dev.vigil.pipeline.nab;

/**
 * The NAB result of one file at one threshold: raw score and the row counts of NAB's results CSV
 * ({@code TP,TN,FP,FN,Total_Count}; TP/FN count rows inside windows, not windows), plus how many of
 * the scorable windows got a detection.
 */
public record FileScore(
        String file,
        double threshold,
        double score,
        int tp,
        int tn,
        int fp,
        int fn,
        int totalCount,
        int windows,
        int detectedWindows) {}
