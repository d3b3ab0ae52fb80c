package dev.vigil.pipeline.nab;

/**
 * NAB's {@code ThresholdScore}: the raw score and row counts when every scorable row with anomaly
 * score {@code >= threshold} is a detection. {@code total} counts all rows, probation included.
 */
public record ThresholdScore(
        double threshold, double score, int tp, int tn, int fp, int fn, int total) {}
