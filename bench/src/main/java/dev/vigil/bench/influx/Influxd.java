package dev.vigil.bench.influx;

import dev.vigil.bench.ServiceScripts;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * An influxd of its own on a free loopback port, started and stopped (by its recorded PID) through
 * {@code scripts/services/influxdb.sh}, with its data under {@code bench/target/influxdb-services}
 * (deleted on {@link #close}).
 */
final class Influxd implements AutoCloseable {

    private static final long SCRIPT_TIMEOUT_S = 60;

    private final Path script;
    private final Path servicesDir;
    private final int port;

    private Influxd(Path repo) throws IOException {
        this.script = repo.resolve("scripts/services/influxdb.sh");
        this.servicesDir = repo.resolve("bench/target/influxdb-services");
        this.port = ServiceScripts.freePortPair();
    }

    static Influxd start(Path repo) throws IOException, InterruptedException {
        Influxd influxd = new Influxd(repo);
        influxd.deleteData();
        System.out.println(influxd.run("start", String.valueOf(influxd.port)).trim());
        return influxd;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        System.out.println(run("stop", String.valueOf(port)).trim());
        deleteData();
    }

    private String run(String... args) throws IOException, InterruptedException {
        return ServiceScripts.run(script, servicesDir, Map.of(), SCRIPT_TIMEOUT_S, args);
    }

    private void deleteData() throws IOException {
        ServiceScripts.deleteRecursively(servicesDir.resolve("influxdb-" + port));
    }
}
