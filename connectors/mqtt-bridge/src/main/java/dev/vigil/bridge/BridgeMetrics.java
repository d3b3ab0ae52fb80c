package dev.vigil.bridge;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * The bridge's counters, gauges and forward-latency histogram, rendered in the Prometheus text
 * format (version 0.0.4). {@code received = forwarded + deadLettered + inFlight} once nothing is
 * being redelivered; {@code failed} counts failed send attempts, {@code retried} the re-sends.
 */
public final class BridgeMetrics {

    /** Upper bounds of the latency buckets, seconds. */
    static final double[] LATENCY_BUCKETS = {
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60
    };

    final LongAdder received = new LongAdder();
    final LongAdder forwarded = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder retried = new LongAdder();
    final LongAdder deadLettered = new LongAdder();
    final LongAdder topicNotAllowed = new LongAdder();
    final LongAdder mqttReconnects = new LongAdder();

    private final AtomicInteger inFlightPeak = new AtomicInteger();
    private final AtomicLongArray latencyBuckets = new AtomicLongArray(LATENCY_BUCKETS.length + 1);
    private final LongAdder latencyCount = new LongAdder();
    private final LongAdder latencyNanos = new LongAdder();
    private final int maxInFlight;
    private volatile IntSupplier inFlight = () -> 0;
    private volatile boolean mqttConnected;

    BridgeMetrics(int maxInFlight) {
        this.maxInFlight = maxInFlight;
    }

    void inFlightGauge(IntSupplier gauge) {
        this.inFlight = gauge;
    }

    void mqttConnected(boolean connected) {
        this.mqttConnected = connected;
    }

    /** Called with the in-flight count after a message was admitted. */
    void admitted(int inFlightNow) {
        inFlightPeak.accumulateAndGet(inFlightNow, Math::max);
    }

    void forwardLatency(long nanos) {
        double seconds = nanos / 1e9;
        int bucket = 0;
        while (bucket < LATENCY_BUCKETS.length && seconds > LATENCY_BUCKETS[bucket]) {
            bucket++;
        }
        latencyBuckets.incrementAndGet(bucket);
        latencyCount.increment();
        latencyNanos.add(nanos);
    }

    public long received() {
        return received.sum();
    }

    public long forwarded() {
        return forwarded.sum();
    }

    public long failed() {
        return failed.sum();
    }

    public long retried() {
        return retried.sum();
    }

    public long topicNotAllowed() {
        return topicNotAllowed.sum();
    }

    public long deadLettered() {
        return deadLettered.sum();
    }

    public int inFlight() {
        return inFlight.getAsInt();
    }

    /** The highest in-flight count seen since start; never above {@code bridge.max-in-flight}. */
    public int inFlightPeak() {
        return inFlightPeak.get();
    }

    /** Prometheus text exposition. */
    public String render() {
        StringBuilder out = new StringBuilder(2048);
        counter(out, "received", "MQTT messages received", received());
        counter(out, "forwarded", "messages confirmed by Kafka", forwarded());
        counter(out, "failed", "failed Kafka send attempts", failed());
        counter(out, "retried", "Kafka sends retried after a failure", retried());
        counter(out, "dead_lettered", "messages written to the dead-letter topic", deadLettered());
        counter(
                out,
                "topic_not_allowed",
                "messages dead-lettered because their topic is not on mqtt.allowed-topics",
                topicNotAllowed.sum());
        counter(out, "mqtt_reconnects", "MQTT connections lost", mqttReconnects.sum());
        gauge(out, "in_flight", "messages received and not yet acknowledged", inFlight());
        gauge(out, "in_flight_peak", "highest in-flight count since start", inFlightPeak());
        gauge(out, "max_in_flight", "configured in-flight cap", maxInFlight);
        gauge(out, "mqtt_connected", "1 when connected to the MQTT broker", mqttConnected ? 1 : 0);
        histogram(out);
        return out.toString();
    }

    /**
     * The counters and gauges as InfluxDB line protocol, named like Telegraf's Prometheus input
     * (metric_version 1) would store them: measurement = the Prometheus name, field {@code counter}
     * or {@code gauge}, tag {@code bridge}.
     */
    public String lineProtocol(String bridge, long timestampMs) {
        StringBuilder out = new StringBuilder(1024);
        String tag = ",bridge=" + escapeTag(bridge) + " ";
        String ts = " " + timestampMs + "\n";
        line(out, "vigil_bridge_received_total", tag, "counter", received(), ts);
        line(out, "vigil_bridge_forwarded_total", tag, "counter", forwarded(), ts);
        line(out, "vigil_bridge_failed_total", tag, "counter", failed(), ts);
        line(out, "vigil_bridge_retried_total", tag, "counter", retried(), ts);
        line(out, "vigil_bridge_dead_lettered_total", tag, "counter", deadLettered(), ts);
        line(out, "vigil_bridge_mqtt_reconnects_total", tag, "counter", mqttReconnects.sum(), ts);
        line(out, "vigil_bridge_in_flight", tag, "gauge", inFlight(), ts);
        line(out, "vigil_bridge_in_flight_peak", tag, "gauge", inFlightPeak(), ts);
        line(out, "vigil_bridge_mqtt_connected", tag, "gauge", mqttConnected ? 1 : 0, ts);
        return out.toString();
    }

    private static void line(
            StringBuilder out,
            String measurement,
            String tag,
            String field,
            long value,
            String ts) {
        out.append(measurement).append(tag).append(field).append('=').append(value).append(ts);
    }

    /** Line-protocol tag value escaping (comma, equals sign, space); backslash as is. */
    static String escapeTag(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 4);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ',' || c == '=' || c == ' ') {
                sb.append('\\');
            }
            sb.append(c == '\n' || c == '\r' ? '_' : c);
        }
        return sb.toString();
    }

    private static void counter(StringBuilder out, String name, String help, long value) {
        String full = "vigil_bridge_" + name + "_total";
        out.append("# HELP ").append(full).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(full).append(" counter\n");
        out.append(full).append(' ').append(value).append('\n');
    }

    private static void gauge(StringBuilder out, String name, String help, long value) {
        String full = "vigil_bridge_" + name;
        out.append("# HELP ").append(full).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(full).append(" gauge\n");
        out.append(full).append(' ').append(value).append('\n');
    }

    private void histogram(StringBuilder out) {
        String name = "vigil_bridge_forward_latency_seconds";
        out.append("# HELP ")
                .append(name)
                .append(" time from MQTT arrival to Kafka confirmation\n");
        out.append("# TYPE ").append(name).append(" histogram\n");
        long cumulative = 0;
        for (int i = 0; i <= LATENCY_BUCKETS.length; i++) {
            cumulative += latencyBuckets.get(i);
            String le = i < LATENCY_BUCKETS.length ? Double.toString(LATENCY_BUCKETS[i]) : "+Inf";
            out.append(name)
                    .append("_bucket{le=\"")
                    .append(le)
                    .append("\"} ")
                    .append(cumulative)
                    .append('\n');
        }
        out.append(name).append("_sum ").append(latencyNanos.sum() / 1e9).append('\n');
        out.append(name).append("_count ").append(latencyCount.sum()).append('\n');
    }
}
