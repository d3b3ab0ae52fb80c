package dev.vigil.common.parse;

import dev.vigil.common.model.Envelope;
import dev.vigil.common.model.MetricPoint;
import dev.vigil.common.model.Reject;
import dev.vigil.common.model.RejectReason;
import dev.vigil.common.routing.RoutingConfig;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an {@link Envelope} into metric points, or a {@link Reject}. All-or-nothing per message: a
 * message with any invalid line or value is rejected whole, so accepted + rejected = received.
 *
 * <p>Checks, in order: empty payload, payload size ({@link ParserLimits}), strict UTF-8, the route
 * of the topic ({@link RoutingConfig}, first match wins), then the format (JSON, InfluxDB line
 * protocol, collectd). Timestamps are normalised to epoch milliseconds; messages without one get
 * the envelope's receive time.
 *
 * <p>Not thread-safe: use one instance per operator subtask/thread. It keeps reusable buffers and a
 * per-topic routing cache (transient, rebuilt after deserialization).
 */
public final class TelemetryParser implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(TelemetryParser.class);

    private final RoutingConfig routing;
    private final ParserLimits limits;

    private transient TopicRouter router;
    private transient JsonFormat json;
    private transient LineProtocolFormat lineProtocol;
    private transient CollectdFormat collectd;

    public TelemetryParser(RoutingConfig routing, ParserLimits limits) {
        this.routing = Objects.requireNonNull(routing, "routing");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    public RoutingConfig routing() {
        return routing;
    }

    public ParserLimits limits() {
        return limits;
    }

    /**
     * Parses one message. Accepted: returns null and appends at least one point to {@code out}.
     * Rejected: returns a {@link Reject} (reason, one-sentence detail, topic, payload excerpt,
     * receive time) and leaves {@code out} as it was. Never throws for any envelope content.
     *
     * @param out receives the points; must not be null
     */
    public Reject parse(Envelope envelope, List<MetricPoint> out) {
        if (envelope == null) {
            return new Reject(RejectReason.EMPTY_PAYLOAD, "There is no message.", null, "", 0L);
        }
        int sizeBefore = out.size();
        try {
            parseChecked(envelope, out);
            return null;
        } catch (RejectException e) {
            truncate(out, sizeBefore);
            return reject(envelope, e.reason(), e.getMessage());
        } catch (RuntimeException | StackOverflowError e) {
            truncate(out, sizeBefore);
            LOG.warn("Unexpected parser failure on topic '{}'", envelope.getTopic(), e);
            return reject(
                    envelope,
                    RejectReason.MALFORMED,
                    "the payload could not be parsed (" + e.getClass().getSimpleName() + ")");
        }
    }

    private void parseChecked(Envelope envelope, List<MetricPoint> out) throws RejectException {
        byte[] payload = envelope.getPayload();
        checkSize(payload);
        checkUtf8(payload);
        TopicMatch match = router().lookup(envelope.getTopic());
        match.throwIfInvalid();
        long receivedAt = envelope.getReceivedAt();
        switch (match.route.format()) {
            case JSON:
                json().parse(payload, match, receivedAt, out);
                break;
            case LINE_PROTOCOL:
                lineProtocol().parse(payload, match, receivedAt, out);
                break;
            case COLLECTD:
                collectd().parse(payload, match, receivedAt, out);
                break;
            default:
                throw new IllegalStateException("unhandled format " + match.route.format());
        }
    }

    private void checkSize(byte[] payload) throws RejectException {
        if (payload == null || payload.length == 0) {
            throw new RejectException(RejectReason.EMPTY_PAYLOAD, "the payload is empty");
        }
        if (payload.length > limits.maxPayloadBytes()) {
            throw new RejectException(
                    RejectReason.PAYLOAD_TOO_LARGE,
                    "the payload has "
                            + payload.length
                            + " bytes, more than the limit of "
                            + limits.maxPayloadBytes());
        }
    }

    private static void checkUtf8(byte[] payload) throws RejectException {
        int invalid = Utf8.firstInvalid(payload, payload.length);
        if (invalid >= 0) {
            throw new RejectException(
                    RejectReason.INVALID_UTF8,
                    String.format(
                            "the payload is not valid UTF-8: byte 0x%02X at offset %d",
                            payload[invalid] & 0xff, invalid));
        }
    }

    private static Reject reject(Envelope envelope, RejectReason reason, String detail) {
        return new Reject(
                reason,
                sentence(detail),
                envelope.getTopic(),
                Excerpts.of(envelope.getPayload()),
                envelope.getReceivedAt());
    }

    /** Details are built lower-case without a period; make them one sentence. */
    private static String sentence(String detail) {
        if (detail == null || detail.isEmpty()) {
            return "The message was rejected.";
        }
        String capitalized = Character.toUpperCase(detail.charAt(0)) + detail.substring(1);
        return capitalized.endsWith(".") ? capitalized : capitalized + ".";
    }

    private static void truncate(List<MetricPoint> out, int size) {
        while (out.size() > size) {
            out.remove(out.size() - 1);
        }
    }

    private TopicRouter router() {
        if (router == null) {
            router = new TopicRouter(routing);
        }
        return router;
    }

    private JsonFormat json() {
        if (json == null) {
            json = new JsonFormat(limits);
        }
        return json;
    }

    private LineProtocolFormat lineProtocol() {
        if (lineProtocol == null) {
            lineProtocol = new LineProtocolFormat(limits);
        }
        return lineProtocol;
    }

    private CollectdFormat collectd() {
        if (collectd == null) {
            collectd = new CollectdFormat(limits);
        }
        return collectd;
    }
}
