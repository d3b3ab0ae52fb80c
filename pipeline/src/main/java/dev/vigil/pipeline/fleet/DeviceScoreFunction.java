package dev.vigil.pipeline.fleet;

import dev.vigil.pipeline.config.DetectionSettings;
import dev.vigil.pipeline.detect.Severity;
import dev.vigil.pipeline.model.Anomaly;
import dev.vigil.pipeline.model.AnomalyKind;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyContext;
import org.apache.flink.streaming.api.operators.TimestampedCollector;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DEVICE ("is this machine acting weird"), keyed by device ({@link FleetKeys#device}), over the
 * per-series slice summaries of {@link FleetSlicer}.
 *
 * <p>Per event-time slice of {@code fleet.slice}: every warm metric of the device contributes the
 * tail probability of its most deviating point in the slice, Šidák-corrected for the number of
 * points it had ({@code 1 − (1 − p_min)^n}, so a metric with many points is not favoured). The k
 * probabilities are combined with Fisher's method ({@code −2 Σ ln p ~ χ²₂ₖ}). The device is flagged
 * when the combined p is below {@code fleet.device.epsilon} <em>and</em> at least {@code
 * fleet.device.min-metrics} metrics were outside their band in the slice — one metric alone is
 * already reported by the per-series detectors.
 *
 * <p>One anomaly per excursion: a flagged slice right after a slice in which the device was still
 * deviating (at least one metric outside its band) continues the excursion and emits nothing. The
 * anomaly carries the series of the most deviating metric (so it matches that series' ground
 * truth), start/end = the earliest/latest worst point of the contributing metrics, severity from
 * the combined p, and names the contributing metrics.
 *
 * <p>State: MapState "device-slices" (slice end → {@link DeviceSlice}, one entry per open slice,
 * removed by the slice's event-time timer, which is registered at {@code slice end − 1}) and
 * ValueState "device-deviating-slice" (end of the last slice in which the device deviated) with a
 * TTL of {@code state.series-ttl}. A point of a slice whose timer has already fired (behind this
 * operator's watermark) is dropped and counted ({@value #LATE_COUNTER}).
 *
 * <p>In the job the function runs in a {@link DeviceScoreOperator}, which keeps the open slices on
 * the heap instead ({@link #keepOpenSlices}): a slice summary updates its device's open slice in a
 * table of the subtask, the watermark closes the slices it has passed, and only the slices still
 * open at a checkpoint barrier are written to "device-slices" (with their timer), so a checkpoint
 * holds what it held before. Round 10: on RocksDB the per-summary read and write of the map entry
 * and its timer were a quarter of the job's CPU ({@code bench/PROFILE.md}).
 */
public class DeviceScoreFunction extends KeyedProcessFunction<String, SeriesSlice, Anomaly> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DeviceScoreFunction.class);

    public static final String UID = "fleet-device-score";
    public static final String NAME = "fleet: device score (Fisher)";
    public static final String COUNTER = "deviceAnomalies";
    public static final String LATE_COUNTER = "deviceLatePoints";
    static final String SLICES_STATE = "device-slices";
    static final String DEVIATING_STATE = "device-deviating-slice";

    /** Entries RocksDB's compaction filter processes before it refreshes the current time. */
    static final long ROCKSDB_TTL_QUERY_ENTRIES = 1000L;

    /** Metrics named in a description. */
    private static final int DESCRIBED_METRICS = 5;

    private final long sliceMs;
    private final double lnEpsilon;
    private final int minMetrics;
    private final long ttlMs;
    private final String[] memberTags;

    private transient MapStateDescriptor<Long, DeviceSlice> slicesDescriptor;
    private transient MapState<Long, DeviceSlice> slices;

    /** The open slices on the heap ({@link #keepOpenSlices}), or null: in the keyed state. */
    private transient OpenDeviceSlices open;

    /** The backend keeps the objects it is given (heap): what it is given must not change. */
    private transient boolean copyOnWrite;

    private transient ValueState<Long> lastDeviatingSlice;
    private transient Counter anomalies;
    private transient Counter latePoints;

    public DeviceScoreFunction(DetectionSettings s) {
        this.sliceMs = s.fleetSliceMs;
        this.lnEpsilon = Math.log(s.deviceEpsilon);
        this.minMetrics = s.deviceMinMetrics;
        this.ttlMs = s.seriesTtlMs;
        this.memberTags = s.populationMemberTags;
    }

    @Override
    public void open(OpenContext openContext) {
        slicesDescriptor =
                new MapStateDescriptor<>(
                        SLICES_STATE, Types.LONG, TypeInformation.of(DeviceSlice.class));
        slices = getRuntimeContext().getMapState(slicesDescriptor);
        ValueStateDescriptor<Long> deviating =
                new ValueStateDescriptor<>(DEVIATING_STATE, Types.LONG);
        deviating.enableTimeToLive(ttl(ttlMs));
        lastDeviatingSlice = getRuntimeContext().getState(deviating);
        anomalies = getRuntimeContext().getMetricGroup().counter(COUNTER);
        latePoints = getRuntimeContext().getMetricGroup().counter(LATE_COUNTER);
    }

    @Override
    public void processElement(SeriesSlice s, Context ctx, Collector<Anomaly> out)
            throws Exception {
        if (!takes(s)) {
            return;
        }
        long end = s.getSliceEnd();
        long timer = end - 1;
        if (timer <= ctx.timerService().currentWatermark()) {
            latePoints.inc(s.getWarmPoints());
            return;
        }
        if (open != null) {
            String device = ctx.getCurrentKey();
            OpenDeviceSlices.Open o = open.get(device, end);
            if (o == null) {
                o = open.add(device, end, new DeviceSlice());
            }
            o.slice.observe(s);
            o.dirty = true;
            return;
        }
        DeviceSlice slice = slices.get(end);
        if (slice == null) {
            slice = new DeviceSlice();
            ctx.timerService().registerEventTimeTimer(timer);
        }
        slice.observe(s);
        slices.put(end, slice);
    }

    /**
     * From now on the open slices are kept on the heap ({@link OpenDeviceSlices}); the ones in the
     * keyed state (restored, from a checkpoint or an older savepoint) are taken into the table.
     * Called by {@link DeviceScoreOperator#open}.
     */
    void keepOpenSlices(KeyedStateBackend<String> backend, KeyContext keys) throws Exception {
        open = new OpenDeviceSlices();
        copyOnWrite = !backend.isSafeToReuseKVState();
        List<String> devices;
        try (Stream<String> restored = backend.getKeys(SLICES_STATE, VoidNamespace.INSTANCE)) {
            devices = restored.collect(Collectors.toList());
        }
        for (String device : devices) {
            keys.setCurrentKey(device);
            for (Map.Entry<Long, DeviceSlice> e : slices.entries()) {
                open.add(device, e.getKey(), ownCopy(e.getValue())).inState = true;
            }
        }
    }

    /**
     * Evaluates the open slices the watermark has passed (in the order of their ends, with each
     * one's device as the current key and {@code slice end − 1} as the anomaly's timestamp) and
     * removes the ones written to the keyed state, with their timer. Called by {@link
     * DeviceScoreOperator#processWatermark} before the timers at the watermark fire.
     */
    void closeOpenSlices(
            long watermark, KeyContext keys, TimerService timers, TimestampedCollector<Anomaly> out)
            throws Exception {
        if (open == null) {
            return;
        }
        List<OpenDeviceSlices.Open> due = open.closeUpTo(watermark);
        if (due.isEmpty()) {
            return;
        }
        Object current = keys.getCurrentKey();
        for (OpenDeviceSlices.Open o : due) {
            keys.setCurrentKey(o.device);
            out.setAbsoluteTimestamp(o.end - 1);
            evaluate(o.device, o.end, o.slice, out);
            if (o.inState) {
                slices.remove(o.end);
                timers.deleteEventTimeTimer(o.end - 1);
            }
        }
        if (current != null) {
            keys.setCurrentKey(current);
        }
    }

    /**
     * Writes the open slices changed since their last write to the keyed state, each with the timer
     * that evaluates it after a restore. Called before every checkpoint barrier.
     */
    void flushOpenSlices(KeyContext keys, TimerService timers) throws Exception {
        if (open == null || open.size() == 0) {
            return;
        }
        Object current = keys.getCurrentKey();
        for (OpenDeviceSlices.Open o : open.dirty()) {
            keys.setCurrentKey(o.device);
            slices.put(o.end, ownCopy(o.slice));
            if (!o.inState) {
                timers.registerEventTimeTimer(o.end - 1);
                o.inState = true;
            }
            o.dirty = false;
        }
        if (current != null) {
            keys.setCurrentKey(current);
        }
    }

    /** Open slices on the heap (for tests). */
    int openSlices() {
        return open == null ? 0 : open.size();
    }

    /**
     * {@code slice}, or a copy when the backend keeps the objects it is given or hands out (heap):
     * the table changes its slices in place, which a running asynchronous snapshot must not see.
     */
    private DeviceSlice ownCopy(DeviceSlice slice) {
        return copyOnWrite ? slicesDescriptor.getValueSerializer().copy(slice) : slice;
    }

    /** Whether this detector reads {@code s} (only slices with warm points count). */
    static boolean takes(SeriesSlice s) {
        return s != null && s.getWarmPoints() != 0;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Anomaly> out)
            throws Exception {
        long end = timestamp + 1;
        DeviceSlice slice = slices.get(end);
        if (slice != null) {
            evaluate(ctx.getCurrentKey(), end, slice, out);
        }
        slices.remove(end);
    }

    private void evaluate(String device, long end, DeviceSlice slice, Collector<Anomaly> out)
            throws Exception {
        MetricDeviation[] metrics = slice.getMetrics();
        MetricDeviation[] outside =
                Arrays.stream(metrics)
                        .filter(MetricDeviation::outsideBand)
                        .sorted(Comparator.comparingDouble(m -> -Math.abs(m.getZ())))
                        .toArray(MetricDeviation[]::new);
        if (outside.length == 0) {
            return; // not deviating: an excursion (if any) is over
        }
        Long previous = lastDeviatingSlice.value();
        boolean continuing = previous != null && previous == end - sliceMs;
        lastDeviatingSlice.update(end);
        double lnCombined = lnCombinedP(metrics);
        if (outside.length < minMetrics || lnCombined >= lnEpsilon || continuing) {
            return;
        }
        out.collect(toAnomaly(device, metrics.length, outside, lnCombined, memberTags));
        anomalies.inc();
        LOG.debug("DEVICE {}: ln p = {}", device, lnCombined);
    }

    /** ln of the Fisher-combined p of the slice's metrics. */
    static double lnCombinedP(MetricDeviation[] metrics) {
        double[] lnP = new double[metrics.length];
        for (int i = 0; i < metrics.length; i++) {
            lnP[i] = metrics[i].lnSlicePValue();
        }
        return FleetMath.lnFisherCombined(lnP);
    }

    private static Anomaly toAnomaly(
            String device,
            int metricCount,
            MetricDeviation[] outside,
            double lnCombined,
            String[] memberTags) {
        MetricDeviation worst = outside[0];
        Anomaly a = Anomaly.of(AnomalyKind.DEVICE, worst.toPoint());
        a.setStart(Arrays.stream(outside).mapToLong(MetricDeviation::getTimestamp).min().orElse(0));
        a.setEnd(Arrays.stream(outside).mapToLong(MetricDeviation::getTimestamp).max().orElse(0));
        double log10Combined = FleetMath.log10FromLn(lnCombined);
        a.setSeverity(Severity.fromLog10P(log10Combined));
        a.setObserved(worst.getValue());
        a.setExpected(worst.getExpected());
        a.setLower(worst.getLower());
        a.setUpper(worst.getUpper());
        a.setDescription(describe(device, metricCount, outside, log10Combined, memberTags));
        return a;
    }

    static String describe(
            String device,
            int metricCount,
            MetricDeviation[] outside,
            double log10Combined,
            String[] memberTags) {
        StringBuilder sb = new StringBuilder();
        sb.append(device)
                .append(" acting unusual: ")
                .append(outside.length)
                .append(" of ")
                .append(metricCount)
                .append(" metrics deviate together (");
        for (int i = 0; i < Math.min(outside.length, DESCRIBED_METRICS); i++) {
            MetricDeviation m = outside[i];
            sb.append(i == 0 ? "" : ", ")
                    .append(
                            FleetKeys.metricLabel(
                                    m.getMeasurement(), m.getTags(), m.getField(), memberTags))
                    .append(String.format(Locale.ROOT, " z=%.1f", m.getZ()));
        }
        if (outside.length > DESCRIBED_METRICS) {
            sb.append(", …");
        }
        return sb.append("), combined p=").append(probability(log10Combined)).toString();
    }

    /** {@code 3.2e-09}, or {@code 1e-412} where a double underflows. */
    static String probability(double log10P) {
        if (log10P == Double.NEGATIVE_INFINITY) {
            return "0";
        }
        return log10P > -300
                ? String.format(Locale.ROOT, "%.1e", Math.pow(10, log10P))
                : String.format(Locale.ROOT, "1e%.0f", log10P);
    }

    /**
     * TTL of the fleet states: expired entries are never returned, dropped from full snapshots and
     * by RocksDB compaction. No incremental (on-access) cleanup in the background: on the heap
     * backend it visits other keys' entries on every access and copies a whole MapState value (all
     * members of a population) per visited key — the top of the job's profile (see {@code
     * bench/PROFILE.md}).
     */
    static StateTtlConfig ttl(long ttlMs) {
        return StateTtlConfig.newBuilder(Duration.ofMillis(ttlMs))
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .disableCleanupInBackground()
                .cleanupFullSnapshot()
                .cleanupInRocksdbCompactFilter(ROCKSDB_TTL_QUERY_ENTRIES)
                .build();
    }
}
