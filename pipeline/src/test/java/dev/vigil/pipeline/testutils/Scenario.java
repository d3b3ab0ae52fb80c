package dev.vigil.pipeline.testutils;

import dev.vigil.common.model.Envelope;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.IntToDoubleFunction;

/**
 * Deterministic telemetry for workflow tests: several series of {@link #POINTS} points every {@link
 * #INTERVAL_MS}, bounded uniform noise of σ = 1 around a level (|noise| ≤ √3, so a clean series
 * never leaves a 3σ band), with behaviour injected from point {@link #ONSET}. Sensors publish JSON,
 * servers line protocol, so both parsers are exercised.
 */
public final class Scenario {

    public static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    public static final long INTERVAL_MS = 10_000;
    public static final int POINTS = 400;
    public static final int ONSET = 200;

    private final List<Envelope> envelopes = new ArrayList<>();
    private final SplittableRandom random = new SplittableRandom(7);

    public static long time(int index) {
        return START.toEpochMilli() + index * INTERVAL_MS;
    }

    /**
     * A JSON sensor {@code environment,city=<city>,device=<device>,id=<device> temperature} with
     * the given shape.
     */
    public Scenario sensor(String device, String city, IntToDoubleFunction shape) {
        for (int i = 0; i < POINTS; i++) {
            double v = shape.applyAsDouble(i);
            if (Double.isNaN(v)) {
                continue; // not reporting
            }
            String json =
                    String.format(
                            Locale.ROOT,
                            "{\"id\":\"%s\",\"temperature\":%.6f,\"timestamp\":%d,\"city\":\"%s\"}",
                            device,
                            v,
                            time(i),
                            city);
            envelopes.add(Envelope.of("sensors/" + device + "/telemetry", json, time(i) + 150));
        }
        return this;
    }

    /** A line-protocol server series {@code cpu,cpu=cpu-total,host=<host> usage_user}. */
    public Scenario server(String host, IntToDoubleFunction shape) {
        for (int i = 0; i < POINTS; i++) {
            double v = shape.applyAsDouble(i);
            if (Double.isNaN(v)) {
                continue;
            }
            String line =
                    String.format(
                            Locale.ROOT,
                            "cpu,host=%s,cpu=cpu-total usage_user=%.6f %d",
                            host,
                            v,
                            time(i) * 1_000_000L);
            envelopes.add(Envelope.of("telegraf/" + host, line, time(i) + 200));
        }
        return this;
    }

    /**
     * A line-protocol host with several metrics {@code <measurement>,host=<host> <field>}, one
     * message per metric and point (so every message still carries one value).
     *
     * @param metrics alternating {@code "measurement field"} names and {@link IntToDoubleFunction}
     *     shapes
     */
    public Scenario host(String host, Object... metrics) {
        for (int m = 0; m + 1 < metrics.length; m += 2) {
            String[] name = ((String) metrics[m]).split(" ");
            IntToDoubleFunction shape = (IntToDoubleFunction) metrics[m + 1];
            for (int i = 0; i < POINTS; i++) {
                String line =
                        String.format(
                                Locale.ROOT,
                                "%s,host=%s %s=%.6f %d",
                                name[0],
                                host,
                                name[1],
                                shape.applyAsDouble(i),
                                time(i) * 1_000_000L);
                envelopes.add(Envelope.of("telegraf/" + host, line, time(i) + 250 + m));
            }
        }
        return this;
    }

    /** A malformed message at point {@code index}'s time. */
    public Scenario garbage(String topic, String payload, int index) {
        envelopes.add(Envelope.of(topic, payload, time(index)));
        return this;
    }

    /** Any envelope, e.g. one that arrives late. */
    public Scenario envelope(String topic, String payload, long receivedAt) {
        envelopes.add(Envelope.of(topic, payload, receivedAt));
        return this;
    }

    /** Level plus bounded noise of standard deviation 1. */
    public IntToDoubleFunction noisy(double level) {
        double[] noise = new double[POINTS];
        for (int i = 0; i < POINTS; i++) {
            noise[i] = (random.nextDouble() * 2 - 1) * Math.sqrt(3);
        }
        return i -> level + noise[i];
    }

    /** All envelopes ordered by receive time, as a broker would deliver them. */
    public List<Envelope> envelopes() {
        List<Envelope> sorted = new ArrayList<>(envelopes);
        sorted.sort(Comparator.comparingLong(Envelope::getReceivedAt));
        return sorted;
    }
}
