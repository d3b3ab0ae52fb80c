package dev.vigil.simulator;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the envelopes of a simulated run as JSON lines plus the ground-truth CSV.
 *
 * <pre>
 * SimulatorMain --out run.jsonl [--truth truth.csv] [--config fleet.yaml] [--set key=value]...
 * </pre>
 *
 * {@code --set} overrides a {@link FleetConfig} key (e.g. {@code --set duration=6h --set seed=7}).
 * The ground truth defaults to {@code <out>.truth.csv}.
 */
public final class SimulatorMain {

    private SimulatorMain() {}

    public static void main(String[] args) {
        try {
            System.out.println(run(args));
        } catch (IllegalArgumentException e) {
            System.err.println("simulator: " + e.getMessage());
            System.err.println(usage());
            System.exit(2);
        } catch (IOException e) {
            System.err.println("simulator: " + e);
            System.exit(1);
        }
    }

    /** Runs the simulator for these arguments and returns a one-line summary. */
    static String run(String[] args) throws IOException {
        Arguments a = Arguments.parse(args);
        FleetConfig.Builder builder =
                a.config == null
                        ? FleetConfig.builder()
                        : FleetConfig.fromYaml(a.config).toBuilder();
        a.overrides.forEach(builder::set);
        FleetConfig config = builder.build();
        FleetSimulator simulator = new FleetSimulator(config);
        long written = EnvelopeJsonLines.write(simulator, a.out);
        Path truth = a.truth != null ? a.truth : Path.of(a.out + ".truth.csv");
        simulator.groundTruth().writeCsv(truth);
        return "wrote "
                + written
                + " envelopes to "
                + a.out
                + " and "
                + simulator.groundTruth().size()
                + " ground-truth entries to "
                + truth
                + " ("
                + simulator.stats()
                + ")";
    }

    static String usage() {
        return "usage: SimulatorMain --out FILE.jsonl [--truth FILE.csv] [--config FILE.yaml]"
                + " [--set key=value]...";
    }

    private static final class Arguments {
        Path out;
        Path truth;
        Path config;
        final Map<String, String> overrides = new LinkedHashMap<>();

        static Arguments parse(String[] args) {
            Arguments a = new Arguments();
            List<String> list = new ArrayList<>(List.of(args));
            for (int i = 0; i < list.size(); i++) {
                String flag = list.get(i);
                if (i + 1 >= list.size()) {
                    throw new IllegalArgumentException("missing value after " + flag);
                }
                String value = list.get(++i);
                switch (flag) {
                    case "--out" -> a.out = Path.of(value);
                    case "--truth" -> a.truth = Path.of(value);
                    case "--config" -> a.config = Path.of(value);
                    case "--set" -> a.addOverride(value);
                    default -> throw new IllegalArgumentException("unknown option " + flag);
                }
            }
            if (a.out == null) {
                throw new IllegalArgumentException("--out is required");
            }
            return a;
        }

        private void addOverride(String keyValue) {
            int eq = keyValue.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--set expects key=value, got " + keyValue);
            }
            overrides.put(keyValue.substring(0, eq), keyValue.substring(eq + 1));
        }
    }
}
