package dev.vigil.bench.e2e;

import dev.vigil.pipeline.model.Anomaly;
import dev.vigil.pipeline.model.AnomalyKind;
import org.apache.flink.api.common.functions.FilterFunction;

/**
 * Notes when the job emits each injected SPIKE (the {@link SpikeLedger.Stage#EMITTED} sighting),
 * beside the InfluxDB sink on the same anomaly stream; passes nothing on. The job runs on a
 * MiniCluster inside the benchmark's JVM, so it reaches the run's ledger through {@link #ledger}.
 */
final class EmittedSpikeRecorder implements FilterFunction<Anomaly> {

    private static final long serialVersionUID = 1L;

    /** The ledger of the run in progress (set by the benchmark before it submits the job). */
    static volatile SpikeLedger ledger;

    @Override
    public boolean filter(Anomaly a) {
        SpikeLedger current = ledger;
        if (current != null && a.getKind() == AnomalyKind.SPIKE) {
            String device = tag(a.getTags(), "device");
            if (device != null) {
                current.seen(
                        SpikeLedger.Stage.EMITTED,
                        device,
                        a.getField(),
                        a.getStart(),
                        System.nanoTime());
            }
        }
        return false;
    }

    static String tag(String[] tags, String key) {
        if (tags == null) {
            return null;
        }
        for (int i = 0; i + 1 < tags.length; i += 2) {
            if (key.equals(tags[i])) {
                return tags[i + 1];
            }
        }
        return null;
    }
}
