package dev.vigil.pipeline.nab;

import dev.vigil.pipeline.nab.NabSweeper.AnomalyPoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * NAB scoring (port of NAB ea702d7 {@code scorer.py}, {@code optimizer.py} and the normalisation of
 * {@code runner.py}).
 */
public final class NabScorer {

    /** NAB's null detector emits this constant anomaly score for every row. */
    static final double NULL_DETECTOR_SCORE = 0.5;

    private NabScorer() {}

    /**
     * Raw score (and TP/FP/FN/TN row counts) of one file when the detections are the scorable rows
     * with {@code anomalyScores[row] >= threshold}.
     */
    public static FileScore scoreFile(
            NabFile file, double[] anomalyScores, double threshold, NabProfile profile) {
        validate(file, anomalyScores);
        List<AnomalyPoint> points = NabSweeper.sweepScores(file, anomalyScores, profile, 0);
        int windows = file.windows().size();
        double[] windowParts = new double[windows];
        boolean[] scorableWindow = new boolean[windows];
        boolean[] detectedWindow = new boolean[windows];
        Arrays.fill(windowParts, -profile.fnWeight());
        double fpPart = 0;
        int tp = 0, tn = 0, fp = 0, fn = 0;
        for (AnomalyPoint p : points) {
            if (p.window() == NabSweeper.PROBATIONARY) {
                continue;
            }
            boolean detected = p.anomalyScore() >= threshold;
            if (p.window() == NabSweeper.OUTSIDE) {
                if (detected) {
                    fp++;
                    fpPart += p.sweepScore();
                } else {
                    tn++;
                }
                continue;
            }
            scorableWindow[p.window()] = true;
            if (detected) {
                tp++;
                detectedWindow[p.window()] = true;
                windowParts[p.window()] = Math.max(windowParts[p.window()], p.sweepScore());
            } else {
                fn++;
            }
        }
        double score = fpPart;
        for (int w = 0; w < windows; w++) {
            // A window entirely inside the probationary period is not scored (as in NAB).
            score += scorableWindow[w] ? windowParts[w] : 0.0;
        }
        return new FileScore(
                file.name(),
                threshold,
                score,
                tp,
                tn,
                fp,
                fn,
                file.size(),
                count(scorableWindow),
                count(detectedWindow));
    }

    /**
     * Optimises the threshold over the whole corpus (NAB's optimizer), scores every file at it and
     * normalises against the null detector and the perfect score. {@code scores.get(fileName)}
     * holds the per-row anomaly scores of that file.
     */
    public static BenchmarkResult score(
            NabCorpus corpus, Map<String, double[]> scores, NabProfile profile) {
        double threshold = optimizeThreshold(corpus, scores, profile).threshold();
        List<FileScore> files = scoreFiles(corpus, scores, threshold, profile);
        double raw = total(files);
        double nullScore = nullScore(corpus, profile);
        double perfect = perfectScore(corpus, profile);
        double normalized = 100 * (raw - nullScore) / (perfect - nullScore);
        return new BenchmarkResult(profile, threshold, raw, nullScore, perfect, normalized, files);
    }

    /**
     * NAB's {@code optimizeThreshold}: sweeps every distinct anomaly score of the corpus and
     * returns the threshold with the highest summed raw score (the highest such threshold on ties).
     */
    public static ThresholdScore optimizeThreshold(
            NabCorpus corpus, Map<String, double[]> scores, NabProfile profile) {
        List<AnomalyPoint> all = new ArrayList<>();
        int windowIdOffset = 0;
        for (NabFile file : corpus.files()) {
            double[] fileScores = scoresOf(scores, file);
            all.addAll(NabSweeper.sweepScores(file, fileScores, profile, windowIdOffset));
            windowIdOffset += file.windows().size();
        }
        return NabSweeper.best(NabSweeper.scoreByThreshold(all, profile));
    }

    /** Per-file scores at a fixed threshold, in corpus order. */
    public static List<FileScore> scoreFiles(
            NabCorpus corpus, Map<String, double[]> scores, double threshold, NabProfile profile) {
        List<FileScore> out = new ArrayList<>(corpus.size());
        for (NabFile file : corpus.files()) {
            out.add(scoreFile(file, scoresOf(scores, file), threshold, profile));
        }
        return out;
    }

    /**
     * Raw score of NAB's null detector (constant 0.5, threshold optimised like any detector), which
     * amounts to {@code -fnWeight} per scorable window.
     */
    public static double nullScore(NabCorpus corpus, NabProfile profile) {
        Map<String, double[]> constant = new HashMap<>();
        for (NabFile file : corpus.files()) {
            double[] s = new double[file.size()];
            Arrays.fill(s, NULL_DETECTOR_SCORE);
            constant.put(file.name(), s);
        }
        double threshold = optimizeThreshold(corpus, constant, profile).threshold();
        return total(scoreFiles(corpus, constant, threshold, profile));
    }

    /** NAB's runner: {@code tpWeight} times the number of windows in the label file. */
    public static double perfectScore(NabCorpus corpus, NabProfile profile) {
        return corpus.windowCount() * profile.tpWeight();
    }

    private static double total(List<FileScore> files) {
        double sum = 0;
        for (FileScore f : files) {
            sum += f.score();
        }
        return sum;
    }

    private static double[] scoresOf(Map<String, double[]> scores, NabFile file) {
        double[] s = scores.get(file.name());
        if (s == null) {
            throw new IllegalArgumentException("No anomaly scores for " + file.name());
        }
        validate(file, s);
        return s;
    }

    private static void validate(NabFile file, double[] anomalyScores) {
        if (anomalyScores.length != file.size()) {
            throw new IllegalArgumentException(
                    file.name()
                            + ": "
                            + anomalyScores.length
                            + " anomaly scores for "
                            + file.size()
                            + " rows");
        }
        for (int i = 0; i < anomalyScores.length; i++) {
            if (Double.isNaN(anomalyScores[i])) {
                throw new IllegalArgumentException(
                        file.name() + ": anomaly score of row " + i + " is NaN");
            }
        }
    }

    private static int count(boolean[] flags) {
        int n = 0;
        for (boolean f : flags) {
            n += f ? 1 : 0;
        }
        return n;
    }
}
