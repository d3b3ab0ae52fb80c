package dev.vigil.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.pipeline.config.VigilConfig;
import dev.vigil.pipeline.config.VigilOptions;
import dev.vigil.pipeline.local.CollectingListener;
import dev.vigil.pipeline.local.LocalRun;
import dev.vigil.pipeline.model.Anomaly;
import dev.vigil.pipeline.model.AnomalyKind;
import dev.vigil.pipeline.testutils.Scenario;
import java.nio.file.Path;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole job on RocksDB, checkpointing every 50 ms, with a series cache far smaller than the
 * scenario's series (so the scoring operator's {@code SeriesStore} fills, writes back and empties
 * itself, and writes back before barriers) gives exactly what it gives on the heap backend over
 * {@link TelemetryWorkflowTest}'s scenario.
 */
class RocksDbWorkflowTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir static Path checkpoints;

    private static final int CACHE = 3;

    private static Outputs heap;
    private static Outputs rocksDb;

    @BeforeAll
    static void runOnBothBackends() throws Exception {
        Scenario scenario = TelemetryWorkflowTest.scenario();
        heap = run(scenario, environment(), VigilConfig.defaults());
        StreamExecutionEnvironment rocks = environment();
        rocks.configure(
                Configuration.fromMap(
                        Map.of(
                                "state.backend.type", "rocksdb",
                                "execution.checkpointing.interval", "50 ms",
                                "state.checkpoint-storage", "filesystem",
                                "state.checkpoints.dir", checkpoints.toUri().toString())));
        rocksDb =
                run(
                        scenario,
                        rocks,
                        VigilConfig.load(
                                null,
                                Map.of(VigilOptions.SERIES_CACHE.key(), String.valueOf(CACHE))));
    }

    private static StreamExecutionEnvironment environment() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        return env;
    }

    private static Outputs run(
            Scenario scenario, StreamExecutionEnvironment env, VigilConfig config)
            throws Exception {
        CollectingListener out = new CollectingListener();
        LocalRun.Counts counts = LocalRun.run(env, config, scenario.envelopes(), true, out);
        return new Outputs(counts, out);
    }

    @Test
    void moreSeriesThanTheCacheHolds() {
        assertThat(heap.out.scored.stream().map(p -> p.seriesId()).distinct().count())
                .isGreaterThan(2L * CACHE);
    }

    @Test
    void sameAnomaliesOfEveryKind() {
        assertThat(heap.out.anomalies)
                .extracting(Anomaly::getKind)
                .contains(
                        AnomalyKind.SPIKE,
                        AnomalyKind.LEVEL_SHIFT,
                        AnomalyKind.SUSTAINED_DEVIATION,
                        AnomalyKind.FLATLINE,
                        AnomalyKind.SILENCE,
                        AnomalyKind.DEVICE);
        assertThat(rocksDb.out.anomalies)
                .hasSize(heap.out.anomalies.size())
                .containsExactlyInAnyOrderElementsOf(heap.out.anomalies);
    }

    @Test
    void sameScoredPointsAndCounts() {
        assertThat(rocksDb.out.scored)
                .hasSize(heap.out.scored.size())
                .containsExactlyInAnyOrderElementsOf(heap.out.scored);
        assertThat(rocksDb.out.late).containsExactlyElementsOf(heap.out.late);
        assertThat(rocksDb.counts.points).isEqualTo(heap.counts.points);
        assertThat(rocksDb.counts.rejected).isEqualTo(heap.counts.rejected);
    }

    private static final class Outputs {
        final LocalRun.Counts counts;
        final CollectingListener out;

        Outputs(LocalRun.Counts counts, CollectingListener out) {
            this.counts = counts;
            this.out = out;
        }
    }
}
