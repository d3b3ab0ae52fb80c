package dev.vigil.pipeline.demo;

import dev.vigil.common.model.Envelope;
import dev.vigil.common.model.Reject;
import dev.vigil.pipeline.TelemetryWorkflow;
import dev.vigil.pipeline.config.VigilConfig;
import dev.vigil.pipeline.config.VigilOptions;
import dev.vigil.pipeline.local.LocalRun;
import dev.vigil.pipeline.model.Anomaly;
import dev.vigil.pipeline.model.AnomalyKind;
import dev.vigil.pipeline.replay.AnomalyJson;
import dev.vigil.pipeline.sink.InfluxSinks;
import dev.vigil.simulator.FleetConfig;
import dev.vigil.simulator.FleetSimulator;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;

/**
 * {@code ./vigil demo}: the simulated fleet through the job graph on a local MiniCluster; prints
 * each anomaly as it is found and a summary with precision and recall against the simulator's
 * ground truth.
 */
public final class Demo {

    /**
     * How the fleet's messages reach the job: from memory, or through real brokers (the {@code
     * demo} module's embedded MQTT → bridge → Kafka). A feed is used for one run.
     */
    public interface Feed extends AutoCloseable {
        /** What carries the messages, for the banner (e.g. "in memory"). */
        String describe();

        /** The job's source of {@code envelopes}. */
        LocalRun.SourceFactory source(VigilConfig config, List<Envelope> envelopes);

        /**
         * The job runs: send {@code envelopes} and, for an unbounded source, end the job once it
         * has read them all. Must not block; on failure it cancels the job.
         */
        void start(List<Envelope> envelopes, JobClient job);

        /** Messages that went through the transport to the job (after the run). */
        long sent();

        /** Stops what the feed started; then throws what went wrong while feeding, if anything. */
        @Override
        void close() throws IOException;
    }

    /**
     * Creates the feed of a {@code --transport} (found with {@link java.util.ServiceLoader}; the
     * {@code demo} module provides "kafka").
     */
    public interface FeedProvider {
        /** The {@code --transport} value, e.g. "kafka". */
        String transport();

        Feed create(Options options, PrintStream out) throws Exception;
    }

    /** The envelopes as a bounded in-memory source: no broker involved. */
    public static final class MemoryFeed implements Feed {
        private long sent;

        @Override
        public String describe() {
            return "in memory (no broker)";
        }

        @Override
        public LocalRun.SourceFactory source(VigilConfig config, List<Envelope> envelopes) {
            return LocalRun.fromMemory(envelopes);
        }

        @Override
        public void start(List<Envelope> envelopes, JobClient job) {
            sent = envelopes.size();
        }

        @Override
        public long sent() {
            return sent;
        }

        @Override
        public void close() {}
    }

    /** What a demo run found. */
    public static final class Outcome {
        public final long sent;
        public final LocalRun.Counts counts;
        public final List<Anomaly> anomalies;
        public final Map<String, Integer> rejectsByReason;
        public final DetectionReport report;

        Outcome(
                long sent,
                LocalRun.Counts counts,
                List<Anomaly> anomalies,
                Map<String, Integer> rejectsByReason,
                DetectionReport report) {
            this.sent = sent;
            this.counts = counts;
            this.anomalies = anomalies;
            this.rejectsByReason = rejectsByReason;
            this.report = report;
        }
    }

    private Demo() {}

    /** The feed of {@code transport}: "memory", or one a {@link FeedProvider} on the class path. */
    public static Feed feed(String transport, Options options, PrintStream out) throws Exception {
        if (transport.equals("memory")) {
            return new MemoryFeed();
        }
        List<String> known = new ArrayList<>(List.of("memory"));
        for (FeedProvider provider : ServiceLoader.load(FeedProvider.class)) {
            if (provider.transport().equals(transport)) {
                return provider.create(options, out);
            }
            known.add(provider.transport());
        }
        throw new IllegalArgumentException(
                "Unknown demo transport '"
                        + transport
                        + "' on this class path (known: "
                        + known
                        + "). The embedded brokers (kafka) are in the demo module: run ./vigil demo.");
    }

    /** Where a demo writes its results and how it shows progress. */
    public static final class Options {
        int parallelism = 2;
        boolean printEach = true;
        boolean progressLine;
        int webUiPort;
        String influxUrl;
        Path dataDir;

        public Options parallelism(int p) {
            this.parallelism = p;
            return this;
        }

        public int getParallelism() {
            return parallelism;
        }

        public Options printEach(boolean b) {
            this.printEach = b;
            return this;
        }

        /** A live progress line on the terminal (only when one is attached). */
        public Options progressLine(boolean b) {
            this.progressLine = b;
            return this;
        }

        /** Flink's web UI on this port (0: none). */
        public Options webUiPort(int port) {
            this.webUiPort = port;
            return this;
        }

        /** Write raw points, stats, anomalies and rejects to this InfluxDB (1.x HTTP API). */
        public Options influxUrl(String url) {
            this.influxUrl = url;
            return this;
        }

