package dev.vigil.bench.jmh;

import dev.vigil.bench.BenchReport;
import dev.vigil.bench.Fmt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the JMH micro-benchmarks of this package (1 fork, 2 × 1 s warm-up, 3 × 1 s measurement, one
 * thread; the machine has 2 cores) and turns the results into a table. JMH's own JSON goes to
 * {@code bench/results/jmh-raw.json}. {@code -Dvigil.bench.jmh.include=REGEX} narrows the set.
 */
public final class JmhBenchmarks {

    private JmhBenchmarks() {}

    public static BenchReport run(Path repo) throws Exception {
        Path results = repo.resolve("bench").resolve("results");
        Files.createDirectories(results);
        Options options =
                new OptionsBuilder()
                        .include(
                                System.getProperty(
                                        "vigil.bench.jmh.include",
                                        JmhBenchmarks.class.getPackageName() + "\\..*Benchmark"))
                        .forks(1)
                        .threads(1)
                        .warmupIterations(2)
                        .warmupTime(TimeValue.seconds(1))
                        .measurementIterations(3)
                        .measurementTime(TimeValue.seconds(1))
                        .timeUnit(TimeUnit.NANOSECONDS)
                        .resultFormat(ResultFormatType.JSON)
                        .result(results.resolve("jmh-raw.json").toString())
                        .build();
        Collection<RunResult> runs = new Runner(options).run();
        return report(runs);
    }

    static BenchReport report(Collection<RunResult> runs) {
        BenchReport report =
                new BenchReport(
                        "jmh",
                        "Micro-benchmarks (JMH 1.37, 1 thread)",
                        "benchmark",
                        "per",
                        "ns/op",
                        "± (99.9%)",
                        "ops/s",
                        "ns/point");
        Map<String, Double> perMessage = new LinkedHashMap<>();
        perMessage.put("json", ParserBenchmark.pointsPerMessage("sensors/"));
        perMessage.put("lineProtocol", ParserBenchmark.pointsPerMessage("telegraf/"));
        perMessage.put("collectd", ParserBenchmark.pointsPerMessage("collectd/"));
        List<RunResult> sorted = new ArrayList<>(runs);
        sorted.sort((a, b) -> label(a).compareTo(label(b)));
        for (RunResult run : sorted) {
            Result<?> r = run.getPrimaryResult();
            String name = label(run);
            double pointsPerOp = pointsPerOp(name, perMessage);
            report.row(
                    name,
                    perMessage(name) ? "message" : "point",
                    Fmt.decimal(r.getScore(), 1),
                    Fmt.decimal(r.getScoreError(), 1),
                    Fmt.rate(1e9 / r.getScore()),
                    Fmt.decimal(r.getScore() / pointsPerOp, 1));
        }
        return report.note(
                        "parsers: one simulator message per op; points per message: JSON "
                                + Fmt.decimal(perMessage.get("json"), 2)
                                + ", line protocol "
                                + Fmt.decimal(perMessage.get("lineProtocol"), 2)
                                + ", collectd "
                                + Fmt.decimal(perMessage.get("collectd"), 2))
                .note(
                        "CEP: the pattern's CepOperator in a keyed test harness (heap state), one"
                                + " scored point per op, only the pattern's candidates reach the"
                                + " operator as in the job (outside the band; flatline: repeats of a"
                                + " varying run), 1024 series, watermark per 1024 points")
                .note(
                        "guard: PointGuard.checkPoints per message of 2 points, 5,000 known devices"
                                + " (formerTracker: the former LinkedHashMap series tracker, as baseline)")
                .note(
                        "codec: EnvelopeCodec.decode per transport record (JSON payload of 2"
                                + " points); the non-ASCII topic takes the strict UTF-8 decoder every"
                                + " topic went through before round 5 (baseline)")
                .note("1 fork, 2 × 1 s warm-up, 3 × 1 s measurement");
    }

    /** The parser, guard and codec benchmarks take whole messages. */
    private static boolean perMessage(String label) {
        return label.startsWith("ParserBenchmark")
                || label.startsWith("GuardBenchmark")
                || label.startsWith("CodecBenchmark");
    }

    /** Points per op: the parser and guard benchmarks take whole messages. */
    private static double pointsPerOp(String label, Map<String, Double> pointsPerMessage) {
        if (label.startsWith("GuardBenchmark") || label.startsWith("CodecBenchmark")) {
            return GuardBenchmark.POINTS_PER_MESSAGE;
        }
        for (Map.Entry<String, Double> e : pointsPerMessage.entrySet()) {
            if (label.equals("ParserBenchmark." + e.getKey())) {
                return e.getValue();
            }
        }
        return 1;
    }

    /** "CepBenchmark.processPoint [flatline]". */
    private static String label(RunResult run) {
        String benchmark = run.getParams().getBenchmark();
        String shortName =
                benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
        StringBuilder params = new StringBuilder();
        for (String key : run.getParams().getParamsKeys()) {
            params.append(params.length() == 0 ? " [" : ", ").append(run.getParams().getParam(key));
        }
        return params.length() == 0 ? shortName : shortName + params + "]";
    }
}
