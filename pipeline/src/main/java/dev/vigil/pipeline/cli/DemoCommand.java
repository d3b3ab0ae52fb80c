package dev.vigil.pipeline.cli;

import dev.vigil.common.model.Envelope;
import dev.vigil.common.model.Reject;
import dev.vigil.pipeline.demo.DetectionReport;
import dev.vigil.pipeline.local.LocalRun;
import dev.vigil.pipeline.model.Anomaly;
import dev.vigil.pipeline.model.AnomalyKind;
import dev.vigil.pipeline.replay.AnomalyJson;
import dev.vigil.simulator.FleetConfig;
import dev.vigil.simulator.FleetSimulator;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description =
                "Runs the job on a local Flink MiniCluster over a simulated fleet (IoT sensors in JSON, servers in"
                        + " line protocol and collectd) with injected anomalies; prints the anomalies as they are"
                        + " found and a summary with precision and recall against the injections.")
final class DemoCommand implements Callable<Integer> {

    @Option(
            names = "--duration",
            paramLabel = "DURATION",
            description = "Simulated time, e.g. 2h, 90m (default: 2h).")
    String duration;

    @Option(names = "--sensors", description = "IoT sensors (default: 12).")
    Integer sensors;

    @Option(names = "--servers", description = "Servers, line protocol and collectd (default: 6).")
    Integer servers;

    @Option(names = "--seed", description = "Random seed of the fleet (default: 42).")
    Long seed;

    @Option(
            names = "--fleet",
            paramLabel = "FILE",
            description = "Simulator YAML (see simulator/README).")
    Path fleetFile;

    @Option(names = "--parallelism", description = "Flink parallelism (default: 2).")
    int parallelism = 2;

    @Option(names = "--quiet", description = "Do not print each anomaly, only the summary.")
    boolean quiet;

    @Mixin ConfigOptions config;

    @Override
    public Integer call() throws Exception {
        FleetConfig fleet = fleetConfig();
        PrintStream out = System.out;
        FleetSimulator simulator = new FleetSimulator(fleet);
        List<Envelope> envelopes = new ArrayList<>();
        simulator.forEachRemaining(envelopes::add);
        out.printf(
                "vigil demo: %d sensors and %d servers for %s of simulated time (%d messages) through the job on"
                        + " a local Flink cluster (parallelism %d)%n%n",
                fleet.sensors(), fleet.servers(), fleet.duration(), envelopes.size(), parallelism);

        List<Anomaly> anomalies = Collections.synchronizedList(new ArrayList<>());
        Map<String, Integer> rejectReasons = Collections.synchronizedMap(new TreeMap<>());
        long started = System.nanoTime();
        LocalRun.Counts counts =
                LocalRun.run(
                        config.load(),
                        envelopes,
                        parallelism,
                        false,
                        new LocalRun.Listener() {
                            @Override
                            public void onAnomaly(Anomaly a) {
                                anomalies.add(a);
                                if (!quiet) {
                                    out.printf(
                                            "%s  %-8s %-19s %s%n",
                                            AnomalyJson.nabTime(a.getStart()),
                                            a.band(),
                                            a.getKind(),
                                            a.getDescription());
                                }
                            }

                            @Override
                            public void onReject(Reject r) {
                                rejectReasons.merge(r.getReason().name(), 1, Integer::sum);
                            }
                        });
        double seconds = (System.nanoTime() - started) / 1e9;
        printSummary(
                out,
                counts,
                rejectReasons,
                anomalies,
                new DetectionReport(anomalies, simulator.groundTruth()),
                seconds);
        return 0;
    }

    private FleetConfig fleetConfig() throws Exception {
        FleetConfig.Builder b =
                (fleetFile == null ? FleetConfig.defaults() : FleetConfig.fromYaml(fleetFile))
                        .toBuilder();
        if (duration != null) {
            b.duration(parseDuration(duration));
        }
        if (sensors != null) {
            b.sensors(sensors);
        }
        if (servers != null) {
            b.servers(servers);
        }
        if (seed != null) {
            b.seed(seed);
        }
        return b.build();
    }

    static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("h")) {
                return Duration.ofMinutes(
                        Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 60));
            }
            if (t.endsWith("m")) {
                return Duration.ofSeconds(
                        Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 60));
            }
            if (t.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
            }
            return Duration.parse(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "Cannot read duration '" + text + "': use e.g. 90m, 2h, 3600s or PT2H.");
        }
    }

    private static void printSummary(
            PrintStream out,
            LocalRun.Counts counts,
            Map<String, Integer> rejectReasons,
            List<Anomaly> anomalies,
            DetectionReport report,
            double seconds) {
        Map<AnomalyKind, Integer> byKind = new EnumMap<>(AnomalyKind.class);
        for (Anomaly a : anomalies) {
            byKind.merge(a.getKind(), 1, Integer::sum);
        }
        out.printf("%n==== summary ====%n");
        out.printf(
                "messages: %d received = %d accepted + %d rejected; %d points scored in %.1f s (%.0f points/s)%n",
                counts.received,
                counts.accepted,
                counts.rejected,
                counts.points,
                seconds,
                counts.points / seconds);
        out.printf("rejects by reason: %s%n", rejectReasons.isEmpty() ? "none" : rejectReasons);
        out.printf("anomalies by kind: %s%n%n", byKind);
        out.print(report.table());
    }
}
