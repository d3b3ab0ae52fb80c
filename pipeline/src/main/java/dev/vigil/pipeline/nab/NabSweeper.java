package dev.vigil.pipeline.nab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Port of NAB's {@code nab/sweeper.py} (commit ea702d7): per-row NAB weights ({@code
 * calcSweepScore}) and the score of every threshold ({@code calcScoreByThreshold}).
 */
public final class NabSweeper {

    /** NAB's {@code probationaryPercent}. */
    public static final double PROBATIONARY_PERCENT = 0.15;

    /** Row is outside every window. */
    static final int OUTSIDE = -1;

    /** Row is in the probationary period (never scored). */
    static final int PROBATIONARY = -2;

    /** NAB starts the sweep above the highest possible anomaly score. */
    static final double START_THRESHOLD = 1.1;

    private NabSweeper() {}

    /** One row ready for threshold sweeping; {@code window} is a corpus-wide window id. */
    record AnomalyPoint(double anomalyScore, double sweepScore, int window) {}

    /** Standard logistic function. */
    public static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /**
     * NAB's {@code scaledSigmoid}: -1 (window start) → 0.98661, 0 (window end) → 0, 1 → -0.98661,
     * and -1 for anything more than 3 past the window.
     */
    public static double scaledSigmoid(double relativePositionInWindow) {
        if (relativePositionInWindow > 3.0) {
            return -1.0;
        }
        return 2 * sigmoid(-5 * relativePositionInWindow) - 1.0;
    }

    /** NAB: {@code min(floor(0.15 * rows), 0.15 * 5000)}, i.e. at most 750 rows. */
    public static int probationaryLength(int rows) {
        return (int) Math.min(Math.floor(PROBATIONARY_PERCENT * rows), PROBATIONARY_PERCENT * 5000);
    }

    /**
     * NAB's {@code calcSweepScore}: for every row the weight it earns if detected (tp credit in a
     * window, fp cost outside), tagged with its window id ({@code windowIdOffset + index}), {@link
     * #OUTSIDE} or {@link #PROBATIONARY}.
     */
    static List<AnomalyPoint> sweepScores(
            NabFile file, double[] anomalyScores, NabProfile profile, int windowIdOffset) {
        int probation = file.probationaryLength();
        double maxTp = scaledSigmoid(-1.0);
        List<NabWindow> windows = file.windows();
        List<AnomalyPoint> points = new ArrayList<>(file.size());
        int nextWindow = 0;
        NabWindow current = null;
        NabWindow previous = null;
        for (int i = 0; i < file.size(); i++) {
            if (nextWindow < windows.size() && i == windows.get(nextWindow).startIndex()) {
                current = windows.get(nextWindow++);
            }
            double weight =
                    current != null
                            ? truePositiveWeight(current, i, profile, maxTp)
                            : falsePositiveWeight(previous, i, profile);
            int window =
                    i < probation
                            ? PROBATIONARY
                            : current != null ? windowIdOffset + nextWindow - 1 : OUTSIDE;
            points.add(new AnomalyPoint(anomalyScores[i], weight, window));
            if (current != null && i == current.endIndex()) {
                previous = current;
                current = null;
            }
        }
        return points;
    }

    private static double truePositiveWeight(
            NabWindow window, int row, NabProfile profile, double maxTp) {
        double position = -(window.endIndex() - row + 1) / (double) window.width();
        return scaledSigmoid(position) * profile.tpWeight() / maxTp;
    }

    private static double falsePositiveWeight(NabWindow previous, int row, NabProfile profile) {
        double unweighted;
        if (previous == null) {
            unweighted = -1.0;
        } else {
            double positionPastWindow =
                    Math.abs(previous.endIndex() - row) / (double) (previous.width() - 1);
            unweighted = scaledSigmoid(positionPastWindow);
        }
        return unweighted * profile.fpWeight();
    }

    /**
     * NAB's {@code calcScoreByThreshold}: sweeps the scorable rows from the highest anomaly score
     * down and returns the score of every distinct threshold, highest threshold first (the first
     * entry has no detections).
     */
    static List<ThresholdScore> scoreByThreshold(List<AnomalyPoint> points, NabProfile profile) {
        List<AnomalyPoint> scorable = scorableByDescendingScore(points);
        Map<Integer, Integer> slotOfWindow = new HashMap<>();
        for (AnomalyPoint p : scorable) {
            if (p.window() != OUTSIDE) {
                slotOfWindow.putIfAbsent(p.window(), slotOfWindow.size());
            }
        }
        double[] windowParts = new double[slotOfWindow.size()];
        Arrays.fill(windowParts, -profile.fnWeight());
        double fpPart = 0;
        int tn = (int) scorable.stream().filter(p -> p.window() == OUTSIDE).count();
        int fn = scorable.size() - tn;
        int tp = 0;
        int fp = 0;
        int total = points.size();
        List<ThresholdScore> result = new ArrayList<>();
        double threshold = startThreshold(scorable);
        for (AnomalyPoint p : scorable) {
            if (p.anomalyScore() != threshold) {
                result.add(
                        new ThresholdScore(
                                threshold, sum(fpPart, windowParts), tp, tn, fp, fn, total));
                threshold = p.anomalyScore();
            }
            if (p.window() == OUTSIDE) {
                fp++;
                tn--;
                fpPart += p.sweepScore();
            } else {
                tp++;
                fn--;
                int slot = slotOfWindow.get(p.window());
                windowParts[slot] = Math.max(windowParts[slot], p.sweepScore());
            }
        }
        result.add(new ThresholdScore(threshold, sum(fpPart, windowParts), tp, tn, fp, fn, total));
        return result;
    }

    /**
     * NAB's optimiser: the threshold with the highest score; on ties the highest threshold
     * (Python's stable sort keeps the first).
     */
    static ThresholdScore best(List<ThresholdScore> scoresByThreshold) {
        ThresholdScore best = scoresByThreshold.get(0);
        for (ThresholdScore s : scoresByThreshold) {
            if (s.score() > best.score()) {
                best = s;
            }
        }
        return best;
    }

    private static List<AnomalyPoint> scorableByDescendingScore(List<AnomalyPoint> points) {
        List<AnomalyPoint> scorable = new ArrayList<>(points.size());
        for (AnomalyPoint p : points) {
            if (p.window() != PROBATIONARY) {
                scorable.add(p);
            }
        }
        // List.sort is stable, like Python's sorted(..., reverse=True).
        scorable.sort(Comparator.comparingDouble(AnomalyPoint::anomalyScore).reversed());
        return scorable;
    }

    /** 1.1 as in NAB, or just above the top score if a detector emits scores above 1.1. */
    private static double startThreshold(List<AnomalyPoint> scorableDescending) {
        if (scorableDescending.isEmpty()) {
            return START_THRESHOLD;
        }
        return Math.max(START_THRESHOLD, Math.nextUp(scorableDescending.get(0).anomalyScore()));
    }

    /** Same order as Python's {@code sum(scoreParts.values())}: fp first, then windows. */
    private static double sum(double fpPart, double[] windowParts) {
        double total = fpPart;
        for (double part : windowParts) {
            total += part;
        }
        return total;
    }
}
