package dev.vigil.bench.jmh;

import dev.vigil.common.codec.EnvelopeCodec;
import dev.vigil.common.model.Envelope;
import dev.vigil.common.model.MetricPoint;
import dev.vigil.common.model.Reject;
import dev.vigil.pipeline.config.VigilConfig;
import dev.vigil.pipeline.config.VigilOptions;
import dev.vigil.pipeline.limits.PointGuard;
import java.time.Duration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
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
 * {@link PointGuard#checkPoints} per message with the default limits (10,000 series per device, 7
 * days), 5,000 known devices × 2 series, each device's topic string recurring, devices in a fixed
 * shuffled order, a message every 10 s per device. {@code formerTracker} is the same check with the
 * former series tracker ({@code LinkedHashMap} of boxed ids per device string), kept here as the
 * baseline; {@code timeRangeOnly} the guard without a series limit, the floor.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class GuardBenchmark {

    static final int DEVICES = 5_000;
    static final int POINTS_PER_MESSAGE = 2;

    private static final long T0 = 1_767_225_600_000L;

    private Envelope[] envelopes;
    private List<MetricPoint>[] points;
    private int[] order;
    private PointGuard guard;
    private PointGuard timeOnly;
    private FormerTracker former;
    private int next;

    @Setup(Level.Trial)
    @SuppressWarnings("unchecked")
    public void setUp() {
        envelopes = new Envelope[DEVICES];
        points = new List[DEVICES];
        for (int d = 0; d < DEVICES; d++) {
            String device = String.format("dev-%04d", d);
            envelopes[d] = Envelope.of("sensors/" + device + "/telemetry", "{}", T0);
            points[d] = List.of(point(device, "temperature"), point(device, "humidity"));
        }
        order = shuffled(DEVICES, new SplittableRandom(5));
        VigilConfig config = VigilConfig.defaults();
        guard = PointGuard.from(config);
        timeOnly =
                new PointGuard(
                        List.of(),
                        config.get(VigilOptions.MAX_FUTURE),
                        config.get(VigilOptions.MAX_AGE),
                        0,
                        Duration.ZERO);
        former =
                new FormerTracker(
                        config.get(VigilOptions.MAX_SERIES_PER_DEVICE),
                        config.get(VigilOptions.SERIES_TTL).toMillis(),
                        PointGuard.MAX_TRACKED_DEVICES);
        for (int i = 0; i < DEVICES; i++) { // every device known to both
            int d = nextDevice();
            if (guard.checkPoints(envelopes[d], points[d]) != null
                    || timeOnly.checkPoints(envelopes[d], points[d]) != null
                    || former.check(envelopes[d], points[d]) != null) {
                throw new IllegalStateException("a warm-up message was rejected");
            }
        }
    }

    @Benchmark
    public Reject current() {
        int d = nextDevice();
        return guard.checkPoints(envelopes[d], points[d]);
    }

    @Benchmark
    public Reject formerTracker() {
        int d = nextDevice();
        Reject reject = timeOnly.checkPoints(envelopes[d], points[d]);
        return reject != null ? reject : former.check(envelopes[d], points[d]);
    }

    /** The floor: the same messages through the time-range check only (no series limit). */
    @Benchmark
    public Reject timeRangeOnly() {
        int d = nextDevice();
        return timeOnly.checkPoints(envelopes[d], points[d]);
    }

    /** The next device in the fixed order; its envelope gets the receive time of this round. */
    private int nextDevice() {
        int i = next++;
        int d = order[i % DEVICES];
        envelopes[d].setReceivedAt(T0 + (i / DEVICES) * 10_000L);
        return d;
    }

    private static MetricPoint point(String device, String field) {
        return new MetricPoint("environment", new String[] {"device", device}, field, T0, 21.5);
    }

    private static int[] shuffled(int n, SplittableRandom random) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    /** {@code PointGuard.checkSeries} with the former {@code SeriesPerDeviceTracker}. */
    static final class FormerTracker {

        private final int maxSeries;
        private final long seriesTtlMs;
        private final int maxDevices;
        private final LinkedHashMap<String, LinkedHashMap<Long, Long>> devices =
                new LinkedHashMap<>(1024, 0.75f, true);
        private final HashSet<Long> scratch = new HashSet<>();

        FormerTracker(int maxSeries, long seriesTtlMs, int maxDevices) {
            this.maxSeries = maxSeries;
            this.seriesTtlMs = seriesTtlMs;
            this.maxDevices = maxDevices;
        }

        Reject check(Envelope envelope, List<MetricPoint> points) {
            String device = EnvelopeCodec.partitionKey(envelope.getTopic());
            long[] ids = new long[points.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = points.get(i).getSeriesId();
            }
            long now = envelope.getReceivedAt();
            if (countWith(device, ids, now) > maxSeries) {
                throw new IllegalStateException("not measured: the benchmark's devices fit");
            }
            admit(device, ids, now);
            return null;
        }

        private int countWith(String device, long[] seriesIds, long now) {
            LinkedHashMap<Long, Long> series = devices.get(device);
            if (series != null) {
                Iterator<Long> lastSeen = series.values().iterator();
                while (lastSeen.hasNext() && lastSeen.next() <= now - seriesTtlMs) {
                    lastSeen.remove();
                }
            }
            scratch.clear();
            for (long id : seriesIds) {
                if (series == null || !series.containsKey(id)) {
                    scratch.add(id);
                }
            }
            return (series == null ? 0 : series.size()) + scratch.size();
        }

        private void admit(String device, long[] seriesIds, long now) {
            LinkedHashMap<Long, Long> series =
                    devices.computeIfAbsent(device, d -> new LinkedHashMap<>(16, 0.75f, true));
            for (long id : seriesIds) {
                series.put(id, now);
            }
            Iterator<String> eldest = devices.keySet().iterator();
            while (devices.size() > maxDevices && eldest.hasNext()) {
                eldest.next();
                eldest.remove();
            }
        }
    }
}
