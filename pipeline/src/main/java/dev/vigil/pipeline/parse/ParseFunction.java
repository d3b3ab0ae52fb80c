package dev.vigil.pipeline.parse;

import dev.vigil.common.model.Envelope;
import dev.vigil.common.model.MetricPoint;
import dev.vigil.common.model.Reject;
import dev.vigil.common.model.RejectReason;
import dev.vigil.common.parse.ParserLimits;
import dev.vigil.common.parse.TelemetryParser;
import dev.vigil.common.routing.RoutingConfig;
import dev.vigil.pipeline.limits.PointGuard;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns envelopes into metric points. A message is accepted whole or rejected whole: rejects go to
 * {@link #REJECTS} with their reason, so {@code accepted + rejected = received} holds at every
 * moment (metrics {@code messagesReceived}, {@code messagesAccepted}, {@code messagesRejected}, one
 * {@code rejected_<REASON>} counter per reason; the same figures as accumulators for bounded runs).
 */
public class ParseFunction extends ProcessFunction<Envelope, MetricPoint> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ParseFunction.class);

    public static final OutputTag<Reject> REJECTS = new OutputTag<>("rejects") {};

    public static final String RECEIVED = "messagesReceived";
    public static final String ACCEPTED = "messagesAccepted";
    public static final String REJECTED = "messagesRejected";
    public static final String POINTS = "pointsParsed";

    private final RoutingConfig routing;
    private final ParserLimits limits;
    private final PointGuard guard;

    private transient TelemetryParser parser;
    private transient List<MetricPoint> buffer;
    private transient Counter received;
    private transient Counter accepted;
    private transient Counter rejected;
    private transient Counter points;
    private transient Map<RejectReason, Counter> rejectedByReason;
    private transient LongCounter receivedTotal;
    private transient LongCounter acceptedTotal;
    private transient LongCounter rejectedTotal;
    private transient LongCounter pointsTotal;

    public ParseFunction(RoutingConfig routing, ParserLimits limits) {
        this(routing, limits, PointGuard.none());
    }

    /** With the job's input limits (topic allow-list, time range, series per device). */
    public ParseFunction(RoutingConfig routing, ParserLimits limits, PointGuard guard) {
        this.routing = routing;
        this.limits = limits;
        this.guard = guard;
    }

    @Override
    public void open(OpenContext openContext) {
        parser = new TelemetryParser(routing, limits);
        buffer = new ArrayList<>();
        MetricGroup metrics = getRuntimeContext().getMetricGroup();
        received = metrics.counter(RECEIVED);
        accepted = metrics.counter(ACCEPTED);
        rejected = metrics.counter(REJECTED);
        points = metrics.counter(POINTS);
        rejectedByReason = new EnumMap<>(RejectReason.class);
        for (RejectReason reason : RejectReason.values()) {
            rejectedByReason.put(reason, metrics.counter("rejected_" + reason.name()));
        }
        receivedTotal = accumulator(RECEIVED);
        acceptedTotal = accumulator(ACCEPTED);
        rejectedTotal = accumulator(REJECTED);
        pointsTotal = accumulator(POINTS);
    }

    private LongCounter accumulator(String name) {
        LongCounter counter = new LongCounter();
        getRuntimeContext().addAccumulator(name, counter);
        return counter;
    }

    @Override
    public void processElement(Envelope envelope, Context ctx, Collector<MetricPoint> out) {
        received.inc();
        receivedTotal.add(1);
        buffer.clear();
        Reject reject = parseSafely(envelope);
        if (reject != null) {
            rejected.inc();
            rejectedTotal.add(1);
            rejectedByReason.get(reject.getReason()).inc();
            ctx.output(REJECTS, reject);
            return;
        }
        accepted.inc();
        acceptedTotal.add(1);
        points.inc(buffer.size());
        pointsTotal.add(buffer.size());
        for (MetricPoint point : buffer) {
            out.collect(point);
        }
    }

    /**
     * The parser never throws by contract; this guard keeps a parser bug from restarting the job.
     */
    private Reject parseSafely(Envelope envelope) {
        try {
            Reject reject = guard.checkEnvelope(envelope);
            reject = reject != null ? reject : parser.parse(envelope, buffer);
            reject = reject != null ? reject : guard.checkPoints(envelope, buffer);
            if (reject != null) {
                buffer.clear();
            }
            return reject;
        } catch (RuntimeException e) {
            LOG.warn(
                    "Parser failed on a message of topic {}; rejecting it", envelope.getTopic(), e);
            buffer.clear();
            return new Reject(
                    RejectReason.MALFORMED,
                    "internal parser error: " + e,
                    envelope.getTopic(),
                    "",
                    envelope.getReceivedAt());
        }
    }
}
