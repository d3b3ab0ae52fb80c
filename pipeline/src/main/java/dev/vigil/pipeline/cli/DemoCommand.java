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
                        + " line protocol and collectd) with injected anomalies, published over MQTT to an"
                        + " embedded broker and forwarded by the bridge to an embedded Kafka broker (or from"
                        + " memory); prints the anomalies as they are found and a summary with precision and"
                        + " recall against the injections.")
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

    @Option(
            names = "--transport",
            paramLabel = "kafka|memory",
            description =
                    "How messages reach the job: kafka = the simulator publishes to an embedded MQTT"
                            + " broker, the bridge forwards to an embedded Kafka broker, the job reads"
                            + " Kafka (default); memory = straight from memory.")
    String transport = "kafka";

    @Option(names = "--parallelism", description = "Flink parallelism (default: 2).")
    int parallelism = 2;

    @Option(names = "--quiet", description = "Do not print each anomaly, only the summary.")
    boolean quiet;

    @Option(
            names = "--influxdb",
            paramLabel = "URL",
            description =
                    "Write results to this InfluxDB 1.x (e.g. http://127.0.0.1:8086; credentials from"
                            + " INFLUX_USERNAME/INFLUX_PASSWORD). Default: line-protocol files in --data-dir.")
    String influxdb;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description =
                    "Where the line-protocol files go without --influxdb (default: .vigil/data/demo).")
    Path dataDir;

    @Option(
            names = "--web-ui",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description = "Serve Flink's web UI on a free port while the demo runs (default: on).")
    boolean webUi;

    @Mixin ConfigOptions config;

    @Override
    public Integer call() throws Exception {
        Demo.Options options =
                new Demo.Options()
                        .parallelism(parallelism)
                        .printEach(!quiet)
                        .progressLine(true)
                        .webUiPort(webUi ? freePort() : 0)
                        .influxUrl(influxdb)
                        .dataDir(influxdb != null ? null : dataDir());
        try (Demo.Feed feed = Demo.feed(transport, options, System.out)) {
            Demo.run(fleetConfig(), config.load(), options, System.out, feed);
        }
        return 0;
    }

    private Path dataDir() {
        if (dataDir != null) {
            return dataDir;
        }
        return Path.of(System.getProperty("vigil.home", ".vigil"), "data", "demo");
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
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
