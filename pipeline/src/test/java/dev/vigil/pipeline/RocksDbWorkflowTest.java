package dev.vigil.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.pipeline.config.VigilConfig;
import dev.vigil.pipeline.config.VigilOptions;
import dev.vigil.pipeline.testutils.Scenario;
import dev.vigil.pipeline.testutils.WorkflowRun;
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

    private static WorkflowRun heap;
    private static WorkflowRun rocksDb;

    @BeforeAll
    static void runOnBothBackends() throws Exception {
        Scenario scenario = TelemetryWorkflowTest.scenario();
        heap = WorkflowRun.of(scenario, WorkflowRun.environment(), VigilConfig.defaults());
        StreamExecutionEnvironment rocks = WorkflowRun.environment();
        rocks.configure(
                Configuration.fromMap(
                        Map.of(
                                "state.backend.type", "rocksdb",
                                "execution.checkpointing.interval", "50 ms",
                                "state.checkpoint-storage", "filesystem",
                                "state.checkpoints.dir", checkpoints.toUri().toString())));
        rocksDb =
                WorkflowRun.of(
                        scenario,
                        rocks,
                        VigilConfig.load(
                                null,
                                Map.of(VigilOptions.SERIES_CACHE.key(), String.valueOf(CACHE))));
    }

    @Test
    void moreSeriesThanTheCacheHolds() {
        assertThat(heap.out.scored.stream().map(p -> p.seriesId()).distinct().count())
                .isGreaterThan(2L * CACHE);
    }

    @Test
    void sameAnomaliesOfEveryKind() {
        WorkflowRun.assertSameAnomaliesOfEveryKind(rocksDb, heap);
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
}
