package dev.vigil.bench.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.minicluster.RpcServiceSharing;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;

/**
 * One MiniCluster (one task manager, {@link JobThroughputBenchmark#PARALLELISM} slots) that every
 * run of a benchmark JVM is submitted to, as jobs are submitted to a running cluster in production.
 * {@code env.execute()} on a local environment starts and stops a MiniCluster per job, and that is
 * not a cost of the job: the start-up (RPC actor systems, services, memory pools) took wall time in
 * every run, and Flink loads its RPC system (Pekko, Scala, its config library) into a fresh class
 * loader per MiniCluster, so the JIT compiled all of it again during every measured run — about 1
 * CPU-s per run after eight warm-up runs ({@code bench/PROFILE.md}, round 9).
 *
 * <p>The cluster's own options are those of {@link JobThroughputBenchmark#clusterConfig}; each
 * job's options (state backend, checkpoints, buffer timeout, object reuse) travel with its job
 * graph, as with {@code execute()}.
 */
final class BenchCluster implements AutoCloseable {

    private final MiniCluster cluster;
    private final Path checkpoints;

    private BenchCluster(MiniCluster cluster, Path checkpoints) {
        this.cluster = cluster;
        this.checkpoints = checkpoints;
    }

    /** Starts a cluster with {@code config} (memory sizes and other cluster options). */
    static BenchCluster start(Configuration config) throws Exception {
        MiniCluster cluster =
                new MiniCluster(
                        new MiniClusterConfiguration.Builder()
                                .setConfiguration(config)
                                .setNumTaskManagers(1)
                                .setNumSlotsPerTaskManager(JobThroughputBenchmark.PARALLELISM)
                                .setRpcServiceSharing(RpcServiceSharing.SHARED)
                                .build());
        Path checkpoints = Files.createTempDirectory("vigil-bench-checkpoints");
        try {
            cluster.start();
        } catch (Exception e) {
            deleteRecursively(checkpoints);
            throw e;
        }
        return new BenchCluster(cluster, checkpoints);
    }

    /**
     * A directory for the jobs' checkpoints, deleted when the cluster has closed (a job's result
     * can come before its checkpoint directory is cleaned up).
     */
    Path checkpoints() {
        return checkpoints;
    }

    /** The job built on {@code env}, as {@code env.execute(name)} would build it. */
    static JobGraph jobGraph(StreamExecutionEnvironment env, String name) {
        StreamGraph graph = env.getStreamGraph();
        graph.setJobName(name);
        return graph.getJobGraph();
    }

    /**
     * Runs {@code job} to its end and returns its result (accumulators included).
     *
     * @throws org.apache.flink.runtime.client.JobExecutionException when the job failed
     */
    JobExecutionResult execute(JobGraph job) throws Exception {
        JobID id = cluster.submitJob(job).get().getJobID();
        return cluster.requestJobResult(id)
                .get()
                .toJobExecutionResult(BenchCluster.class.getClassLoader());
    }

    @Override
    public void close() throws Exception {
        try {
            cluster.close();
        } finally {
            deleteRecursively(checkpoints);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.deleteIfExists(p);
            }
        }
    }
}
