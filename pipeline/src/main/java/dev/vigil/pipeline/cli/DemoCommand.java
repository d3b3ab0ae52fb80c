package dev.vigil.pipeline.cli;

import dev.vigil.pipeline.demo.Demo;
import dev.vigil.simulator.FleetConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
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
        Demo.run(fleetConfig(), config.load(), parallelism, !quiet, System.out);
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
}
