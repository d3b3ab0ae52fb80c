package dev.vigil.pipeline.sink;

import dev.vigil.common.model.MetricPoint;
import dev.vigil.common.model.Reject;
import dev.vigil.connectors.influxdb.LineProtocol;
import dev.vigil.connectors.influxdb.LineProtocolElementConverter;
import dev.vigil.pipeline.model.Anomaly;
import dev.vigil.pipeline.model.ScoredPoint;
import java.util.Locale;

/**
 * How vigil's outputs look in InfluxDB (documented in the README, used by the Grafana dashboards):
 *
 * <ul>
 *   <li>raw points: as received — their own measurement, tags and field;
 *   <li>{@value #STATS}: per point the baseline and band; tags = the point's tags + {@code
 *       measurement}, {@code field}; fields value, mean, std, lower, upper, z, score (severity
 *       0–100);
 *   <li>{@value #ANOMALIES}: tags = the point's tags + {@code measurement}, {@code field}, {@code
 *       kind}, {@code severity} (band); fields score, observed, expected, lower, upper, duration_s,
 *       description, series; time = start;
 *   <li>{@value #REJECTS}: tags reason, topic; fields count=1, detail, excerpt; time = receive
 *       time.
 * </ul>
 *
 * A point tag called {@code measurement}, {@code field}, {@code kind} or {@code severity} is
 * overridden by vigil's.
 */
public final class InfluxSchema {

    public static final String STATS = "vigil_stats";
    public static final String ANOMALIES = "vigil_anomalies";
    public static final String REJECTS = "vigil_rejects";

    private InfluxSchema() {}

    /** Raw points, unchanged. */
    public static final class RawConverter extends LineProtocolElementConverter<MetricPoint> {
        private static final long serialVersionUID = 1L;

        @Override
        protected void encode(MetricPoint p, LineProtocol lp) {
            lp.measurement(p.getMeasurement());
            tags(lp, p.getTags(), null);
            lp.field(p.getField(), p.getValue()).timestampMs(p.getTimestamp());
        }
    }

    /** Baseline, band and score of every point. */
    public static final class StatsConverter extends LineProtocolElementConverter<ScoredPoint> {
        private static final long serialVersionUID = 1L;

        @Override
        protected void encode(ScoredPoint s, LineProtocol lp) {
            MetricPoint p = s.getPoint();
            lp.measurement(STATS);
            tags(lp, p.getTags(), IDENTITY_TAGS);
            lp.tag("field", p.getField()).tag("measurement", p.getMeasurement());
            lp.field("value", p.getValue());
            if (s.isWarm()) {
                lp.field("mean", s.getMean())
                        .field("std", s.getStd())
                        .field("lower", s.getLower())
                        .field("upper", s.getUpper())
                        .field("z", s.getZ())
                        .field("score", s.getSeverity());
            }
            lp.timestampMs(p.getTimestamp());
        }
    }

    /** Anomalies, at their start time. */
    public static final class AnomalyConverter extends LineProtocolElementConverter<Anomaly> {
        private static final long serialVersionUID = 1L;

        @Override
        protected void encode(Anomaly a, LineProtocol lp) {
            lp.measurement(ANOMALIES);
            tags(lp, a.getTags(), ANOMALY_TAGS);
            lp.tag("field", a.getField())
                    .tag("kind", a.getKind().name().toLowerCase(Locale.ROOT))
                    .tag("measurement", a.getMeasurement())
                    .tag("severity", a.band().name().toLowerCase(Locale.ROOT));
            lp.field("score", a.getSeverity())
                    .field("observed", a.getObserved())
                    .field("expected", a.getExpected())
                    .field("lower", a.getLower())
                    .field("upper", a.getUpper())
                    .field("duration_s", (a.getEnd() - a.getStart()) / 1000.0)
                    .field("description", a.getDescription())
                    .field("series", a.seriesKey())
                    .timestampMs(a.getStart());
        }
    }

    /** Rejected messages, with their reason. */
    public static final class RejectConverter extends LineProtocolElementConverter<Reject> {
        private static final long serialVersionUID = 1L;

        @Override
        protected void encode(Reject r, LineProtocol lp) {
            lp.measurement(REJECTS)
                    .tag("reason", r.getReason().name())
                    .tag("topic", r.getTopic() == null ? "(none)" : r.getTopic())
                    .field("count", 1L)
                    .field("detail", r.getDetail())
                    .field("excerpt", r.getExcerpt())
                    .timestampMs(r.getReceivedAt());
        }
    }

    private static final String[] IDENTITY_TAGS = {"measurement", "field"};
    private static final String[] ANOMALY_TAGS = {"measurement", "field", "kind", "severity"};

    private static void tags(LineProtocol lp, String[] tags, String[] reserved) {
        for (int i = 0; i + 1 < tags.length; i += 2) {
            if (!isReserved(tags[i], reserved)) {
                lp.tag(tags[i], tags[i + 1]);
            }
        }
    }

    private static boolean isReserved(String key, String[] reserved) {
        if (reserved != null) {
            for (String r : reserved) {
                if (r.equals(key)) {
                    return true;
                }
            }
        }
        return false;
    }
}
