package dev.vigil.simulator;

import java.util.ArrayList;
import java.util.List;

/**
 * A server reporting through collectd's MQTT plugin: one message per value list on {@code
 * collectd/<host>/<plugin>[-<instance>]/<type>[-<type instance>]} with payload {@code
 * <epoch>.<ms>:<v1>[:<v2>...]} and a trailing NUL byte. Series: measurement {@code collectd}, tags
 * host, plugin, plugin_instance, type, type_instance (when present); fields shortterm/midterm/
 * longterm (load), rx/tx (if_octets) or value.
 */
final class CollectdHost extends SimDevice {

    static final String MEASUREMENT = "collectd";
    private static final double BUSY_HOUR_UTC = 14.0;

    /** The value lists sent each tick: topic suffix and number of values. */
    private static final String[] TOPICS = {
        "load/load",
        "cpu-0/percent-user",
        "cpu-0/percent-system",
        "memory/percent-used",
        "interface-eth0/if_octets"
    };

    private static final int[] VALUES_PER_TOPIC = {3, 1, 1, 1, 2};

    private CollectdHost(String name, List<SeriesModel> series) {
        super(name, series);
    }

    static CollectdHost create(String host, FleetConfig config) {
        double u = Noise.uniform(config.seed(), Noise.hashString(host)) * 2.0 - 1.0;
        String[] load = tags(host, "load", null, "load", null);
        String[] cpuUser = tags(host, "cpu", "0", "percent", "user");
        String[] cpuSystem = tags(host, "cpu", "0", "percent", "system");
        String[] memory = tags(host, "memory", null, "percent", "used");
        String[] octets = tags(host, "interface", "eth0", "if_octets", null);
        List<SeriesModel> series = new ArrayList<>();
        series.add(spec(host, "shortterm", load, 2.0 + 0.4 * u, 0.6, 0.2, 2, config));
        series.add(spec(host, "midterm", load, 2.0 + 0.4 * u, 0.6, 0.1, 2, config));
        series.add(spec(host, "longterm", load, 2.0 + 0.4 * u, 0.6, 0.06, 2, config));
        series.add(spec(host, "value", cpuUser, 28 + 5 * u, 10, 2.5, 2, config));
        series.add(spec(host, "value", cpuSystem, 8 + u, 2, 0.8, 2, config));
        series.add(spec(host, "value", memory, 60 + 5 * u, 3, 0.5, 2, config));
        series.add(spec(host, "rx", octets, 2e6 + 4e5 * u, 6e5, 8e4, 0, config));
        series.add(spec(host, "tx", octets, 1e6 + 2e5 * u, 3e5, 4e4, 0, config));
        return new CollectdHost(host, series);
    }

    private static String[] tags(
            String host, String plugin, String pluginInstance, String type, String typeInstance) {
        List<String> kv = new ArrayList<>(List.of("host", host, "plugin", plugin, "type", type));
        if (pluginInstance != null) {
            kv.addAll(List.of("plugin_instance", pluginInstance));
        }
        if (typeInstance != null) {
            kv.addAll(List.of("type_instance", typeInstance));
        }
        return kv.toArray(new String[0]);
    }

    private static SeriesModel spec(
            String host,
            String field,
            String[] tags,
            double base,
            double amplitude,
            double sigma,
            int decimals,
            FleetConfig config) {
        return SeriesModel.of(
                new SeriesModel.Spec(host, MEASUREMENT, field, tags)
                        .level(base, amplitude, BUSY_HOUR_UTC)
                        .noise(sigma)
                        .decimals(decimals),
                config);
    }

    @Override
    public int messagesPerTick() {
        return TOPICS.length;
    }

    @Override
    List<RawMessage> render(long eventMs, double[] values) {
        List<RawMessage> out = new ArrayList<>(TOPICS.length);
        int next = 0;
        for (int t = 0; t < TOPICS.length; t++) {
            StringBuilder payload = new StringBuilder(timestamp(eventMs));
            for (int i = 0; i < VALUES_PER_TOPIC[t]; i++, next++) {
                payload.append(':').append(series().get(next).format(values[next]));
            }
            out.add(new RawMessage(topic(TOPICS[t]), payload.append('\0').toString()));
        }
        return out;
    }

    private String topic(String suffix) {
        return "collectd/" + name() + "/" + suffix;
    }

    /** {@code <epoch seconds>.<milliseconds>}. */
    static String timestamp(long eventMs) {
        return Math.floorDiv(eventMs, 1000)
                + "."
                + String.format(java.util.Locale.ROOT, "%03d", Math.floorMod(eventMs, 1000));
    }

    @Override
    MalformedKind malformedKind() {
        return MalformedKind.NAN_COLLECTD;
    }

    @Override
    RawMessage malformed(long eventMs, double[] values) {
        return new RawMessage(topic(TOPICS[1]), timestamp(eventMs) + ":nan\0");
    }
}
