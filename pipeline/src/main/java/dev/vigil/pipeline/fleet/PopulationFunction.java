package dev.vigil.pipeline.fleet;

import dev.vigil.common.model.MetricPoint;
import dev.vigil.pipeline.config.DetectionSettings;
import dev.vigil.pipeline.detect.GaussianTail;
import dev.vigil.pipeline.detect.Severity;
import dev.vigil.pipeline.model.Anomaly;
import dev.vigil.pipeline.model.AnomalyKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POPULATION (like Elastic's population jobs), keyed by metric ({@link FleetKeys#population}), over
 * the per-series slice summaries of {@link FleetSlicer} (their latest point).
 *
 * <p>At the end of every event-time slice of {@code fleet.slice} the members that reported in the
 * slice (latest timestamp ≥ slice start) form the population; with at least {@code
 * fleet.population.min-members} of them, their latest values give the median m and the robust fleet
 * σ = 1.4826·MAD. A latest value is one noisy point, so the scale of a member is {@code s = sqrt(σ²
 * + σ_own²)} with σ_own its scorer's σ: a member is an outlier when {@code |v − m| > k·s}; it is
 * flagged only when the deviation is <em>new</em>: the member was within k/2·s for {@code
 * fleet.population.stable-slices} consecutive slices before. Members that always differ (another
 * climate, a busier server) never build up those quiet slices and are never flagged; a flagged
 * member must come back within k/2 for that many slices before it can be flagged again (one anomaly
 * per excursion). A population with MAD 0 (e.g. a counter that is 0 everywhere) is not evaluated:
 * any difference would be infinitely many σ.
 *
 * <p>State: MapState "population-members" (series id → {@link PopulationMember}), one event-time
 * timer per open slice at slice end − 1; a member that has not reported for {@value
 * #FORGET_AFTER_SLICES} slices is removed at a slice evaluation, and the map has a TTL of {@code
 * state.series-ttl} for populations that stop reporting altogether.
 *
 * <p>Keying by metric concentrates all devices of a popular metric on one subtask: per slice that
 * subtask holds and sorts one value per device (O(n log n)). For fleets of thousands of devices per
 * metric this is still cheap (one value per device per minute), but the load is not spread; a
 * two-stage version (pre-aggregated quantile sketches per key group, merged per metric) would be
 * the next step.
 */
public class PopulationFunction extends KeyedProcessFunction<String, SeriesSlice, Anomaly> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(PopulationFunction.class);

    public static final String UID = "fleet-population";
    public static final String NAME = "fleet: population outliers (median/MAD)";
    public static final String COUNTER = "populationAnomalies";
    static final String MEMBERS_STATE = "population-members";
    static final int FORGET_AFTER_SLICES = 10;

    private final long sliceMs;
    private final double k;
    private final int stableSlices;
    private final int minMembers;
    private final long ttlMs;

    private transient MapState<Long, PopulationMember> members;
    private transient Counter anomalies;

    public PopulationFunction(DetectionSettings s) {
        this.sliceMs = s.fleetSliceMs;
        this.k = s.populationK;
        this.stableSlices = s.populationStableSlices;
        this.minMembers = s.populationMinMembers;
        this.ttlMs = s.seriesTtlMs;
    }

    @Override
    public void open(OpenContext openContext) {
        MapStateDescriptor<Long, PopulationMember> descriptor =
                new MapStateDescriptor<>(
                        MEMBERS_STATE, Types.LONG, TypeInformation.of(PopulationMember.class));
        descriptor.enableTimeToLive(DeviceScoreFunction.ttl(ttlMs));
        members = getRuntimeContext().getMapState(descriptor);
        anomalies = getRuntimeContext().getMetricGroup().counter(COUNTER);
    }

    @Override
    public void processElement(SeriesSlice s, Context ctx, Collector<Anomaly> out)
            throws Exception {
        if (!takes(s)) {
            return;
        }
        PopulationMember member = members.get(s.getSeriesId());
        if (member == null) {
            member = PopulationMember.of(s);
        } else {
            member.observe(s);
        }
        members.put(s.getSeriesId(), member);
        long timer = s.getSliceEnd() - 1;
        if (timer > ctx.timerService().currentWatermark()) {
            ctx.timerService().registerEventTimeTimer(timer);
        }
    }

    /** Whether this detector reads {@code s} (only slices with a finite latest value count). */
    static boolean takes(SeriesSlice s) {
        return s != null && s.hasLatest() && Double.isFinite(s.getLatestValue());
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Anomaly> out)
            throws Exception {
        long end = timestamp + 1;
        List<Map.Entry<Long, PopulationMember>> reporting = reportingMembers(end);
        if (reporting.size() >= minMembers) {
            evaluate(ctx.getCurrentKey(), reporting, out);
        }
    }

    /** Members that reported since the slice start; forgets long-silent ones. */
    private List<Map.Entry<Long, PopulationMember>> reportingMembers(long end) throws Exception {
        long start = end - sliceMs;
        long forgetBefore = end - FORGET_AFTER_SLICES * sliceMs;
        List<Map.Entry<Long, PopulationMember>> reporting = new ArrayList<>();
        List<Long> forgotten = new ArrayList<>();
        for (Map.Entry<Long, PopulationMember> e : members.entries()) {
            long ts = e.getValue().getTimestamp();
            if (ts >= start) {
                reporting.add(Map.entry(e.getKey(), e.getValue()));
            } else if (ts < forgetBefore) {
                forgotten.add(e.getKey());
            }
        }
        for (Long id : forgotten) {
            members.remove(id);
        }
        return reporting;
    }

    private void evaluate(
            String population,
            List<Map.Entry<Long, PopulationMember>> reporting,
            Collector<Anomaly> out)
            throws Exception {
        double[] values = reporting.stream().mapToDouble(e -> e.getValue().getValue()).toArray();
        double median = FleetMath.median(values);
        double sigma = FleetMath.MAD_TO_SIGMA * FleetMath.mad(values, median);
        if (!(sigma > 0) || !Double.isFinite(sigma)) {
            return;
        }
        for (Map.Entry<Long, PopulationMember> e : reporting) {
            PopulationMember member = e.getValue();
            int quietBefore = member.getQuietSlices();
            double scale = Math.hypot(sigma, member.getStd());
            double deviation = Math.abs(member.getValue() - median) / scale;
            if (deviation > k && member.getQuietSlices() >= stableSlices) {
                out.collect(toAnomaly(member, median, sigma, scale, deviation, values.length));
                anomalies.inc();
                LOG.debug("POPULATION {}: {} σ", population, deviation);
                member.setQuietSlices(0);
            } else if (deviation <= k / 2) {
                member.setQuietSlices(Math.min(stableSlices, member.getQuietSlices() + 1));
            } else {
                member.setQuietSlices(0);
            }
            if (member.getQuietSlices() != quietBefore) {
                // unchanged members are not written again (RocksDB: a put per member and slice)
                members.put(e.getKey(), member);
            }
        }
    }

    private Anomaly toAnomaly(
            PopulationMember member,
            double median,
            double sigma,
            double scale,
            double deviation,
            int size) {
        MetricPoint point = member.toPoint();
        Anomaly a = Anomaly.of(AnomalyKind.POPULATION, point);
        a.setStart(member.getTimestamp());
        a.setEnd(member.getTimestamp());
        a.setSeverity(Severity.fromLog10P(GaussianTail.log10P(deviation)));
        a.setObserved(member.getValue());
        a.setExpected(median);
        a.setLower(median - k * scale);
        a.setUpper(median + k * scale);
        a.setDescription(
                String.format(
                        Locale.ROOT,
                        "%s %s %s is far from the fleet: %.1f σ from the median %s of %d devices"
                                + " (fleet σ = 1.4826·MAD = %s, own σ = %s)",
                        FleetKeys.device(point),
                        member.getField(),
                        number(member.getValue()),
                        deviation,
                        number(median),
                        size,
                        number(sigma),
                        number(member.getStd())));
        return a;
    }

    private static String number(double v) {
        double a = Math.abs(v);
        return a == 0 || (a >= 0.1 && a < 1e6)
                ? String.format(Locale.ROOT, "%.1f", v)
                : String.format(Locale.ROOT, "%.3g", v);
    }
}
