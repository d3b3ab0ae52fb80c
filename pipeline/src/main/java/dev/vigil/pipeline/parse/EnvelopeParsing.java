package dev.vigil.pipeline.parse;

import dev.vigil.common.model.Envelope;
import dev.vigil.common.model.MetricPoint;
import dev.vigil.common.model.Reject;
import dev.vigil.common.model.RejectReason;
import dev.vigil.common.parse.ParserLimits;
import dev.vigil.common.parse.TelemetryParser;
import dev.vigil.common.routing.RoutingConfig;
import dev.vigil.pipeline.config.VigilConfig;
import dev.vigil.pipeline.config.VigilOptions;
import dev.vigil.pipeline.limits.PointGuard;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parser as the job uses it, in {@link ParseFunction} and inside the Kafka/Kinesis sources'
 * deserialization schemas: serializable settings, a parser created by {@link #open()}, and a guard
 * so that a parser bug rejects the message instead of restarting the job.
 */
public final class EnvelopeParsing implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(EnvelopeParsing.class);

    private final RoutingConfig routing;
    private final ParserLimits limits;
    private final PointGuard guard;
    private transient TelemetryParser parser;
    private transient List<MetricPoint> buffer;

    public EnvelopeParsing(RoutingConfig routing, ParserLimits limits) {
        this(routing, limits, PointGuard.none());
    }

    /** With the job's input limits (topic allow-list, time range, series per device). */
    public EnvelopeParsing(RoutingConfig routing, ParserLimits limits, PointGuard guard) {
        this.routing = routing;
        this.limits = limits;
        this.guard = guard;
    }

    /**
     * Routing file ({@code routing.file}, else the built-in one), parser limits and the input
     * limits of {@link PointGuard}.
     */
    public static EnvelopeParsing of(VigilConfig config) {
        String file = config.get(VigilOptions.ROUTING_FILE);
        RoutingConfig routing =
                file == null ? RoutingConfig.builtIn() : RoutingConfig.load(Path.of(file));
        ParserLimits limits =
                new ParserLimits(
                        config.get(VigilOptions.MAX_PAYLOAD_BYTES),
                        config.get(VigilOptions.MAX_FIELDS));
        return new EnvelopeParsing(routing, limits, PointGuard.from(config));
    }

    /** Creates the parser; call once per parallel instance before parsing. */
    public void open() {
        parser = new TelemetryParser(routing, limits);
        buffer = new ArrayList<>();
    }

    /**
     * Parses one message into {@code out} (cleared first); returns its reject, or {@code null} when
     * it was accepted. Never throws.
     */
    public Reject parse(Envelope envelope, List<MetricPoint> out) {
        out.clear();
        try {
            Reject reject = guard.checkEnvelope(envelope);
            reject = reject != null ? reject : parser.parse(envelope, out);
            reject = reject != null ? reject : guard.checkPoints(envelope, out);
            if (reject != null) {
                out.clear();
            }
            return reject;
        } catch (RuntimeException e) {
            LOG.warn(
                    "Parser failed on a message of topic {}; rejecting it", envelope.getTopic(), e);
            out.clear();
            return new Reject(
                    RejectReason.MALFORMED,
                    "internal parser error: " + e,
                    envelope.getTopic(),
                    "",
                    envelope.getReceivedAt());
        }
    }

    /** Parses one message into its records: its points, or its reject. Never throws. */
    public void parseInto(Envelope envelope, Collector<ParsedRecord> out) {
        Reject reject = parse(envelope, buffer);
        if (reject != null) {
            out.collect(ParsedRecord.rejected(reject));
            return;
        }
        int count = buffer.size();
        if (count == 0) {
            out.collect(ParsedRecord.emptyMessage(envelope.getReceivedAt()));
            return;
        }
        for (int i = 0; i < count; i++) {
            out.collect(ParsedRecord.point(buffer.get(i), i, count));
        }
        buffer.clear();
    }
}
