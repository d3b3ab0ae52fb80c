package dev.vigil.pipeline.fleet;

import dev.vigil.common.model.MetricPoint;
import dev.vigil.pipeline.model.ScoredPoint;

/**
 * How the fleet detectors group series.
 *
 * <p><b>Device</b> (the machine a series belongs to): the value of tag {@code device} if present
 * and non-empty, else the value of tag {@code host}, else none — such a series takes no part in the
 * fleet detectors (it has no identity to compare or combine). The JSON sensors carry {@code
 * device}, telegraf and collectd carry {@code host}.
 *
 * <p><b>Population</b> (what devices are compared on): {@code measurement + ' ' + field}, e.g.
 * {@code "cpu usage_user"}; every device series of that metric is a member.
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

    /** The population key {@code measurement + ' ' + field}. */
    public static String population(ScoredPoint p) {
        MetricPoint point = p.getPoint();
        return point.getMeasurement() + " " + point.getField();
    }
}
