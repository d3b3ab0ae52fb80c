package dev.vigil.simulator;

import java.util.ArrayList;
import java.util.List;

/**
 * A server reporting through Telegraf: one InfluxDB line-protocol message per tick on {@code
 * telegraf/<host>} with lines for cpu, system, mem and net (nanosecond timestamps). Series are
 * measurement + sorted tags + field, e.g. {@code cpu,cpu=cpu-total,host=web-1 usage_user}.
 */
final class LineProtocolHost extends SimDevice {

    private static final double BUSY_HOUR_UTC = 14.0;

    private LineProtocolHost(String name, List<SeriesModel> series) {
        super(name, series);
    }

    static LineProtocolHost create(String host, FleetConfig config) {
        double u = Noise.uniform(config.seed(), Noise.hashString(host)) * 2.0 - 1.0;
        List<SeriesModel> series = new ArrayList<>();
        String[] cpuTags = {"host", host, "cpu", "cpu-total"};
        String[] hostTags = {"host", host};
        String[] netTags = {"host", host, "interface", "eth0"};
        series.add(spec(host, "cpu", "usage_user", cpuTags, 25 + 5 * u, 10, 2.0, 2, config));
        series.add(spec(host, "cpu", "usage_system", cpuTags, 6 + u, 2, 0.6, 2, config));
        series.add(spec(host, "system", "load1", hostTags, 1.2 + 0.3 * u, 0.5, 0.15, 2, config));
        series.add(spec(host, "system", "load5", hostTags, 1.2 + 0.3 * u, 0.5, 0.08, 2, config));
        series.add(spec(host, "system", "load15", hostTags, 1.2 + 0.3 * u, 0.5, 0.05, 2, config));
        series.add(spec(host, "system", "n_processes", hostTags, 210 + 20 * u, 6, 3, 0, config));
        series.add(spec(host, "system", "n_zombies", hostTags, 0, 0, 0, 0, config));
        series.add(spec(host, "mem", "used_percent", hostTags, 45 + 10 * u, 4, 0.5, 2, config));
        series.add(spec(host, "net", "bytes_recv", netTags, 1.5e6 + 3e5 * u, 5e5, 6e4, 0, config));
        series.add(
                spec(host, "net", "bytes_sent", netTags, 8e5 + 1.5e5 * u, 2.5e5, 3e4, 0, config));
        return new LineProtocolHost(host, series);
    }

    private static SeriesModel spec(
            String host,
            String measurement,
            String field,
            String[] tags,
            double base,
            double amplitude,
            double sigma,
            int decimals,
            FleetConfig config) {
        return SeriesModel.of(
                new SeriesModel.Spec(host, measurement, field, tags)
                        .level(base, amplitude, BUSY_HOUR_UTC)
                        .noise(sigma)
                        .decimals(decimals),
                config);
    }

    String topic() {
        return "telegraf/" + name();
    }

    @Override
    public int messagesPerTick() {
        return 1;
    }

    @Override
    List<RawMessage> render(long eventMs, double[] v) {
        String ns = " " + eventMs * 1_000_000L;
        String host = name();
        String payload =
                "cpu,host="
                        + host
                        + ",cpu=cpu-total usage_user="
                        + f(0, v)
                        + ",usage_system="
                        + f(1, v)
                        + ns
                        + "\nsystem,host="
                        + host
                        + " load1="
                        + f(2, v)
                        + ",load5="
                        + f(3, v)
                        + ",load15="
                        + f(4, v)
                        + ",n_processes="
                        + f(5, v)
                        + "i,n_zombies="
                        + f(6, v)
                        + "i"
                        + ns
                        + "\nmem,host="
                        + host
                        + " used_percent="
                        + f(7, v)
                        + ns
                        + "\nnet,host="
                        + host
                        + ",interface=eth0 bytes_recv="
                        + f(8, v)
                        + "i,bytes_sent="
                        + f(9, v)
                        + "i"
                        + ns;
        return List.of(new RawMessage(topic(), payload));
    }

    private String f(int index, double[] values) {
        return series().get(index).format(values[index]);
    }

    @Override
    MalformedKind malformedKind() {
        return MalformedKind.BAD_LINE_PROTOCOL;
    }

    @Override
    RawMessage malformed(long eventMs, double[] values) {
        return new RawMessage(
                topic(),
                "cpu,host=" + name() + ",cpu=cpu-total usage_user " + eventMs * 1_000_000L);
    }
}
