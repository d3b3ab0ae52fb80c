package dev.vigil.pipeline.time;

import dev.vigil.common.model.MetricPoint;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Gives each point its own event time as record timestamp and forwards the watermarks that came
 * from the source unchanged (an {@code assignTimestampsAndWatermarks} would replace them). Used
 * when watermarks are generated per split in the source ({@link EnvelopeEventTime}).
 */
public final class PointTimestamps extends AbstractStreamOperator<MetricPoint>
        implements OneInputStreamOperator<MetricPoint, MetricPoint> {

    private static final long serialVersionUID = 1L;

    @Override
    public void processElement(StreamRecord<MetricPoint> element) {
        output.collect(element.replace(element.getValue(), element.getValue().getTimestamp()));
    }
}
