package dev.vigil.bench.job;

import dev.vigil.common.model.Envelope;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * Index → envelope for the latency benchmark: like {@link EnvelopeGenerator}, but over the first
 * {@code devices} devices and with the <em>wall clock</em> at emission as receive time (so a
 * point's event time is when the source emitted it), and with spikes: from round {@value
 * #FIRST_SPIKE_ROUND} on (past the warm-up), every {@value #SPIKE_EVERY_ROUNDS}th round one device
 * in {@value #SPIKE_EVERY_DEVICES} sends its spike payload ({@link MixedPayloads#SPIKE_VARIANT}),
 * and another one in {@value #SPIKE_EVERY_DEVICES} sends it for {@value #EXCURSION_ROUNDS}
 * consecutive rounds every {@value #EXCURSION_EVERY_ROUNDS} rounds (a sustained deviation).
 */
public final class WallClockEnvelopeGenerator implements GeneratorFunction<Long, Envelope> {

    private static final long serialVersionUID = 1L;

    static final int FIRST_SPIKE_ROUND = 50;
    static final int SPIKE_EVERY_ROUNDS = 20;
    static final int SPIKE_EVERY_DEVICES = 10;
    static final int EXCURSION_EVERY_ROUNDS = 40;
    static final int EXCURSION_ROUNDS = 6;

    private final int devices;

    private transient MixedPayloads payloads;
    private transient int readers;
    private transient int reader;
    private transient int devicesPerReader;
    private transient long firstIndex;

    public WallClockEnvelopeGenerator(int devices) {
        this.devices = devices;
    }

    @Override
    public void open(SourceReaderContext context) {
        payloads = MixedPayloads.shared();
        readers = context.currentParallelism();
        reader = context.getIndexOfSubtask();
        devicesPerReader = Math.max(1, Math.min(devices, MixedPayloads.DEVICES) / readers);
        firstIndex = -1;
    }

    @Override
    public Envelope map(Long index) {
        if (firstIndex < 0) {
            firstIndex = index;
        }
        long local = index - firstIndex;
        int slot = (int) (local % devicesPerReader);
        long round = local / devicesPerReader;
        int device = slot * readers + reader;
        return new Envelope(
                payloads.topic(device),
                payloads.payload(device, variant(round, slot)),
                System.currentTimeMillis());
    }

    static int variant(long round, int slot) {
        boolean warm = round >= FIRST_SPIKE_ROUND;
        boolean spike = warm && round % SPIKE_EVERY_ROUNDS == 0 && slot % SPIKE_EVERY_DEVICES == 0;
        boolean excursion =
                warm
                        && round % EXCURSION_EVERY_ROUNDS >= EXCURSION_EVERY_ROUNDS / 2
                        && round % EXCURSION_EVERY_ROUNDS
                                < EXCURSION_EVERY_ROUNDS / 2 + EXCURSION_ROUNDS
                        && slot % SPIKE_EVERY_DEVICES == SPIKE_EVERY_DEVICES / 2;
        return spike || excursion
                ? MixedPayloads.SPIKE_VARIANT
                : (int) (round % MixedPayloads.VARIANTS);
    }
}
