package dev.vigil.bench.jmh;

import dev.vigil.pipeline.config.DetectionSettings;
import dev.vigil.pipeline.detect.Detection;
import dev.vigil.pipeline.detect.RunningStats;
import dev.vigil.pipeline.detect.Score;
import dev.vigil.pipeline.detect.SeriesDetector;
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
 * {@link RunningStats#score} then {@link RunningStats#update} per point, and {@link
 * SeriesDetector#observe} per point (together, what the scoring operator does besides state access
 * and its outputs), over 1024 warm series of Gaussian noise with a rare spike.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class StatsBenchmark {

    static final int SERIES = 1024;
    static final int VALUES = 8192;

    private final DetectionSettings settings = DetectionSettings.defaults();
    private RunningStats[] stats;
    private SeriesDetector[] detectors;
    private double[] values;
    private long timestamp;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom random = new SplittableRandom(7);
        values = new double[VALUES];
        for (int i = 0; i < VALUES; i++) {
            values[i] = 50 + random.nextGaussian() * (i % 997 == 0 ? 20 : 1);
        }
        stats = new RunningStats[SERIES];
        timestamp = 1_767_225_600_000L;
        for (int s = 0; s < SERIES; s++) {
            stats[s] = new RunningStats();
            for (int i = 0; i < 200; i++) {
                stats[s].update(
                        values[(s + i * 31) & (VALUES - 1)], timestamp + i * 10_000L, settings);
            }
        }
        detectors = new SeriesDetector[SERIES];
        for (int s = 0; s < SERIES; s++) {
            detectors[s] = new SeriesDetector();
            for (int i = 0; i < 200; i++) {
                detectors[s].observe(
                        values[(s + i * 31) & (VALUES - 1)], timestamp + i * 10_000L, settings);
            }
        }
        timestamp += 200 * 10_000L;
    }

    /**
     * {@link SeriesDetector#observe} per point (the level, rate, CUSUM and seasonal detectors and
     * their calibration, which the scoring operator runs after {@link RunningStats#score}).
     */
    @Benchmark
    public Detection detectorObserve() {
        int i = next++;
        return detectors[i & (SERIES - 1)].observe(
                values[i & (VALUES - 1)], timestamp + (i >>> 10) * 10_000L, settings);
    }

    @Benchmark
    public Score scoreAndUpdate() {
        int i = next++;
        RunningStats s = stats[i & (SERIES - 1)];
        double value = values[i & (VALUES - 1)];
        Score score = s.score(value, settings);
        s.update(value, timestamp + (i >>> 10) * 10_000L, settings);
        return score;
    }
}
