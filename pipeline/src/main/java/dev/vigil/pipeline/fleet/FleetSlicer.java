package dev.vigil.pipeline.fleet;

import dev.vigil.common.model.MetricPoint;
import dev.vigil.pipeline.config.DetectionSettings;
import dev.vigil.pipeline.model.ScoredPoint;
import java.io.Serializable;
import java.util.function.Consumer;
import org.apache.flink.streaming.api.TimerService;

/**
 * Pre-aggregates the scored points of a device series per event-time slice of {@code fleet.slice}
 * into one {@link SeriesSlice}, for the two fleet detectors. Run by the scoring operator on the
 * series' state it has loaded anyway ({@link
 * dev.vigil.pipeline.detect.SeriesState#getFleetSlice()}, numbers only; the names are added when a
 * summary leaves), so a point costs no state access of its own, and the detectors shuffle one
 * record per series and slice instead of every point: the per-point serialization and key hashing
 * of those two shuffles were a fifth of the scoring chain's CPU, a separate summary operator's
 * state access another tenth ({@code bench/PROFILE.md}, round 4).
 *
 * <p>Series without a device ({@link FleetKeys#device}) take no part. The open slice's summary
 * leaves when the series' first point of a later slice arrives, or at the latest by its event-time
 * timer at slice end − 1 ({@link #isTimerOf}) — before the watermark that closes the slice
 * downstream, so the detectors see it in time — or when a SILENCE ends the series. A point of an
 * earlier slice (out of order) or of a slice the watermark has already closed leaves at once as a
 * one-point summary; the detectors merge the parts of a slice ({@link SeriesSlice#merge}), so the
 * result is what per-point input would give.
 */
public final class FleetSlicer implements Serializable {

    private static final long serialVersionUID = 1L;

    private final long sliceMs;
    private final boolean populationEnabled;
    private final String[] memberTags;

    public FleetSlicer(DetectionSettings s) {
        this.sliceMs = s.fleetSliceMs;
        this.populationEnabled = s.populationEnabled;
        this.memberTags = s.populationMemberTags;
    }

    /**
     * Folds a scored point of the series into its open slice, emitting to {@code out} what is
     * complete.
     *
     * @param open the series' open slice ({@code null} for none)
     * @return the series' open slice afterwards ({@code null} for none); {@code open} itself when
     *     unchanged or updated in place
     */
    public SeriesSlice observe(
            SeriesSlice open, ScoredPoint p, TimerService timers, Consumer<SeriesSlice> out) {
        String device = FleetKeys.device(p.getPoint());
        if (device == null) {
            return open;
        }
        long end = sliceEnd(p.timestamp());
        if (open != null && open.getSliceEnd() == end) {
            open.observe(p);
            return open;
        }
        if (end - 1 <= timers.currentWatermark() || (open != null && open.getSliceEnd() > end)) {
            SeriesSlice single = new SeriesSlice();
            single.setSliceEnd(end);
            single.observe(p);
            out.accept(identified(single, p.getPoint(), device));
            return open;
        }
        if (open != null) {
            out.accept(identified(open, p.getPoint(), device)); // a later slice began
        }
        SeriesSlice next = new SeriesSlice();
        next.setSliceEnd(end);
        next.observe(p);
        timers.registerEventTimeTimer(end - 1);
        return next;
    }

    /** Whether {@code timestamp} is the timer of the open slice {@code open}. */
    public static boolean isTimerOf(SeriesSlice open, long timestamp) {
        return open != null && open.getSliceEnd() - 1 == timestamp;
    }

    /**
     * The summary {@code open} ready to leave: identity, device and population key from {@code
     * identity} (a point of the series; its time and value are not used). {@code null} when the
     * series has no device.
     */
    public SeriesSlice identified(SeriesSlice open, MetricPoint identity) {
        String device = FleetKeys.device(identity);
        return device == null ? null : identified(open, identity, device);
    }

    private SeriesSlice identified(SeriesSlice s, MetricPoint identity, String device) {
        s.setSeriesId(identity.getSeriesId());
        s.setMeasurement(identity.getMeasurement());
        s.setField(identity.getField());
        s.setTags(identity.getTags());
        s.setDevice(device);
        s.setPopulation(populationEnabled ? FleetKeys.population(identity, memberTags) : null);
        return s;
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
