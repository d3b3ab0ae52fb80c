package dev.vigil.simulator.mqtt;

import dev.vigil.simulator.FleetConfig;
import dev.vigil.simulator.FleetSimulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttException;

/**
 * {@code ./vigil simulate}: publishes a simulated fleet to an MQTT broker (Paho, QoS 1) and writes
 * what was injected as the ground-truth CSV.
 *
 * <pre>
 * ./vigil simulate [--config fleet.yaml] [--set key=value]... [--mqtt tcp://127.0.0.1:11883]
 *                  [--rate MSGS_PER_S | --speed FACTOR | --as-fast-as-possible]
 *                  [--truth truth.csv] [--client-id vigil-simulator]
 * </pre>
 *
 * Pacing: {@code --rate} spaces messages evenly (default {@value #DEFAULT_RATE}/s), {@code --speed}
 * replays the simulated arrival times (1 = real time; with {@code --set start=NOW} the fleet looks
 * live), {@code --as-fast-as-possible} only waits for the broker's acknowledgements.
 */
public final class SimulateMain {

    static final double DEFAULT_RATE = 200;
    static final String DEFAULT_URL = "tcp://127.0.0.1:11883";

    private SimulateMain() {}

    public static void main(String[] args) {
        try {
            System.out.println(run(Arguments.parse(args)));
        } catch (IllegalArgumentException e) {
            System.err.println("vigil simulate: " + e.getMessage());
            System.err.println(usage());
            System.exit(2);
        } catch (IOException | MqttException | IllegalStateException e) {
            System.err.println("vigil simulate: " + e);
            System.exit(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.exit(1);
        }
    }

    /** Publishes the run described by {@code a}; returns a one-line summary. */
    static String run(Arguments a) throws IOException, MqttException, InterruptedException {
        FleetSimulator simulator = new FleetSimulator(a.fleetConfig());
        Path truthParent = a.truth.toAbsolutePath().getParent();
        if (truthParent != null) {
            Files.createDirectories(truthParent);
        }
        simulator.groundTruth().writeCsv(a.truth);
        System.err.println(
                "vigil simulate: publishing to "
                        + a.mqttUrl
                        + " ("
                        + a.pacing()
                        + "), ground truth in "
                        + a.truth);
        long published;
        try (EnvelopePublisher publisher =
                EnvelopePublisher.connect(
                        a.mqttUrl, a.clientId, EnvelopePublisher.DEFAULT_WINDOW)) {
            published = FleetPublisher.publish(simulator, publisher, a.pacer(), count -> {});
        }
        return "published "
                + published
                + " messages to "
                + a.mqttUrl
                + " and "
                + simulator.groundTruth().size()
                + " ground-truth entries to "
                + a.truth
                + " ("
                + simulator.stats()
                + ")";
    }

    static String usage() {
        return "usage: vigil simulate [--config FILE.yaml] [--set key=value]... [--mqtt URL]"
                + " [--rate MSGS_PER_S | --speed FACTOR | --as-fast-as-possible]"
                + " [--truth FILE.csv] [--client-id ID]";
    }

    /** Parsed command line. */
    static final class Arguments {
        Path config;
        final Map<String, String> overrides = new LinkedHashMap<>();
        String mqttUrl = DEFAULT_URL;
        String clientId = "vigil-simulator";
        Path truth = Path.of("truth.csv");
        Double rate;
        Double speed;
        boolean asFastAsPossible;

        static Arguments parse(String[] args) {
            Arguments a = new Arguments();
            for (int i = 0; i < args.length; i++) {
                String flag = args[i];
                if (flag.equals("--as-fast-as-possible")) {
                    a.asFastAsPossible = true;
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value after " + flag);
                }
                a.set(flag, args[++i]);
            }
            int pacings =
                    (a.rate != null ? 1 : 0)
                            + (a.speed != null ? 1 : 0)
                            + (a.asFastAsPossible ? 1 : 0);
            if (pacings > 1) {
                throw new IllegalArgumentException(
                        "use only one of --rate, --speed and --as-fast-as-possible");
            }
            a.pacer(); // validates the rate or speed
            return a;
        }

        private void set(String flag, String value) {
            switch (flag) {
                case "--config" -> config = Path.of(value);
                case "--set" -> addOverride(value);
                case "--mqtt" -> mqttUrl = value;
                case "--client-id" -> clientId = value;
                case "--truth" -> truth = Path.of(value);
                case "--rate" -> rate = number(flag, value);
                case "--speed" -> speed = number(flag, value);
                default -> throw new IllegalArgumentException("unknown option " + flag);
            }
        }

        private static double number(String flag, String value) {
            try {
                return Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(flag + " expects a number, got " + value);
            }
        }

        private void addOverride(String keyValue) {
            int eq = keyValue.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--set expects key=value, got " + keyValue);
            }
            overrides.put(keyValue.substring(0, eq), keyValue.substring(eq + 1));
        }

        FleetConfig fleetConfig() throws IOException {
            FleetConfig.Builder builder =
                    config == null
                            ? FleetConfig.builder()
                            : FleetConfig.fromYaml(config).toBuilder();
            overrides.forEach(builder::set);
            return builder.build();
        }

        Pacer pacer() {
            if (asFastAsPossible) {
                return Pacer.unlimited();
            }
            return speed != null
                    ? Pacer.atSpeed(speed)
                    : Pacer.atRate(rate != null ? rate : DEFAULT_RATE);
        }

        String pacing() {
            if (asFastAsPossible) {
                return "as fast as possible";
            }
            return speed != null
                    ? speed + "x real time"
                    : (rate != null ? rate : DEFAULT_RATE) + " messages/s";
        }
    }
}
