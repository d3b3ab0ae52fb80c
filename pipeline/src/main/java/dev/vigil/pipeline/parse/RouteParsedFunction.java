package dev.vigil.pipeline.parse;

import dev.vigil.common.model.MetricPoint;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * After a parsing source ({@link ParsedRecord}s with event time and per-split watermarks): points
 * go on, rejects go to {@link ParseFunction#REJECTS}, and the same counters as {@link
 * ParseFunction} keep {@code accepted + rejected = received}. Stateless; watermarks pass through.
 */
public class RouteParsedFunction extends ProcessFunction<ParsedRecord, MetricPoint> {

    private static final long serialVersionUID = 1L;

    private transient ParseCounters counters;

    @Override
    public void open(OpenContext openContext) {
        counters = new ParseCounters(getRuntimeContext());
    }

    @Override
    public void processElement(ParsedRecord record, Context ctx, Collector<MetricPoint> out) {
        if (record.isReject()) {
            counters.rejected(record.getReject().getReason());
            ctx.output(ParseFunction.REJECTS, record.getReject());
            return;
        }
        if (record.isMessageStart()) {
            counters.accepted(record.getMessagePoints());
        }
        if (record.getPoint() != null) {
            out.collect(record.getPoint());
        }
    }
}
