package dev.vigil.pipeline.detect;

import dev.vigil.common.model.MetricPoint;
import dev.vigil.pipeline.config.DetectionSettings;
import dev.vigil.pipeline.fleet.SeriesSlice;
import dev.vigil.pipeline.model.ScoredPoint;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The operator of {@link ScoringFunction}: a {@link KeyedProcessOperator} (same keyed state and
 * timers, so savepoints of the plain operator restore) that also closes the function's open fleet
 * slices ({@link dev.vigil.pipeline.fleet.FleetSlicer}) when the watermark reaches their end —
 * before it forwards the watermark — and before every checkpoint barrier, so that the slices need
 * neither keyed state nor a timer per series (the pattern of Flink's mini-batch pre-aggregation). A
 * fleet slice leaves with the timestamp of its slice's last millisecond.
 */
public final class ScoringOperator extends KeyedProcessOperator<Long, MetricPoint, ScoredPoint> {

    private static final long serialVersionUID = 1L;

    public ScoringOperator(DetectionSettings settings) {
        this(new ScoringFunction(settings));
    }

    public ScoringOperator(ScoringFunction function) {
        super(function);
    }

    @Override
    public void open() throws Exception {
        super.open();
        function().sendFleetSlicesTo(this::emitFleetSlice);
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        function().closeFleetSlices(mark.getTimestamp());
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        function().closeAllFleetSlices();
    }

    @Override
    public void finish() throws Exception {
        function().closeAllFleetSlices();
        super.finish();
    }

    private void emitFleetSlice(SeriesSlice slice) {
        output.collect(
                ScoringFunction.FLEET_SLICES, new StreamRecord<>(slice, slice.getSliceEnd() - 1));
    }

    private ScoringFunction function() {
        return (ScoringFunction) userFunction;
    }
}
