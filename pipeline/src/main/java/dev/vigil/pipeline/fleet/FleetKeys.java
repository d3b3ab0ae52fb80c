package dev.vigil.pipeline.fleet;

import dev.vigil.common.model.MetricPoint;
import dev.vigil.common.model.SeriesIdentity;
import dev.vigil.pipeline.model.ScoredPoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How the fleet detectors group series.
 *
 * <p><b>Device</b> (the machine a series belongs to): the value of tag {@code device} if present
 * and non-empty, else the value of tag {@code host}, else none — such a series takes no part in the
 * fleet detectors (it has no identity to compare or combine). The JSON sensors carry {@code
 * device}, telegraf and collectd carry {@code host}.
 *
 * <p><b>Population</b> (what devices are compared on): the series key without the member tags
 * ({@code fleet.population.member-tags}: device, host, id, city by default), e.g. {@code
 * "cpu,cpu=cpu-total usage_user"} or {@code "collectd,plugin=load,type=load midterm"}; every device
 * series of that metric is a member. Without dropping only those tags, collectd's metrics (all
 * measurement {@code collectd}, field {@code value}) would be one population.
 */
public final class FleetKeys {

    private FleetKeys() {}

    /** The device of a point per the rule above, or {@code null}. */
    public static String device(MetricPoint point) {
        if (point == null || point.getTags() == null) {
            return null;
        }
        String device = point.tag("device");
        if (device != null && !device.isEmpty()) {
            return device;
        }
        String host = point.tag("host");
        return host != null && !host.isEmpty() ? host : null;
    }

    /** The device of a scored point, or {@code null}. */
    public static String device(ScoredPoint p) {
        return p == null ? null : device(p.getPoint());
    }

    /** True when the point belongs to a device (see {@link #device}). */
    public static boolean hasDevice(ScoredPoint p) {
        return device(p) != null;
    }

    /** The population key: the series key without the {@code memberTags}. */
    public static String population(ScoredPoint p, String[] memberTags) {
        return population(p.getPoint(), memberTags);
    }

    /** The population key of a point's series. */
    public static String population(MetricPoint point, String[] memberTags) {
        return SeriesIdentity.seriesKey(
                point.getMeasurement(), metricTags(point.getTags(), memberTags), point.getField());
    }

    /**
     * A short name of a metric for descriptions: the field, or for collectd-style {@code value}
     * fields the measurement and the values of the tags that are not member tags, e.g. {@code
     * cpu/0/percent/user}.
     */
    public static String metricLabel(
            String measurement, String[] tags, String field, String[] memberTags) {
        if (!"value".equals(field)) {
            return field;
        }
        String[] metricTags = metricTags(tags, memberTags);
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i < metricTags.length; i += 2) {
            sb.append(sb.length() == 0 ? "" : "/").append(metricTags[i]);
        }
        return sb.length() == 0 ? measurement + " " + field : sb.toString();
    }

    /** The tag pairs whose key is not one of {@code memberTags}, order kept. */
    static String[] metricTags(String[] tags, String[] memberTags) {
        if (tags == null) {
            return new String[0];
        }
        List<String> kept = new ArrayList<>();
        for (int i = 0; i + 1 < tags.length; i += 2) {
            if (!Arrays.asList(memberTags).contains(tags[i])) {
                kept.add(tags[i]);
                kept.add(tags[i + 1]);
            }
        }
        return kept.toArray(new String[0]);
    }
}
