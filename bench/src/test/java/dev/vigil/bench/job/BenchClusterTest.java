package dev.vigil.bench.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Jobs of the job benchmark on the MiniCluster its runs share: every point is parsed (the run
 * checks the count), and the job's own options reach the cluster — the RocksDB run's checkpoints
 * land in the cluster's checkpoint directory, which is gone once the cluster has closed.
 */
class BenchClusterTest {

    private static final long POINTS = 20_000;

    @Test
    void runsJobsOneAfterAnotherWithTheirOwnOptions() throws Exception {
        Path checkpoints;
        System.setProperty("vigil.bench.flink.execution.checkpointing.interval", "100 ms");
        try (BenchCluster cluster = BenchCluster.start(JobThroughputBenchmark.clusterConfig())) {
            checkpoints = cluster.checkpoints();
            JobThroughputBenchmark.Run passThrough =
                    JobThroughputBenchmark.measure(cluster, "(b)", POINTS, false, "hashmap");
            JobThroughputBenchmark.Run rocks =
                    JobThroughputBenchmark.measure(cluster, "(c)", POINTS, true, "rocksdb");
            JobThroughputBenchmark.Run heap =
                    JobThroughputBenchmark.measure(cluster, "(a)", POINTS, true, "hashmap");

            assertThat(passThrough.points).isEqualTo(POINTS);
            assertThat(rocks.points).isEqualTo(POINTS);
            assertThat(heap.points).isEqualTo(POINTS);
            assertThat(heap.objectReuse).isTrue();
            // (c)'s checkpoint storage: a directory of its job
            assertThat(pathsUnder(checkpoints)).isPositive();
        } finally {
            System.clearProperty("vigil.bench.flink.execution.checkpointing.interval");
        }
        assertThat(checkpoints).doesNotExist();
    }

    private static long pathsUnder(Path dir) throws Exception {
        try (Stream<Path> paths = Files.walk(dir)) {
            return paths.filter(p -> !p.equals(dir)).count();
        }
    }
}
