package dev.vigil.pipeline.demo;

import dev.vigil.common.model.Envelope;
import dev.vigil.common.model.Reject;
import dev.vigil.pipeline.config.VigilConfig;
import dev.vigil.pipeline.local.LocalRun;
import dev.vigil.pipeline.model.Anomaly;
import dev.vigil.pipeline.model.AnomalyKind;
import dev.vigil.pipeline.replay.AnomalyJson;
import dev.vigil.simulator.FleetConfig;
import dev.vigil.simulator.FleetSimulator;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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

    public static Outcome run(
            FleetConfig fleet,
            VigilConfig config,
            int parallelism,
            boolean printEach,
            PrintStream out)
            throws Exception {
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
                        config,
                        envelopes,
                        parallelism,
                        false,
                        new LocalRun.Listener() {
                            @Override
                            public void onAnomaly(Anomaly a) {
                                anomalies.add(a);
                                if (printEach) {
                                    out.println(line(a));
                                }
                            }

                            @Override
                            public void onReject(Reject r) {
                                rejectReasons.merge(r.getReason().name(), 1, Integer::sum);
                            }
                        });
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
