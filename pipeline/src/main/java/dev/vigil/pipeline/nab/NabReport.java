package dev.vigil.pipeline.nab;

import java.util.List;
import java.util.Locale;

/** Plain-text tables of NAB results. */
public final class NabReport {

    private NabReport() {}

    /** One line per profile: threshold, raw/null/perfect scores and the normalised NAB score. */
    public static String profileTable(List<BenchmarkResult> results) {
        StringBuilder sb = new StringBuilder();
        sb.append(
                String.format(
                        Locale.ROOT,
                        "%-20s %12s %12s %10s %10s %10s%n",
                        "Profile",
                        "Threshold",
                        "Raw",
                        "Null",
                        "Perfect",
                        "NAB score"));
        for (BenchmarkResult r : results) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "%-20s %12.6f %12.4f %10.4f %10.4f %10.2f%n",
                            r.profile().name(),
                            r.threshold(),
                            r.rawScore(),
                            r.nullScore(),
                            r.perfectScore(),
                            r.normalizedScore()));
        }
        return sb.toString();
    }

    /** One line per file of one profile's result, with NAB's row counts and windows hit. */
    public static String fileTable(BenchmarkResult result) {
        int nameWidth =
                result.files().stream().mapToInt(f -> f.file().length()).max().orElse(4) + 2;
        String header = "%-" + nameWidth + "s %10s %8s %6s %6s %6s %6s %7s%n";
        String row = "%-" + nameWidth + "s %10.4f %8s %6d %6d %6d %6d %7d%n";
        String total = "%-" + nameWidth + "s %10.4f%n";
        StringBuilder sb = new StringBuilder();
        sb.append(
                String.format(
                        Locale.ROOT,
                        "Profile %s, threshold %.6f%n",
                        result.profile().name(),
                        result.threshold()));
        sb.append(
                String.format(
                        Locale.ROOT,
                        header,
                        "File",
                        "Score",
                        "Windows",
                        "TP",
                        "FP",
                        "FN",
                        "TN",
                        "Rows"));
        for (FileScore f : result.files()) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            row,
                            f.file(),
                            f.score(),
                            f.detectedWindows() + "/" + f.windows(),
                            f.tp(),
                            f.fp(),
                            f.fn(),
                            f.tn(),
                            f.totalCount()));
        }
        sb.append(
                String.format(
                        Locale.ROOT,
                        total,
                        "Total",
                        result.files().stream().mapToDouble(FileScore::score).sum()));
        return sb.toString();
    }
}
