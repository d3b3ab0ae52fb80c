package dev.vigil.e2e.testutils;

import dev.vigil.common.model.Envelope;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A deterministic fleet for the fault-injection suite: {@code devices} sensors publish one JSON
 * message per tick (one second of event time from {@link #START}) on {@code
 * sensors/<device>/telemetry}, each with {@code fields} numeric fields, so every message is {@code
 * fields} points of measurement {@code environment}, tag {@code device}. Values are a fixed level
 * per series plus bounded noise (uniform in ±1, a hash of device, field and tick — never a
 * statistical outlier) and one spike of +{@link #SPIKE} per device, on a known field and tick.
 * Publishing order is tick by tick, device by device, so event time only grows.
 */
public final class FixedFleet {

    public static final Instant START = Instant.parse("2026-03-01T00:00:00Z");
    public static final long TICK_MS = 1000;
    public static final String MEASUREMENT = "environment";
    public static final double SPIKE = 100.0;

    private final int devices;
    private final int fields;
    private final int ticks;

    public FixedFleet(int devices, int fields, int ticks) {
        this.devices = devices;
        this.fields = fields;
        this.ticks = ticks;
    }

    /** A fleet of {@code devices} × {@code fields} series with at least {@code points} points. */
    public static FixedFleet ofPoints(long points, int devices, int fields) {
        long perTick = (long) devices * fields;
        return new FixedFleet(devices, fields, (int) ((points + perTick - 1) / perTick));
    }

    public int devices() {
        return devices;
    }

    public int fields() {
        return fields;
    }

    public int ticks() {
        return ticks;
    }

    public long points() {
        return pointsBefore(ticks);
    }

    public long messages() {
        return (long) devices * ticks;
    }

    /** Points of the ticks before {@code tick}. */
    public long pointsBefore(int tick) {
        return (long) devices * fields * tick;
    }

    public static long timestamp(int tick) {
        return START.toEpochMilli() + tick * TICK_MS;
    }

    public static String device(int d) {
        return String.format(Locale.ROOT, "dev-%02d", d);
    }

    public static String field(int f) {
        return "f" + f;
    }

    /** The message of {@code device} at {@code tick}. */
    public Envelope envelope(int device, int tick) {
        StringBuilder json = new StringBuilder(32 + fields * 24);
        json.append("{\"timestamp\":").append(timestamp(tick));
        for (int f = 0; f < fields; f++) {
            json.append(",\"").append(field(f)).append("\":").append(value(device, f, tick));
        }
        json.append('}');
        return new Envelope(
                "sensors/" + device(device) + "/telemetry",
                json.toString().getBytes(StandardCharsets.UTF_8),
                timestamp(tick));
    }

    public double value(int device, int field, int tick) {
        double level = 20.0 + 3.0 * field + 0.5 * device;
        return level + noise(device, field, tick) + (isSpike(device, field, tick) ? SPIKE : 0.0);
    }

    /** The sum of one series' values (InfluxDB's {@code sum()} must match it). */
    public double sum(int device, int field) {
        double sum = 0;
        for (int t = 0; t < ticks; t++) {
            sum += value(device, field, t);
        }
        return sum;
    }

    /** The one spike of a device: its field and tick. */
    public Spike spike(int device) {
        int tick = ticks / 10 + (int) ((long) device * (ticks * 8L / 10) / devices);
        return new Spike(device, device % fields, tick);
    }

    public List<Spike> spikes() {
        List<Spike> spikes = new ArrayList<>();
        for (int d = 0; d < devices; d++) {
            spikes.add(spike(d));
        }
        return spikes;
    }

    private boolean isSpike(int device, int field, int tick) {
        Spike spike = spike(device);
        return spike.field == field && spike.tick == tick;
    }

    /** Uniform in [-1, 1), a pure function of its arguments (SplitMix64 finaliser). */
    static double noise(int device, int field, int tick) {
        long z = device * 0x9E3779B97F4A7C15L + field * 0xBF58476D1CE4E5B9L + tick;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        // 20 bits of fraction keep the printed values short and exact.
        return ((z >>> 44) / (double) (1L << 20)) * 2.0 - 1.0;
    }

    /** A planted spike. */
    public static final class Spike {
        public final int device;
        public final int field;
        public final int tick;

        Spike(int device, int field, int tick) {
            this.device = device;
            this.field = field;
            this.tick = tick;
        }

        public long timestamp() {
            return FixedFleet.timestamp(tick);
        }

        @Override
        public String toString() {
            return device(device) + "/" + field(field) + "@" + Instant.ofEpochMilli(timestamp());
        }
    }
}
