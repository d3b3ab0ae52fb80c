package dev.vigil.pipeline.demo;

import dev.vigil.pipeline.model.Anomaly;
import dev.vigil.pipeline.model.AnomalyKind;
import dev.vigil.simulator.GroundTruth;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Detected anomalies against the simulator's ground truth. An anomaly is a true positive when its
 * series has an injected anomaly whose time range, widened by {@link #SLACK_MS} on both sides,
 * overlaps the anomaly's [start, end]; an injection is recalled when at least one anomaly matches
 * it.
 */
public final class DetectionReport {

    /**
     * Detections may start a little before (a silence starts at the last point seen) or end after
     * an injection.
     */
    public static final long SLACK_MS = 5 * 60_000;

    private final Map<String, int[]> injectedByKind =
            new TreeMap<>(); // kind → {injected, recalled}
    private final Map<AnomalyKind, int[]> detectedByKind =
            new EnumMap<>(AnomalyKind.class); // {detected, true}
    private final List<Anomaly> falsePositives = new ArrayList<>();
    private int injected;
    private int recalled;
    private int detected;
    private int truePositives;

    public DetectionReport(List<Anomaly> anomalies, GroundTruth truth) {
        Map<GroundTruth.Entry, Boolean> hit = new LinkedHashMap<>();
        for (GroundTruth.Entry e : truth.entries()) {
            hit.put(e, false);
        }
        for (Anomaly a : anomalies) {
            boolean matched = false;
            for (GroundTruth.Entry e : truth.forSeries(a.seriesKey())) {
                if (overlaps(a, e)) {
                    hit.put(e, true);
                    matched = true;
                }
            }
            int[] counts = detectedByKind.computeIfAbsent(a.getKind(), k -> new int[2]);
            counts[0]++;
            detected++;
            if (matched) {
                counts[1]++;
                truePositives++;
            } else {
                falsePositives.add(a);
            }
        }
        for (Map.Entry<GroundTruth.Entry, Boolean> e : hit.entrySet()) {
            int[] counts = injectedByKind.computeIfAbsent(e.getKey().getKind(), k -> new int[2]);
            counts[0]++;
            injected++;
            if (e.getValue()) {
                counts[1]++;
                recalled++;
            }
        }
    }

    private static boolean overlaps(Anomaly a, GroundTruth.Entry e) {
        return a.getStart() <= e.getEnd() + SLACK_MS && a.getEnd() >= e.getStart() - SLACK_MS;
    }

    /** Share of detected anomalies that match an injection (1 when nothing was detected). */
    public double precision() {
        return detected == 0 ? 1.0 : (double) truePositives / detected;
    }

    /** Share of injections that at least one anomaly matches (1 when nothing was injected). */
    public double recall() {
        return injected == 0 ? 1.0 : (double) recalled / injected;
    }

    public List<Anomaly> falsePositives() {
        return falsePositives;
    }

    /**
     * A text table: injected vs recalled per injected kind, detected vs true per detected kind, and
     * the totals.
     */
    public String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(
                String.format(
                        Locale.ROOT, "%-22s %9s %9s%n", "injected kind", "injected", "recalled"));
        injectedByKind.forEach(
                (kind, c) ->
                        sb.append(String.format(Locale.ROOT, "%-22s %9d %9d%n", kind, c[0], c[1])));
        sb.append(
                String.format(
                        Locale.ROOT, "%n%-22s %9s %9s%n", "detected kind", "detected", "matching"));
        detectedByKind.forEach(
                (kind, c) ->
                        sb.append(String.format(Locale.ROOT, "%-22s %9d %9d%n", kind, c[0], c[1])));
        sb.append(
                String.format(
                        Locale.ROOT,
                        "%nprecision %.3f (%d of %d detected match an injection), recall %.3f (%d of %d injections"
                                + " found)%n",
                        precision(),
                        truePositives,
                        detected,
                        recall(),
                        recalled,
                        injected));
        return sb.toString();
    }
}
