package dev.vigil.pipeline.parse;

import dev.vigil.common.model.Envelope;
import dev.vigil.common.model.MetricPoint;
import dev.vigil.common.model.Reject;
import dev.vigil.common.parse.ParserLimits;
import dev.vigil.common.routing.RoutingConfig;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Turns envelopes into metric points. A message is accepted whole or rejected whole: rejects go to
 * {@link #REJECTS} with their reason, so {@code accepted + rejected = received} holds at every
 * moment (metrics {@code messagesReceived}, {@code messagesAccepted}, {@code messagesRejected}, one
 * {@code rejected_<REASON>} counter per reason; the same figures as accumulators for bounded runs).
 *
 * <p>Used for in-memory sources (simulator, file); the Kafka and Kinesis sources parse inside the
 * source and are followed by {@link RouteParsedFunction}, with the same counters.
 */
public class ParseFunction extends ProcessFunction<Envelope, MetricPoint> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<Reject> REJECTS = new OutputTag<>("rejects") {};

    public static final String RECEIVED = "messagesReceived";
    public static final String ACCEPTED = "messagesAccepted";
    public static final String REJECTED = "messagesRejected";
    public static final String POINTS = "pointsParsed";

    private final EnvelopeParsing parsing;

    private transient List<MetricPoint> buffer;
    private transient ParseCounters counters;

    public ParseFunction(RoutingConfig routing, ParserLimits limits) {
        this(new EnvelopeParsing(routing, limits));
    }

    public ParseFunction(EnvelopeParsing parsing) {
        this.parsing = parsing;
    }

    @Override
    public void open(OpenContext openContext) {
        parsing.open();
        buffer = new ArrayList<>();
        counters = new ParseCounters(getRuntimeContext());
    }

    @Override
    public void processElement(Envelope envelope, Context ctx, Collector<MetricPoint> out) {
        Reject reject = parsing.parse(envelope, buffer);
        if (reject != null) {
            counters.rejected(reject.getReason());
            ctx.output(REJECTS, reject);
            return;
        }
        int count = buffer.size();
        counters.accepted(count);
        // indexed: an iterator per message escaped into the collector chain (round 10)
        for (int i = 0; i < count; i++) {
            out.collect(buffer.get(i));
        }
    }
}
