package dev.vigil.bench.job;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Pre-encoded messages of a fleet of {@value #DEVICES} devices, {@value #POINTS_PER_MESSAGE} points
 * per message, so {@value #SERIES} series: one third JSON sensors ({@code sensors/<id>/telemetry},
 * temperature + humidity), one third Telegraf line protocol ({@code telegraf/<host>}, usage_user +
 * usage_system), one third collectd ({@code collectd/<host>/interface-eth0/if_octets}, rx + tx). No
 * payload carries a timestamp, so a point's event time is its envelope's receive time. Each device
 * has {@value #VARIANTS} payloads with different (noisy) values, so series are not constant.
 */
public final class MixedPayloads {

    public static final int DEVICES = 5_000;
    public static final int POINTS_PER_MESSAGE = 2;
    public static final int SERIES = DEVICES * POINTS_PER_MESSAGE;
    public static final int VARIANTS = 16;

    /** Index of each device's extra payload with a spike (+40 on the first value, ~40 σ). */
    public static final int SPIKE_VARIANT = VARIANTS;

    static final double SPIKE = 40.0;

    private static final String[] CITIES = {"Oslo", "Lima", "Pune", "Kyiv", "Gent", "Bern"};

    private final String[] topics = new String[DEVICES];
    private final byte[][][] payloads = new byte[DEVICES][VARIANTS + 1][];

    private MixedPayloads() {}

    /**
     * The payloads, encoded once per JVM: the MiniCluster runs in the benchmark's JVM, so readers
     * share them and the measured runs do not pay the encoding ({@code String.format} for 85,000
     * payloads, about 0.4 CPU-s per run — a tenth of the parse-only run's CPU).
     */
    public static synchronized MixedPayloads shared() {
        if (shared == null) {
            shared = create();
        }
        return shared;
    }

    private static MixedPayloads shared;

    /** Encodes all payloads (deterministic: fixed seed). */
    public static MixedPayloads create() {
        MixedPayloads p = new MixedPayloads();
        SplittableRandom random = new SplittableRandom(42);
        for (int d = 0; d < DEVICES; d++) {
            p.topics[d] = encodeTopic(d);
            double level = 10 + random.nextDouble() * 80;
            for (int v = 0; v < VARIANTS; v++) {
                double a = level + random.nextGaussian();
                double b = level / 2 + random.nextGaussian();
                p.payloads[d][v] = encodePayload(d, a, b).getBytes(StandardCharsets.UTF_8);
            }
            p.payloads[d][SPIKE_VARIANT] =
                    encodePayload(d, level + SPIKE, level / 2).getBytes(StandardCharsets.UTF_8);
        }
        return p;
    }

    public String topic(int device) {
        return topics[device];
    }

    public byte[] payload(int device, int variant) {
        return payloads[device][variant];
    }

    static String encodeTopic(int d) {
        switch (d % 3) {
            case 0:
                return "sensors/" + id(d) + "/telemetry";
            case 1:
                return "telegraf/" + id(d);
            default:
                return "collectd/" + id(d) + "/interface-eth0/if_octets";
        }
    }

    static String encodePayload(int d, double a, double b) {
        switch (d % 3) {
            case 0:
                return String.format(
                        Locale.ROOT,
                        "{\"id\":\"%s\",\"temperature\":%.2f,\"humidity\":%.2f,\"city\":\"%s\"}",
                        id(d),
                        a,
                        b,
                        CITIES[d % CITIES.length]);
            case 1:
                return String.format(
                        Locale.ROOT,
                        "cpu,host=%s,cpu=cpu-total usage_user=%.3f,usage_system=%.3f",
                        id(d),
                        a,
                        b);
            default:
                return String.format(
                        Locale.ROOT, "N:%d:%d\0", Math.round(a * 1000), Math.round(b * 1000));
        }
    }

    private static String id(int d) {
        return String.format(Locale.ROOT, "dev-%05d", d);
    }
}
