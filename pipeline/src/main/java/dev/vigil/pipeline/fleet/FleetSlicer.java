package dev.vigil.pipeline.fleet;

import dev.vigil.common.model.MetricPoint;
import dev.vigil.pipeline.config.DetectionSettings;
import dev.vigil.pipeline.model.ScoredPoint;
import java.io.Serializable;
import java.util.function.Consumer;

/**
 * Pre-aggregates the scored points of a device series per event-time slice of {@code fleet.slice}
 * into one {@link SeriesSlice}, for the two fleet detectors, so they shuffle one record per series
 * and slice instead of every point (the per-point serialization and key hashing of those two
 * shuffles were a fifth of the scoring chain's CPU; {@code bench/PROFILE.md}, round 4).
 *
 * <p>Run by the scoring operator ({@link dev.vigil.pipeline.detect.ScoringOperator}), which owns
 * one slicer per subtask. The open slices are not keyed state but a table of this subtask ({@link
 * OpenSlices}), in the manner of Flink's mini-batch pre-aggregation: they are closed as a whole
 * when the watermark reaches their last millisecond ({@link #closeUpTo}, before the operator
 * forwards that watermark, so the detectors downstream see them before they close the slice) and
 * before every checkpoint barrier ({@link #closeAll}), so nothing of them needs to be in a
 * checkpoint. No timer per series and slice, no state of its own (round 5: the per-series slice
 * timers were most of the slicer's cost, and its open slice 60 bytes of every series' state). The
 * table costs heap instead: one summary per device series that reported in the open slice (≈ 100
 * bytes, plus the names it shares with the series' latest point and those names encoded for the
 * fleet shuffles, ≈ 20 bytes plus the names' length), freed when the slice closes. A slice that
 * opens while the series' previous one is still open takes that one's identity, keys and encoded
 * names (round 7: encoding the names per slice and shuffle was most of the slices' way out).
 *
 * <p>Series without a device ({@link FleetKeys#device}) take no part. An open slice also closes
 * when its series' first point of a later slice arrives. A point of an earlier slice than its
 * series' open one (out of order), or of a slice the watermark has already closed, leaves at once
 * as a one-point summary. The detectors merge the parts of a slice (see {@link SeriesSlice}), so a
 * slice closed early by a checkpoint and continued afterwards gives the same result as per-point
 * input.
 */
public final class FleetSlicer implements Serializable {

    private static final long serialVersionUID = 1L;

    private final long sliceMs;
    private final boolean populationEnabled;
    private final String[] memberTags;

    private transient OpenSlices open;

    public FleetSlicer(DetectionSettings s) {
        this.sliceMs = s.fleetSliceMs;
        this.populationEnabled = s.populationEnabled;
        this.memberTags = s.populationMemberTags;
    }

    /**
     * Folds a scored point into its series' open slice, giving {@code out} what is complete.
     *
     * @param watermark the operator's current watermark
     */
    public void observe(ScoredPoint p, long watermark, Consumer<SeriesSlice> out) {
        long id = p.getPoint().getSeriesId();
        long end = sliceEnd(p.timestamp());
        SeriesSlice current = openSlices().get(id);
        if (current != null && current.getSliceEnd() == end) {
            current.observe(p);
            return;
        }
        String device = current != null ? current.getDevice() : FleetKeys.device(p.getPoint());
        if (device == null) {
            return;
        }
        if (end - 1 <= watermark || (current != null && current.getSliceEnd() > end)) {
            out.accept(newSlice(p, end, device, current)); // out of order or closed: alone
            return;
        }
        if (current != null) {
            out.accept(current); // a later slice began
        }
        open.put(newSlice(p, end, device, current));
    }

    /** Closes the open slices whose last millisecond {@code watermark} has reached. */
    public void closeUpTo(long watermark, Consumer<SeriesSlice> out) {
        openSlices().closeUpTo(watermark, out);
    }

    /** Closes every open slice (before a checkpoint barrier, at the end of the input). */
    public void closeAll(Consumer<SeriesSlice> out) {
        openSlices().closeAll(out);
    }

    /** Slices open now (for tests and metrics). */
    public int openSliceCount() {
        return openSlices().size();
    }

    private OpenSlices openSlices() {
        if (open == null) {
            open = new OpenSlices();
        }
        return open;
    }

    /**
     * A slice of {@code p}'s series; the identity, keys and encoded names of the series' {@code
     * previous} slice (when one is open) are reused rather than built again.
     */
    private SeriesSlice newSlice(ScoredPoint p, long end, String device, SeriesSlice previous) {
        SeriesSlice s = new SeriesSlice();
        s.setSliceEnd(end);
        s.observe(p);
        return previous == null ? identified(s, p.getPoint(), device) : continued(s, previous);
    }

    /**
     * {@code s} with the identity, device and population key of {@code identity} (a point of the
     * series) and its names encoded for the wire; {@code null} when the series has no device.
     */
    SeriesSlice identified(SeriesSlice s, MetricPoint identity) {
        String device = FleetKeys.device(identity);
        return device == null ? null : identified(s, identity, device);
    }

    private SeriesSlice identified(SeriesSlice s, MetricPoint identity, String device) {
        s.setSeriesId(identity.getSeriesId());
        s.setMeasurement(identity.getMeasurement());
        s.setField(identity.getField());
        s.setTags(identity.getTags());
        s.setDevice(device);
        s.setPopulation(populationEnabled ? FleetKeys.population(identity, memberTags) : null);
        s.encodeNames();
        return s;
    }

    /**
     * {@code s} with the identity, keys and encoded names of its series' {@code previous} slice.
     */
    private static SeriesSlice continued(SeriesSlice s, SeriesSlice previous) {
        s.setSeriesId(previous.getSeriesId());
        s.setMeasurement(previous.getMeasurement());
        s.setField(previous.getField());
        s.setTags(previous.getTags());
        s.setDevice(previous.getDevice());
        s.setPopulation(previous.getPopulation());
        s.shareEncodedNames(previous);
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
