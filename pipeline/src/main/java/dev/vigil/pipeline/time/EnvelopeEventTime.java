package dev.vigil.pipeline.time;

import dev.vigil.common.model.Envelope;
import dev.vigil.common.model.MetricPoint;
import dev.vigil.common.parse.ParserLimits;
import dev.vigil.common.parse.TelemetryParser;
import dev.vigil.common.routing.RoutingConfig;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;

/**
 * The event time of an envelope, for watermarks generated in the source, per split (Kafka
 * partition): the latest timestamp among the points its payload parses into. A message that is
 * rejected has no event time ({@link Long#MIN_VALUE}: it never moves a watermark; a receive time in
 * wall time would make a replay of older data late).
 *
 * <p>Why at the source: a source subtask reads several partitions and, while it catches up with a
 * backlog (after a restart, an outage of a sink, a slow consumer), emits large batches of one
 * partition before the next. A watermark generated after parsing, per subtask, then runs ahead of
 * the other partitions' data and their points are late. Per split, each partition's watermark only
 * follows its own data. The payload is parsed a second time for this (parsing is cheap next to the
 * rest of the job).
 */
public final class EnvelopeEventTime implements SerializableTimestampAssigner<Envelope> {

    private static final long serialVersionUID = 1L;

    private final RoutingConfig routing;
    private final ParserLimits limits;
    private transient TelemetryParser parser;
    private transient List<MetricPoint> buffer;

    public EnvelopeEventTime(RoutingConfig routing, ParserLimits limits) {
        this.routing = routing;
        this.limits = limits;
    }

    @Override
    public long extractTimestamp(Envelope envelope, long recordTimestamp) {
        if (parser == null) {
            parser = new TelemetryParser(routing, limits);
            buffer = new ArrayList<>();
        }
        buffer.clear();
        try {
            parser.parse(envelope, buffer);
        } catch (RuntimeException e) {
            return Long.MIN_VALUE; // ParseFunction rejects and counts it
        }
        long latest = Long.MIN_VALUE;
        for (MetricPoint point : buffer) {
            latest = Math.max(latest, point.getTimestamp());
        }
        return latest;
    }
}
