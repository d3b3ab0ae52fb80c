package dev.vigil.bench.job;

import dev.vigil.common.model.Envelope;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * Index → envelope over {@link MixedPayloads} (encoded once per JVM, {@link MixedPayloads#shared}).
 * Every device reports once per {@value #INTERVAL_MS} ms of event time; receive time advances with
 * the index. The {@code DataGeneratorSource} gives each reader a contiguous index range, so the
 * time is derived from the reader-local offset (index − first index seen), and each reader owns a
 * disjoint set of devices: both readers' event time advances at the same pace and each series comes
 * from one reader, in order.
 */
public final class EnvelopeGenerator implements GeneratorFunction<Long, Envelope> {

    private static final long serialVersionUID = 1L;

    /** 2026-01-01T00:00:00Z. */
    static final long START_MS = 1_767_225_600_000L;

    static final long INTERVAL_MS = 10_000;

    private transient MixedPayloads payloads;
    private transient int readers;
    private transient int reader;
    private transient int devicesPerReader;
    private transient long firstIndex;

    @Override
    public void open(SourceReaderContext context) {
        payloads = MixedPayloads.shared();
        readers = context.currentParallelism();
        reader = context.getIndexOfSubtask();
        devicesPerReader = MixedPayloads.DEVICES / readers;
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
        long receivedAt = START_MS + round * INTERVAL_MS + slot * INTERVAL_MS / devicesPerReader;
        return new Envelope(
                payloads.topic(device),
                payloads.payload(device, (int) (round % MixedPayloads.VARIANTS)),
                receivedAt);
    }
}
