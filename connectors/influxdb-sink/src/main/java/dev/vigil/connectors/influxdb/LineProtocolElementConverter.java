package dev.vigil.connectors.influxdb;

import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.connector.base.sink.writer.ElementConverter;

/**
 * Convenience base for {@link ElementConverter}s that encode one element as one line: subclasses
 * fill a reused {@link LineProtocol} (one per converter instance, i.e. per writer thread).
 *
 * <pre>{@code
 * class ScoreConverter extends LineProtocolElementConverter<ScoredPoint> {
 *     protected void encode(ScoredPoint p, LineProtocol lp) {
 *         lp.measurement("score").tag("series", p.getSeriesKey()).field("score", p.getScore())
 *                 .timestampMs(p.getTimestamp());
 *     }
 * }
 * }</pre>
 */
public abstract class LineProtocolElementConverter<T> implements ElementConverter<T, String> {

    private static final long serialVersionUID = 1L;

    private transient LineProtocol lineProtocol;

    @Override
    public final String apply(T element, SinkWriter.Context context) {
        if (lineProtocol == null) {
            lineProtocol = new LineProtocol();
        }
        encode(element, lineProtocol);
        return lineProtocol.build();
    }

    /**
     * Encodes {@code element}: start with {@link LineProtocol#measurement(String)}. Leaving no
     * field (e.g. only NaN values) makes the sink skip the element and count it.
     */
    protected abstract void encode(T element, LineProtocol lp);
}
