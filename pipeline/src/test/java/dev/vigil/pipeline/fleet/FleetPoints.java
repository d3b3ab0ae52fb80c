package dev.vigil.pipeline.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.common.model.MetricPoint;
import dev.vigil.common.model.SeriesIdentity;
import dev.vigil.pipeline.config.DetectionSettings;
import dev.vigil.pipeline.detect.GaussianTail;
import dev.vigil.pipeline.model.ScoredPoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/** Warm scored points of {@code host=<host>} series with a given baseline, for the fleet tests. */
final class FleetPoints {

    private FleetPoints() {}

    /** z = (value − mean) / std, band mean ∓ 3·std. */
    static ScoredPoint scored(
            String host,
            String measurement,
            String field,
            long ts,
            double value,
            double mean,
            double std) {
        MetricPoint point =
                new MetricPoint(
                        measurement, SeriesIdentity.sortTags("host", host), field, ts, value);
        ScoredPoint p = new ScoredPoint();
        p.setPoint(point);
        p.setWarm(true);
        p.setMean(mean);
        p.setStd(std);
        p.setZ((value - mean) / std);
        p.setP(GaussianTail.twoSidedP(p.getZ()));
        p.setLower(mean - 3 * std);
        p.setUpper(mean + 3 * std);
        return p;
    }

    /**
     * A one-point summary of {@code p} in its 1 min slice ({@link FleetSlicer} emits such summaries
     * for out-of-order points; the detectors merge them), with the default member tags.
     */
    static SeriesSlice single(ScoredPoint p) {
        SeriesSlice s = new SeriesSlice();
        s.setSliceEnd(FleetSlicer.sliceEndOf(p.timestamp(), 60_000L));
        s.observe(p);
        return SLICER.identified(s, p.getPoint());
    }

    /**
     * {@code s} as the detector behind {@code serializer}'s shuffle receives it: serialized and
     * read back.
     */
    static SeriesSlice overTheWire(SeriesSlice s, TypeSerializer<SeriesSlice> serializer) {
        try {
            DataOutputSerializer out = new DataOutputSerializer(128);
            serializer.serialize(s, out);
            DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
            SeriesSlice back = serializer.deserialize(in);
            assertThat(in.available()).isZero();
            return back;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final FleetSlicer SLICER = new FleetSlicer(DetectionSettings.defaults());

    /** A point of {@code measurement,host=<host> field} that is exactly at its mean (z = 0). */
    static ScoredPoint normal(String host, String measurement, String field, long ts) {
        return scored(host, measurement, field, ts, 10, 10, 1);
    }

    static long seriesId(String host, String measurement, String field) {
        return SeriesIdentity.seriesId(measurement, SeriesIdentity.sortTags("host", host), field);
    }
}
