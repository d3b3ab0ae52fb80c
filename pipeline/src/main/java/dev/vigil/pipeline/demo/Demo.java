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
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;

/**
 * {@code ./vigil demo}: the simulated fleet through the job graph on a local MiniCluster; prints
 * each anomaly as it is found and a summary with precision and recall against the simulator's
 * ground truth.
 */
public final class Demo {

    /** What a demo run found. */
    public static final class Outcome {
        public final LocalRun.Counts counts;
        public final List<Anomaly> anomalies;
        public final Map<String, Integer> rejectsByReason;
        public final DetectionReport report;

        Outcome(
                LocalRun.Counts counts,
                List<Anomaly> anomalies,
                Map<String, Integer> rejectsByReason,
                DetectionReport report) {
            this.counts = counts;
            this.anomalies = anomalies;
            this.rejectsByReason = rejectsByReason;
            this.report = report;
        }
    }

    private Demo() {}

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

    public static Outcome run(
            FleetConfig fleet, VigilConfig config, Options options, PrintStream out)
            throws Exception {
        FleetSimulator simulator = new FleetSimulator(fleet);
        List<Envelope> envelopes = new ArrayList<>();
        simulator.forEachRemaining(envelopes::add);
        out.printf(
                "vigil demo: %d sensors and %d servers for %s of simulated time (%d messages) through the job on"
                        + " a local Flink cluster (parallelism %d)%n",
                fleet.sensors(),
                fleet.servers(),
                fleet.duration(),
                envelopes.size(),
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
                        envelopes,
                        false,
                        sinks,
                        new LocalRun.Listener() {
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
                "messages: %d received = %d accepted + %d rejected; %d points scored in %.1f s%n",
                o.counts.received, o.counts.accepted, o.counts.rejected, o.counts.points, seconds);
        out.printf(
                "rejects by reason: %s%n",
                o.rejectsByReason.isEmpty() ? "none" : o.rejectsByReason);
        out.printf("anomalies by kind: %s%n%n", byKind);
        out.print(o.report.table());
    }
}
