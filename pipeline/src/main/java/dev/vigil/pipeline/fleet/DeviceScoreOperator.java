package dev.vigil.pipeline.fleet;

import dev.vigil.pipeline.config.DetectionSettings;
import dev.vigil.pipeline.model.Anomaly;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.SimpleTimerService;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.TimestampedCollector;
import org.apache.flink.streaming.api.watermark.Watermark;

/**
 * Runs {@link DeviceScoreFunction} with its open slices on the heap, in the manner of Flink's
 * mini-batch operators: a slice summary changes its device's open slice in a table of the subtask
 * (no state access, no timer), the watermark evaluates the slices it has passed before it moves on,
 * and the slices still open at a checkpoint barrier are written to the function's keyed state with
 * their timer, so checkpoints and savepoints hold what the plain function holds and restore into
 * either. The same uid, state and timers as a {@code KeyedProcessOperator} of the function.
 */
public final class DeviceScoreOperator extends KeyedProcessOperator<String, SeriesSlice, Anomaly> {

    private static final long serialVersionUID = 1L;

    /** The timer service's name in {@link KeyedProcessOperator#open()}. */
    private static final String TIMERS = "user-timers";

    private transient TimerService timers;
    private transient TimestampedCollector<Anomaly> closed;

    public DeviceScoreOperator(DetectionSettings settings) {
        super(new DeviceScoreFunction(settings));
    }

    @Override
    public void open() throws Exception {
        super.open();
        timers =
                new SimpleTimerService(
                        getInternalTimerService(TIMERS, VoidNamespaceSerializer.INSTANCE, this));
        closed = new TimestampedCollector<>(output);
        function().keepOpenSlices(getKeyedStateBackend(), this);
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        function().closeOpenSlices(mark.getTimestamp(), this, timers, closed);
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        function().flushOpenSlices(this, timers);
    }

    DeviceScoreFunction function() {
        return (DeviceScoreFunction) userFunction;
    }
}
