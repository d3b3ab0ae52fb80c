package dev.vigil.bench.e2e;

import dev.vigil.bench.ServiceScripts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Map;

/**
 * Mosquitto, a Kafka broker and InfluxDB on free loopback ports, each started and stopped (by its
 * recorded PID) through its {@code scripts/services/*.sh} — the scripts users, CI and the
 * integration tests use — with its state under {@code bench/target/e2e-services/<service>-<port>}.
 * {@link #close} (or a shutdown hook, on Ctrl-C) stops whatever was started, in reverse order, also
 * after a failed start.
 */
final class LocalServices implements AutoCloseable {

    private static final long SCRIPT_TIMEOUT_S = 180;

    private final Path repo;
    private final Path servicesDir;
    private final Deque<String[]> stops = new ArrayDeque<>();
    private int mqttPort;
    private int kafkaPort;
    private int influxPort;

    private final Thread shutdownHook = new Thread(this::close, "e2e-services-stop");

    private LocalServices(Path repo) {
        this.repo = repo;
        this.servicesDir = repo.resolve("bench/target/e2e-services");
    }

    static LocalServices start(Path repo) throws IOException, InterruptedException {
        LocalServices services = new LocalServices(repo);
        Runtime.getRuntime().addShutdownHook(services.shutdownHook); // Ctrl-C: stop them too
        try {
            services.startAll();
        } catch (IOException | InterruptedException | RuntimeException e) {
            services.close();
            throw e;
        }
        return services;
    }

    private void startAll() throws IOException, InterruptedException {
        mqttPort = ServiceScripts.freePortPair();
        run("mosquitto", "mosquitto-" + mqttPort, "install");
        stops.push(new String[] {"mosquitto", "mosquitto-" + mqttPort, "stop"});
        System.out.println(
                run("mosquitto", "mosquitto-" + mqttPort, "start", "" + mqttPort).trim());

        kafkaPort = ServiceScripts.freePortPair();
        run("kafka", "kafka-" + kafkaPort, "install");
        stops.push(new String[] {"kafka", "kafka-" + kafkaPort, "reset"});
        System.out.println(run("kafka", "kafka-" + kafkaPort, "start", "" + kafkaPort).trim());

        influxPort = ServiceScripts.freePortPair();
        run("influxdb", "influxdb", "install");
        stops.push(new String[] {"influxdb", "influxdb", "stop", "" + influxPort});
        System.out.println(run("influxdb", "influxdb", "start", "" + influxPort).trim());
    }

    /** Deletes the InfluxDB data of this run (hundreds of MB); the other services' logs stay. */
    private void deleteInfluxData() throws IOException {
        ServiceScripts.deleteRecursively(
                servicesDir.resolve("influxdb").resolve("influxdb-" + influxPort));
    }

    String mqttUrl() {
        return "tcp://127.0.0.1:" + mqttPort;
    }

    String kafkaBootstrap() {
        return "127.0.0.1:" + kafkaPort;
    }

    String influxUrl() {
        return "http://127.0.0.1:" + influxPort;
    }

    @Override
    public synchronized void close() {
        if (Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down: the hook runs (and finds nothing left)
            }
        }
        while (!stops.isEmpty()) {
            String[] stop = stops.pop();
            try {
                System.out.println(
                        run(stop[0], stop[1], Arrays.copyOfRange(stop, 2, stop.length)).trim());
            } catch (Exception e) {
                System.err.println("stopping " + stop[0] + " failed: " + e.getMessage());
            }
        }
        try {
            deleteInfluxData();
        } catch (IOException e) {
            System.err.println("deleting the InfluxDB data failed: " + e.getMessage());
        }
    }

    private String run(String service, String instance, String... args)
            throws IOException, InterruptedException {
        Path dir = servicesDir.resolve(instance);
        Files.createDirectories(dir);
        return ServiceScripts.run(
                repo.resolve("scripts/services/" + service + ".sh"),
                dir,
                // the broker jars are shared with the tests and ./vigil stack
                Map.of("VIGIL_KAFKA_LIB", repo.resolve(".vigil/services/kafka-lib").toString()),
                SCRIPT_TIMEOUT_S,
                args);
    }
}
