package dev.vigil.bench.jmh;

import dev.vigil.common.model.MetricPoint;
import dev.vigil.pipeline.config.DetectionSettings;
import dev.vigil.pipeline.detect.RunningStats;
import dev.vigil.pipeline.detect.Score;
import dev.vigil.pipeline.model.ScoredPoint;
import dev.vigil.pipeline.sink.InfluxSchema;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Line-protocol encoding per point with the job's converters: {@link InfluxSchema.StatsConverter}
 * (a warm scored point: 3 tags + 2, 7 fields) and {@link InfluxSchema.RawConverter} (the raw point:
 * 2 tags, 1 field).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EncodingBenchmark {

    static final int POINTS = 1024;

    private final InfluxSchema.StatsConverter stats = new InfluxSchema.StatsConverter();
    private final InfluxSchema.RawConverter raw = new InfluxSchema.RawConverter();
    private ScoredPoint[] scored;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        scored = scoredPoints(POINTS);
    }

    /** Warm scored points of {@code n} cpu series (host, cpu tags). */
    static ScoredPoint[] scoredPoints(int n) {
        DetectionSettings settings = DetectionSettings.defaults();
        SplittableRandom random = new SplittableRandom(11);
        ScoredPoint[] points = new ScoredPoint[n];
        long t0 = 1_767_225_600_000L;
        for (int i = 0; i < n; i++) {
            RunningStats s = new RunningStats();
            for (int k = 0; k < 50; k++) {
                s.update(40 + random.nextGaussian(), t0 + k * 10_000L, settings);
            }
            double value = 40 + random.nextGaussian();
            MetricPoint p =
                    new MetricPoint(
                            "cpu",
                            new String[] {
                                "cpu",
                                "cpu-total",
                                "host",
                                String.format(Locale.ROOT, "host-%04d", i)
                            },
                            "usage_user",
                            t0 + 50 * 10_000L,
                            value);
            Score score = s.score(value, settings);
            ScoredPoint sp = new ScoredPoint();
            sp.setPoint(p);
            sp.setSeq(s.getCount() + 1);
            sp.setWarm(score.warm());
            sp.setMean(score.mean());
            sp.setStd(score.std());
            sp.setZ(score.z());
            sp.setP(score.p());
            sp.setSeverity(score.severity());
            sp.setLower(score.lower());
            sp.setUpper(score.upper());
            points[i] = sp;
        }
        return points;
    }

    @Benchmark
    public String statsLine() {
        return stats.apply(scored[next++ & (POINTS - 1)], null);
    }

    @Benchmark
    public String rawLine() {
        return raw.apply(scored[next++ & (POINTS - 1)].getPoint(), null);
    }
}
