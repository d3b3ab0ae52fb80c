package dev.vigil.bench.jmh;

import dev.vigil.common.model.MetricPoint;
import dev.vigil.pipeline.config.DetectionSettings;
import dev.vigil.pipeline.detect.RunningStats;
import dev.vigil.pipeline.detect.Score;
import dev.vigil.pipeline.model.Anomaly;
import dev.vigil.pipeline.model.ScoredPoint;
import dev.vigil.pipeline.patterns.FlatlinePattern;
import dev.vigil.pipeline.patterns.LevelShiftPattern;
import dev.vigil.pipeline.patterns.Patterns;
import dev.vigil.pipeline.patterns.SustainedDeviationPattern;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.BasicTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.nfa.compiler.NFACompiler;
import org.apache.flink.cep.operator.CepOperator;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One CEP pattern of the job per point: the pattern's {@link CepOperator} (event time, exactly as
 * {@code CEP.pattern(...).inEventTime()} builds it) in a keyed operator test harness on the heap
 * state backend, fed scored points of {@value #SERIES} series (Gaussian noise with excursions and
 * stuck runs, so partial matches exist); a watermark after every round of one point per series
 * (amortized into the per-point time, as is the operator's sorting buffer). As in the job ({@link
 * Patterns}), each pattern is only given its candidates (points outside the band; repeats of a
 * varying run for the flatline); the time is per scored point, candidates or not.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CepBenchmark {

    static final int SERIES = 1024;
    static final int ROUNDS = 128;
    static final long INTERVAL_MS = 10_000;
    static final long T0 = 1_767_225_600_000L;

    @Param({"sustained-deviation", "level-shift", "flatline"})
    public String pattern;

    private KeyedOneInputStreamOperatorTestHarness<Long, ScoredPoint, Anomaly> harness;
    private FilterFunction<ScoredPoint> candidates;
    private ScoredPoint[][] templates;
    private long index;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        DetectionSettings settings = DetectionSettings.defaults();
        templates = scoredSeries(settings);
        candidates =
                pattern.equals("flatline")
                        ? new Patterns.RepeatOfVaryingRun()
                        : new Patterns.OutsideBand();
        harness = harness(settings);
        harness.open();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        harness.close();
    }

    private KeyedOneInputStreamOperatorTestHarness<Long, ScoredPoint, Anomaly> harness(
            DetectionSettings s) throws Exception {
        Pattern<ScoredPoint, ScoredPoint> p;
        PatternProcessFunction<ScoredPoint, Anomaly> function;
        switch (pattern) {
            case "sustained-deviation":
                p = SustainedDeviationPattern.pattern(s);
                function = SustainedDeviationPattern.processFunction();
                break;
            case "level-shift":
                p = LevelShiftPattern.pattern(s);
                function = LevelShiftPattern.processFunction();
                break;
            case "flatline":
                p = FlatlinePattern.pattern(s);
                function = FlatlinePattern.processFunction(s);
                break;
            default:
                throw new IllegalArgumentException(pattern);
        }
        CepOperator<ScoredPoint, Long, Anomaly> operator =
                new CepOperator<>(
                        TypeInformation.of(ScoredPoint.class)
                                .createSerializer(new SerializerConfigImpl()),
                        false,
                        NFACompiler.compileFactory(p, false),
                        null,
                        p.getAfterMatchSkipStrategy(),
                        function,
                        null);
        return new KeyedOneInputStreamOperatorTestHarness<>(
                operator, ScoredPoint::seriesId, BasicTypeInfo.LONG_TYPE_INFO);
    }

    /** ROUNDS scored points per series, scored as the job does. */
    static ScoredPoint[][] scoredSeries(DetectionSettings settings) {
        SplittableRandom random = new SplittableRandom(3);
        ScoredPoint[][] out = new ScoredPoint[SERIES][ROUNDS];
        for (int s = 0; s < SERIES; s++) {
            RunningStats stats = new RunningStats();
            boolean runStartVaried = false;
            double level = 20 + s % 50;
            for (int r = 0; r < ROUNDS; r++) {
                double value = value(random, level, s, r);
                MetricPoint p =
                        new MetricPoint(
                                "sensor",
                                new String[] {"id", "s" + s},
                                "temperature",
                                T0 + r * INTERVAL_MS,
                                value);
                Score score = stats.score(value, settings);
                ScoredPoint sp = scored(p, stats, score);
                boolean repeat = stats.getCount() > 0 && value == stats.getLastValue();
                runStartVaried = repeat ? runStartVaried : sp.baselineVaries();
                sp.setRunLength(repeat ? (int) stats.getRepeatCount() + 1 : 1);
                sp.setRunStartVaried(runStartVaried);
                out[s][r] = sp;
                stats.update(value, p.getTimestamp(), settings);
            }
        }
        return out;
    }

    /** Noise; every 8th series has an excursion (rounds 60–69), every 16th a stuck run (90–109). */
    private static double value(SplittableRandom random, double level, int series, int round) {
        if (series % 16 == 3 && round >= 90 && round < 110) {
            return level;
        }
        double v = level + random.nextGaussian();
        return series % 8 == 5 && round >= 60 && round < 70 ? v + 8 : v;
    }

    private static ScoredPoint scored(MetricPoint point, RunningStats before, Score score) {
        ScoredPoint sp = new ScoredPoint();
        sp.setPoint(point);
        sp.setSeq(before.getCount() + 1);
        sp.setWarm(score.warm());
        sp.setMean(score.mean());
        sp.setStd(score.std());
        sp.setZ(score.z());
        sp.setP(score.p());
        sp.setSeverity(score.severity());
        sp.setLower(score.lower());
        sp.setUpper(score.upper());
        sp.setPreviousValue(before.previousValue());
        sp.setPreviousTimestamp(before.previousTimestamp());
        sp.setTypicalIntervalMs(before.getTypicalIntervalMs());
        return sp;
    }

    /** A copy of the template point at its position in the endless stream (time, seq advance). */
    private ScoredPoint pointAt(long i) {
        int series = (int) (i % SERIES);
        long round = i / SERIES;
        long lap = round / ROUNDS;
        ScoredPoint t = templates[series][(int) (round % ROUNDS)];
        long ts = T0 + round * INTERVAL_MS;
        MetricPoint tp = t.getPoint();
        MetricPoint p = new MetricPoint();
        p.setMeasurement(tp.getMeasurement());
        p.setTags(tp.getTags());
        p.setField(tp.getField());
        p.setSeriesId(tp.getSeriesId());
        p.setValue(tp.getValue());
        p.setTimestamp(ts);
        ScoredPoint sp = new ScoredPoint();
        sp.setPoint(p);
        sp.setSeq(t.getSeq() + lap * ROUNDS);
        sp.setWarm(t.isWarm());
        sp.setMean(t.getMean());
        sp.setStd(t.getStd());
        sp.setZ(t.getZ());
        sp.setP(t.getP());
        sp.setSeverity(t.getSeverity());
        sp.setLower(t.getLower());
        sp.setUpper(t.getUpper());
        sp.setPreviousValue(t.getPreviousValue());
        sp.setPreviousTimestamp(ts - INTERVAL_MS);
        sp.setTypicalIntervalMs(t.getTypicalIntervalMs());
        sp.setRunLength(t.getRunLength());
        sp.setRunStartVaried(t.isRunStartVaried());
        return sp;
    }

    @Benchmark
    public int processPoint() throws Exception {
        long i = index++;
        ScoredPoint p = pointAt(i);
        if (candidates.filter(p)) {
            harness.processElement(new StreamRecord<>(p, p.timestamp()));
        }
        if (i % SERIES == SERIES - 1) {
            harness.processWatermark(new Watermark(p.timestamp()));
            int emitted = harness.getOutput().size();
            harness.getOutput().clear();
            return emitted;
        }
        return 0;
    }
}
