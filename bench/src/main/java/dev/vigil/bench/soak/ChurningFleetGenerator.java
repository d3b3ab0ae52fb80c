package dev.vigil.bench.soak;

import dev.vigil.common.model.Envelope;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * Index → JSON sensor message of a fleet with device churn. {@code slots} devices are live at any
 * time; message {@code i} is from slot {@code i % slots}, with event time {@code START + i / rate}
 * seconds (the source is rate-limited to {@code rate} messages per second, so event time follows
 * wall time). Every {@code generationMessages} messages a quarter of the slots get a new device
 * (staggered: slot {@code s} is renewed when {@code (generation + s) % 4 == 0}), so old devices
 * stop and new ones appear at a steady pace and the set of devices ever seen grows without bound.
 *
 * <p>Values: level + bounded deterministic noise per field (no anomaly is expected).
 */
public final class ChurningFleetGenerator implements GeneratorFunction<Long, Envelope> {

    private static final long serialVersionUID = 1L;

    /** 2026-01-01T00:00:00Z. */
    static final long START_MS = 1_767_225_600_000L;

    static final int LIFETIME_GENERATIONS = 4;

    private final int slots;
    private final int fields;
    private final double rate;
    private final long generationMessages;

    public ChurningFleetGenerator(int slots, int fields, double rate, long generationMessages) {
        this.slots = slots;
        this.fields = fields;
        this.rate = rate;
        this.generationMessages = generationMessages;
    }

    @Override
    public void open(SourceReaderContext readerContext) {}

    @Override
    public Envelope map(Long index) {
        long i = index;
        int slot = (int) (i % slots);
        long generation = i / generationMessages;
        long timestamp = START_MS + (long) (i * 1000.0 / rate);
        String device = device(slot, generation);
        StringBuilder json = new StringBuilder(48 + fields * 20);
        json.append("{\"timestamp\":").append(timestamp);
        for (int f = 0; f < fields; f++) {
            json.append(",\"m")
                    .append(f)
                    .append("\":")
                    .append(20.0 + f + noise(slot, f, i / slots));
        }
        json.append('}');
        return new Envelope(
                "sensors/" + device + "/telemetry",
                json.toString().getBytes(StandardCharsets.UTF_8),
                timestamp);
    }

    /** The device in {@code slot} during {@code generation}. */
    static String device(int slot, long generation) {
        long epoch = (generation + slot % LIFETIME_GENERATIONS) / LIFETIME_GENERATIONS;
        return String.format(Locale.ROOT, "soak-%d-%d", slot, epoch);
    }

    /** Devices seen up to {@code generation} (inclusive). */
    long devicesSeen(long generation) {
        long seen = 0;
        for (int slot = 0; slot < slots; slot++) {
            seen += (generation + slot % LIFETIME_GENERATIONS) / LIFETIME_GENERATIONS + 1;
        }
        return seen;
    }

    private static double noise(int slot, int field, long round) {
        long z = slot * 0x9E3779B97F4A7C15L + field * 0xBF58476D1CE4E5B9L + round;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return ((z >>> 44) / (double) (1L << 20)) * 2.0 - 1.0;
    }
}