        /** Without InfluxDB: line-protocol files for {@code influx -import} in this directory. */
        public Options dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }
    }

    /** Runs the demo with the fleet in memory (no broker). */
    public static Outcome run(
            FleetConfig fleet, VigilConfig config, Options options, PrintStream out)
            throws Exception {
        try (MemoryFeed feed = new MemoryFeed()) {
            return run(fleet, config, options, out, feed);
        }
    }

    /** Runs the demo with the fleet's messages carried by {@code feed}. */
    public static Outcome run(
            FleetConfig fleet, VigilConfig config, Options options, PrintStream out, Feed feed)
            throws Exception {
        FleetSimulator simulator = new FleetSimulator(fleet);
        List<Envelope> envelopes = new ArrayList<>();
        simulator.forEachRemaining(envelopes::add);
        out.printf(
                "vigil demo: %d sensors and %d servers for %s of simulated time (%d messages), %s,"
                        + " through the job on a local Flink cluster (parallelism %d)%n",
                fleet.sensors(),
                fleet.servers(),
                fleet.duration(),
                envelopes.size(),
                feed.describe(),
                options.parallelism);
        TelemetryWorkflow.Sinks sinks = sinks(config, options, out);
        if (options.webUiPort > 0) {
            out.printf("Flink web UI: http://127.0.0.1:%d%n", options.webUiPort);
        }
        out.println();

        List<Anomaly> anomalies = Collections.synchronizedList(new ArrayList<>());
        Map<String, Integer> rejectReasons = Collections.synchronizedMap(new TreeMap<>());
        Progress progress = new Progress(options.progressLine && System.console() != null, out);
        long started = System.nanoTime();
        LocalRun.Counts counts =
                LocalRun.run(
                        LocalRun.environment(options.parallelism, options.webUiPort),
                        config,
                        feed.source(config, envelopes),
                        false,
                        sinks,
                        new LocalRun.Listener() {
                            @Override
                            public void onStarted(JobClient job) {
                                feed.start(envelopes, job);
                            }

                            @Override
                            public void onAnomaly(Anomaly a) {
                                anomalies.add(a);
                                progress.anomaly(a);
                                if (options.printEach) {
                                    progress.println(line(a));
                                }
                            }

                            @Override
                            public void onReject(Reject r) {
                                rejectReasons.merge(r.getReason().name(), 1, Integer::sum);
                            }

                            @Override
                            public void onProgress(long received, long rejected, long points) {
                                progress.update(received, rejected, points);
                            }
                        });
        progress.finish();
        double seconds = (System.nanoTime() - started) / 1e9;
        Outcome outcome =
                new Outcome(
                        feed.sent(),
                        counts,
                        anomalies,
                        rejectReasons,
                        new DetectionReport(anomalies, simulator.groundTruth()));
        printSummary(out, outcome, seconds);
        return outcome;
    }

    private static TelemetryWorkflow.Sinks sinks(
            VigilConfig config, Options options, PrintStream out) throws IOException {
        if (options.influxUrl != null) {
            Configuration c = config.configuration();
            c.set(VigilOptions.INFLUX_URL, options.influxUrl);
            VigilConfig withUrl = VigilConfig.of(c);
            InfluxSinks.prepareDatabase(withUrl);
            out.printf(
                    "results: InfluxDB %s, database '%s'%n",
                    options.influxUrl, withUrl.get(VigilOptions.INFLUX_DATABASE));
            return InfluxSinks.create(withUrl);
        }
        if (options.dataDir != null) {
            clear(options.dataDir);
            String db = config.get(VigilOptions.INFLUX_DATABASE);
            out.printf(
                    "results: line-protocol files in %s (load them with: influx -import -precision=ms -path=FILE)%n",
                    options.dataDir);
            return InfluxSinks.files(options.dataDir, db);
        }
        return new TelemetryWorkflow.Sinks();
    }

    private static void clear(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            try (var files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    if (f.getFileName().toString().endsWith(".lp")) {
                        Files.delete(f);
                    }
                }
            }
        }
    }

    static String line(Anomaly a) {
        return String.format(
                "%s  %-8s %-19s %s",
                AnomalyJson.nabTime(a.getStart()), a.band(), a.getKind(), a.getDescription());
    }

    private static void printSummary(PrintStream out, Outcome o, double seconds) {
        Map<AnomalyKind, Integer> byKind = new EnumMap<>(AnomalyKind.class);
        for (Anomaly a : o.anomalies) {
            byKind.merge(a.getKind(), 1, Integer::sum);
        }
        out.printf("%n==== summary ====%n");
        out.printf(
                "messages: %d sent, %d received = %d accepted + %d rejected; %d points scored in"
                        + " %.1f s%n",
                o.sent,
                o.counts.received,
                o.counts.accepted,
                o.counts.rejected,
                o.counts.points,
                seconds);
        out.printf(
                "rejects by reason: %s%n",
                o.rejectsByReason.isEmpty() ? "none" : o.rejectsByReason);
        out.printf("anomalies by kind: %s%n%n", byKind);
        out.print(o.report.table());
    }
}
