package dev.vigil.pipeline.fleet;

import dev.vigil.pipeline.config.DetectionSettings;
import dev.vigil.pipeline.detect.Severity;
import dev.vigil.pipeline.model.Anomaly;
import dev.vigil.pipeline.model.AnomalyKind;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
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

    private transient MapState<Long, DeviceSlice> slices;
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
        slices =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        SLICES_STATE,
                                        Types.LONG,
                                        TypeInformation.of(DeviceSlice.class)));
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
        DeviceSlice slice = slices.get(end);
        if (slice == null) {
            slice = new DeviceSlice();
            ctx.timerService().registerEventTimeTimer(timer);
        }
        slice.observe(s);
        slices.put(end, slice);
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
