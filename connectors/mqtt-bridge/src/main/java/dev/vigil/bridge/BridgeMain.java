package dev.vigil.bridge;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./vigil bridge --config FILE}: runs the MQTT → Kafka bridge until SIGTERM/SIGINT, then
 * stops gracefully. Exit codes: 0 after a normal stop, 2 for a bad config, 1 when a broker cannot
 * be reached at start.
 */
@Command(
        name = "vigil bridge",
        mixinStandardHelpOptions = true,
        description =
                "Forwards MQTT messages to Kafka, at least once (acknowledged after Kafka confirmed).")
public final class BridgeMain implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(BridgeMain.class);

    @Option(
            names = "--config",
            required = true,
            paramLabel = "FILE",
            description = "Bridge YAML config (see connectors/mqtt-bridge/bridge.example.yaml).")
    Path config;

    @Option(names = "--check", description = "Validate the config, print it and exit.")
    boolean check;

    public static void main(String[] args) {
        System.exit(new CommandLine(new BridgeMain()).execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        BridgeConfig settings;
        try {
            settings = BridgeConfig.load(config);
        } catch (IllegalArgumentException e) {
            System.err.println("vigil bridge: " + e.getMessage());
            return 2;
        }
        if (check) {
            System.out.println("Config OK: " + settings);
            return 0;
        }
        Bridge bridge = new Bridge(settings);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    bridge.close();
                                    stopped.countDown();
                                },
                                "bridge-shutdown"));
        try {
            bridge.start();
        } catch (BridgeException | IllegalArgumentException e) {
            System.err.println("vigil bridge: " + e.getMessage());
            LOG.debug("Start failed", e);
            return 1;
        }
        stopped.await();
        return 0;
    }
}
