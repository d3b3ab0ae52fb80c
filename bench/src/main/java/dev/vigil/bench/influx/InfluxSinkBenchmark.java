package dev.vigil.bench.influx;

import dev.vigil.bench.BenchReport;
import dev.vigil.bench.Fmt;
import dev.vigil.connectors.influxdb.InfluxDbAdmin;
import dev.vigil.connectors.influxdb.InfluxDbSink;
import java.nio.file.Path;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Issue "InfluxDB sink": how close {@link InfluxDbSink} gets to a plain HTTP writer. Starts its own
 * influxd (scripts/services/influxdb.sh, free port), then writes N lines of the {@link LineCorpus}
 * (10,000 series) into a fresh database per run: (i) {@link PlainHttpWriter}, 5,000-line batches, 1
 * and 2 requests in flight; (ii) the sink in a Flink job (source → sink, parallelism 1 and 2,
 * identity converter, sink defaults: 5,000-line batches, ≤ 4 requests in flight per writer) on a
 * MiniCluster started once, so the time around the job is deployment + writing, not cluster
 * start-up. After each run {@code count(value) == N} is checked. influxd is stopped at the end.
 *
 * <p>{@code -Dvigil.bench.influx.points=1000000}.
 */
public final class InfluxSinkBenchmark {

    static final int BATCH = 5_000;

    private InfluxSinkBenchmark() {}

    public static BenchReport run(Path repo) throws Exception {
        long n = Long.getLong("vigil.bench.influx.points", 1_000_000L);
        BenchReport report =
                new BenchReport(
                        "influx",
                        "InfluxDB sink vs. plain HTTP writer (" + Fmt.count(n) + " points)",
                        "writer",
                        "points",
                        "wall time",
                        "points/s",
                        "vs. best plain");
        try (Influxd influxd = Influxd.start(repo)) {
            InfluxDbAdmin admin = InfluxDbAdmin.connect(influxd.url(), null, null);
            LineCorpus corpus = new LineCorpus();
            // Warm-up (not reported): JIT, HTTP client, influxd's first shard.
            plain(admin, influxd.url(), "bench_warmup", corpus, 200_000, 2);
            long plain1 = plain(admin, influxd.url(), "bench_plain_c1", corpus, n, 1);
            long plain2 = plain(admin, influxd.url(), "bench_plain_c2", corpus, n, 2);
            long sink1;
            long sink2;
            try (MiniCluster cluster = miniCluster()) {
                cluster.start();
                sink(cluster, admin, influxd.url(), "bench_sink_warmup", 200_000, 1);
                sink1 = sink(cluster, admin, influxd.url(), "bench_sink_p1", n, 1);
                sink2 = sink(cluster, admin, influxd.url(), "bench_sink_p2", n, 2);
            }
            long bestPlain = Math.min(plain1, plain2);
            row(report, "plain HttpClient, 1 request in flight", n, plain1, bestPlain);
            row(report, "plain HttpClient, 2 requests in flight", n, plain2, bestPlain);
            row(report, "InfluxDbSink, parallelism 1", n, sink1, bestPlain);
            row(report, "InfluxDbSink, parallelism 2", n, sink2, bestPlain);
            report.note(
                    "sink/plain ratio (best sink vs. best plain): "
                            + Fmt.decimal(bestPlain / (double) Math.min(sink1, sink2), 2)
                            + " (target ≥ 0.8)");
        }
        return report.note(
                        "line: "
                                + LineCorpus.MEASUREMENT
                                + " with 5 tags, 7 float fields, ms timestamp (~190 bytes),"
                                + " 10,000 series; every run into a fresh database; count(value)"
                                + " verified = N after each run")
                .note(
                        "sink runs on a MiniCluster started before (job deployment included in"
                                + " the wall time, cluster start-up not); influxd 1.x on the same 2"
                                + " cores");
    }

    private static void row(BenchReport report, String label, long n, long nanos, long best) {
        report.row(
                label,
                Fmt.count(n),
                Fmt.seconds(nanos),
                Fmt.rate(n / (nanos / 1e9)),
                Fmt.decimal(best / (double) nanos, 2));
    }

    private static long plain(
            InfluxDbAdmin admin,
            String url,
            String database,
            LineCorpus corpus,
            long n,
            int concurrency)
            throws Exception {
        admin.createDatabase(database);
        PlainHttpWriter writer = new PlainHttpWriter(url, database, BATCH, concurrency);
        long start = System.nanoTime();
        writer.write(corpus, n);
        long nanos = System.nanoTime() - start;
        verify(admin, database, n, nanos);
        return nanos;
    }

    private static long sink(
            MiniCluster cluster,
            InfluxDbAdmin admin,
            String url,
            String database,
            long n,
            int parallelism)
            throws Exception {
        admin.createDatabase(database);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(parallelism);
        env.fromSource(
                        new DataGeneratorSource<>(new LineGenerator(), n, Types.STRING),
                        WatermarkStrategy.noWatermarks(),
                        "lines")
                .sinkTo(
                        InfluxDbSink.<String>builder()
                                .setUrl(url)
                                .setDatabase(database)
                                .setElementConverter(new IdentityConverter())
                                .build())
                .name("influxdb sink");
        JobGraph job = env.getStreamGraph().getJobGraph();
        long start = System.nanoTime();
        cluster.executeJobBlocking(job);
        long nanos = System.nanoTime() - start;
        verify(admin, database, n, nanos);
        return nanos;
    }

    private static void verify(InfluxDbAdmin admin, String database, long n, long nanos) {
        long count =
                admin.queryLong(
                        database, "SELECT count(value) FROM \"" + LineCorpus.MEASUREMENT + "\"");
        System.out.printf(
                "%-18s %,10d points in %s = %s points/s, count(value) = %,d%n",
                database, n, Fmt.seconds(nanos), Fmt.rate(n / (nanos / 1e9)), count);
        if (count != n) {
            throw new IllegalStateException(
                    database + ": count(value) = " + count + ", expected " + n);
        }
    }

    private static MiniCluster miniCluster() {
        Configuration conf = new Configuration();
        conf.setString("taskmanager.memory.network.max", "128m");
        return new MiniCluster(
                new MiniClusterConfiguration.Builder()
                        .setConfiguration(conf)
                        .setNumTaskManagers(1)
                        .setNumSlotsPerTaskManager(2)
                        .build());
    }
}
