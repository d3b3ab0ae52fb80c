package dev.vigil.pipeline.fleet;

import dev.vigil.pipeline.config.DetectionSettings;
import dev.vigil.pipeline.model.ScoredPoint;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Pre-aggregates the scored points of each device series per event-time slice of {@code
 * fleet.slice} into one {@link SeriesSlice}, keyed by series (chained to the scoring operator, no
 * shuffle). The two fleet detectors then shuffle one record per series and slice instead of every
 * point — the per-point serialization and key hashing of those two shuffles were a fifth of the
 * scoring chain's CPU ({@code bench/PROFILE.md}, round 4).
 *
 * <p>Series without a device ({@link FleetKeys#device}) are skipped. The summary of the open slice
 * is emitted when the series' first point of a later slice arrives, or at the latest by its
 * event-time timer at slice end − 1 — before the watermark that closes the slice downstream, so the
 * detectors see it in time. A point of an earlier slice (out of order) or of a slice this
 * operator's watermark has already closed goes out at once as a one-point summary (counter {@value
 * #COUNTER_OUT_OF_ORDER}); the detectors merge the parts of a slice ({@link SeriesSlice#merge}), so
 * the result is what per-point input would give.
 *
 * <p>State: ValueState {@value #STATE_NAME}, the open slice's summary, cleared by its timer (or
 * replaced by the next slice's, whose timer clears that one); no TTL needed. Without points no
 * slice is open and nothing is kept.
 */
public class SeriesSliceFunction extends KeyedProcessFunction<Long, ScoredPoint, SeriesSlice> {

    private static final long serialVersionUID = 1L;

    public static final String UID = "fleet-series-slices";
    public static final String NAME = "fleet: slice summary per series";
    public static final String COUNTER_OUT_OF_ORDER = "fleetSingletonSlices";
    static final String STATE_NAME = "fleet-open-slice";

    private final long sliceMs;
    private final boolean populationEnabled;
    private final String[] memberTags;

    private transient ValueState<SeriesSlice> openSlice;
    private transient Counter singletons;

    public SeriesSliceFunction(DetectionSettings s) {
        this.sliceMs = s.fleetSliceMs;
        this.populationEnabled = s.populationEnabled;
        this.memberTags = s.populationMemberTags;
    }

    @Override
    public void open(OpenContext openContext) {
        openSlice =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        STATE_NAME, TypeInformation.of(SeriesSlice.class)));
        singletons = getRuntimeContext().getMetricGroup().counter(COUNTER_OUT_OF_ORDER);
    }

    @Override
    public void processElement(ScoredPoint p, Context ctx, Collector<SeriesSlice> out)
            throws Exception {
        if (p == null || p.getPoint() == null) {
            return;
        }
        String device = FleetKeys.device(p);
        if (device == null) {
            return;
        }
        long end = sliceEnd(p.timestamp());
        SeriesSlice open = openSlice.value();
        if (open != null && open.getSliceEnd() == end) {
            open.observe(p);
            openSlice.update(open);
            return;
        }
        if (end - 1 <= ctx.timerService().currentWatermark()
                || (open != null && open.getSliceEnd() > end)) {
            out.collect(single(p, device, end));
            singletons.inc();
            return;
        }
        if (open != null) {
            out.collect(open); // a later slice began: this one is complete for this series
        }
        SeriesSlice next = SeriesSlice.open(p, device, populationKey(p), end);
        next.observe(p);
        openSlice.update(next);
        ctx.timerService().registerEventTimeTimer(end - 1);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<SeriesSlice> out)
            throws Exception {
        SeriesSlice open = openSlice.value();
        if (open != null && open.getSliceEnd() - 1 == timestamp) {
            out.collect(open);
            openSlice.clear();
        }
    }

    private SeriesSlice single(ScoredPoint p, String device, long end) {
        SeriesSlice s = SeriesSlice.open(p, device, populationKey(p), end);
        s.observe(p);
        return s;
    }

    private String populationKey(ScoredPoint p) {
        return populationEnabled ? FleetKeys.population(p, memberTags) : null;
    }

    /** For tests (the harness runs this very instance). */
    long singletonCount() {
        return singletons.getCount();
    }

    /** End (exclusive) of the slice containing {@code ts}. */
    long sliceEnd(long ts) {
        return sliceEndOf(ts, sliceMs);
    }

    /** End (exclusive) of the slice of {@code sliceMs} containing {@code ts}, saturated. */
    static long sliceEndOf(long ts, long sliceMs) {
        long start = Math.floorDiv(ts, sliceMs) * sliceMs;
        return start > Long.MAX_VALUE - sliceMs ? Long.MAX_VALUE : start + sliceMs;
    }
}
