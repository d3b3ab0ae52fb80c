package dev.vigil.pipeline.parse;

import dev.vigil.common.model.RejectReason;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * The parse accounting, as metrics and (for bounded runs) accumulators: {@link
 * ParseFunction#RECEIVED} = {@link ParseFunction#ACCEPTED} + {@link ParseFunction#REJECTED}, {@link
 * ParseFunction#POINTS}, and one {@code rejected_<REASON>} counter per reason.
 */
final class ParseCounters {

    private final Counter received;
    private final Counter accepted;
    private final Counter rejected;
    private final Counter points;
    private final Map<RejectReason, Counter> rejectedByReason = new EnumMap<>(RejectReason.class);
    private final LongCounter receivedTotal;
    private final LongCounter acceptedTotal;
    private final LongCounter rejectedTotal;
    private final LongCounter pointsTotal;

    ParseCounters(RuntimeContext context) {
        MetricGroup metrics = context.getMetricGroup();
        received = metrics.counter(ParseFunction.RECEIVED);
        accepted = metrics.counter(ParseFunction.ACCEPTED);
        rejected = metrics.counter(ParseFunction.REJECTED);
        points = metrics.counter(ParseFunction.POINTS);
        for (RejectReason reason : RejectReason.values()) {
            rejectedByReason.put(reason, metrics.counter("rejected_" + reason.name()));
        }
        receivedTotal = accumulator(context, ParseFunction.RECEIVED);
        acceptedTotal = accumulator(context, ParseFunction.ACCEPTED);
        rejectedTotal = accumulator(context, ParseFunction.REJECTED);
        pointsTotal = accumulator(context, ParseFunction.POINTS);
    }

    private static LongCounter accumulator(RuntimeContext context, String name) {
        LongCounter counter = new LongCounter();
        context.addAccumulator(name, counter);
        return counter;
    }

    void rejected(RejectReason reason) {
        received.inc();
        receivedTotal.add(1);
        rejected.inc();
        rejectedTotal.add(1);
        rejectedByReason.get(reason).inc();
    }

    void accepted(int pointCount) {
        received.inc();
        receivedTotal.add(1);
        accepted.inc();
        acceptedTotal.add(1);
        points.inc(pointCount);
        pointsTotal.add(pointCount);
    }
}
