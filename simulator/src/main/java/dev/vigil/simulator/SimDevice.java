package dev.vigil.simulator;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** One simulated sender (a sensor or a server) and the series it reports. */
public abstract class SimDevice {

    private final String name;
    private final List<SeriesModel> series;

    SimDevice(String name, List<SeriesModel> series) {
        this.name = name;
        this.series = List.copyOf(series);
    }

    /** Device id ({@code dev-mum-1}) or host name ({@code web-1}). */
    public String name() {
        return name;
    }

    /** The series this device reports, in the order of the values passed to {@link #render}. */
    public List<SeriesModel> series() {
        return series;
    }

    /** How many messages the device sends per tick. */
    public abstract int messagesPerTick();

    /** The messages of one tick, given the value of each series (same order as {@link #series}). */
    abstract List<RawMessage> render(long eventMs, double[] values);

    /** The kind of malformed message this device's format produces. */
    abstract MalformedKind malformedKind();

    /** A malformed message in this device's format. */
    abstract RawMessage malformed(long eventMs, double[] values);

    /** A well-formed message on a topic that no route matches. */
    RawMessage unroutable(long eventMs) {
        return new RawMessage(
                "unrouted/" + name + "/diagnostics",
                "{\"uptime_ms\":" + eventMs + ",\"device\":\"" + name + "\"}");
    }

    @Override
    public String toString() {
        return name + series;
    }

    /** A topic and payload before transport adds its receive time. */
    static final class RawMessage {
        final String topic;
        final byte[] payload;

        RawMessage(String topic, String payload) {
            this(topic, payload.getBytes(StandardCharsets.UTF_8));
        }

        RawMessage(String topic, byte[] payload) {
            this.topic = topic;
            this.payload = payload;
        }
    }
}
