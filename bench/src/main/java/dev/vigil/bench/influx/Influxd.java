package dev.vigil.bench.influx;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

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
        this.port = freePortPair();
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
        ProcessBuilder builder = new ProcessBuilder("bash", script.toString());
        builder.command().addAll(List.of(args));
        builder.environment().put("VIGIL_SERVICES_DIR", servicesDir.toString());
        builder.redirectErrorStream(true);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(SCRIPT_TIMEOUT_S, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(
                    script + " " + String.join(" ", args) + " failed:\n" + output);
        }
        return output;
    }

    private void deleteData() throws IOException {
        Path dir = servicesDir.resolve("influxdb-" + port);
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** A free port P with P+1 also free (influxd binds its RPC service there). */
    private static int freePortPair() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int candidate;
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                candidate = socket.getLocalPort();
            }
            if (candidate < 65535 && isFree(candidate + 1)) {
                return candidate;
            }
        }
        throw new IOException("no free port pair found on 127.0.0.1");
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
