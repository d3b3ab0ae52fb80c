package dev.vigil.pipeline.detect;

import dev.vigil.common.model.MetricPoint;
import dev.vigil.pipeline.config.DetectionSettings;
import dev.vigil.pipeline.fleet.SeriesSlice;
import dev.vigil.pipeline.model.ScoredPoint;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.SimpleTimerService;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The operator of {@link ScoringFunction}: a {@link KeyedProcessOperator} (same keyed state and
 * timers, so savepoints of the plain operator restore) that also closes the function's open fleet
 * slices ({@link dev.vigil.pipeline.fleet.FleetSlicer}) when the watermark reaches their end —
 * before it forwards the watermark — and before every checkpoint barrier, so that the slices need
 * neither keyed state nor a timer per series (the pattern of Flink's mini-batch pre-aggregation). A
 * fleet slice leaves with the timestamp of its slice's last millisecond. After a restore it moves
 * the state of an older savepoint to the current layout before the first record. With RocksDB it
 * writes the function's cache of series states ({@link SeriesStore}) back before every checkpoint
 * barrier and when the input ends.
 */
public final class ScoringOperator extends KeyedProcessOperator<Long, MetricPoint, ScoredPoint> {

    private static final long serialVersionUID = 1L;

    /** The timer service's name in {@link KeyedProcessOperator#open()}. */
    private static final String TIMERS = "user-timers";

    private transient boolean restored;

    public ScoringOperator(DetectionSettings settings) {
        this(new ScoringFunction(settings));
    }

    public ScoringOperator(ScoringFunction function) {
        super(function);
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        restored = context.isRestored();
    }

    /**
     * Opens the function, then, after a restore, moves the state of an older savepoint to the
     * current layout ({@link ScoringFunction#migrateLegacyState}) before the first record.
     */
    @Override
    public void open() throws Exception {
        super.open();
        function().sendFleetSlicesTo(this::emitFleetSlice);
        if (restored) {
            function()
                    .migrateLegacyState(
                            getKeyedStateBackend(),
                            new SimpleTimerService(
                                    getInternalTimerService(
                                            TIMERS, VoidNamespaceSerializer.INSTANCE, this)));
        }
        function().cacheSeriesStates(getKeyedStateBackend(), this);
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        function().closeFleetSlices(mark.getTimestamp());
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        function().flushSeriesStates();
        function().closeAllFleetSlices();
    }

    @Override
    public void finish() throws Exception {
        function().flushSeriesStates();
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
