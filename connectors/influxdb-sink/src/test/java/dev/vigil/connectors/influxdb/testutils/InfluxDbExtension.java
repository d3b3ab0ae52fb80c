package dev.vigil.connectors.influxdb.testutils;

import static org.assertj.core.api.Assertions.fail;

import dev.vigil.connectors.influxdb.InfluxDbAdmin;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts a real {@code influxd} on a free loopback port before all tests of a class and stops it
 * after, through {@code scripts/services/influxdb.sh} — the same recipe users and CI run. When
 * influxd is not installed the tests are skipped (or fail when {@code CI=true}).
 *
 * <pre>{@code
 * @RegisterExtension static final InfluxDbExtension INFLUX = InfluxDbExtension.plain();
 * }</pre>
 */
public final class InfluxDbExtension implements BeforeAllCallback, AfterAllCallback {

    private static final String SCRIPT = "scripts/services/influxdb.sh";
    private static final long SCRIPT_TIMEOUT_S = 60;

    private final boolean auth;
    private Path script;
    private Path servicesDir;
    private int port;

    private InfluxDbExtension(boolean auth) {
        this.auth = auth;
    }

    /** An instance without authentication. */
    public static InfluxDbExtension plain() {
        return new InfluxDbExtension(false);
    }

    /** An instance with {@code [http] auth-enabled = true} (create the first admin user). */
    public static InfluxDbExtension withAuth() {
        return new InfluxDbExtension(true);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        requireInfluxd();
        script = repoDir().resolve(SCRIPT);
        servicesDir = Paths.get("target", "influxdb-services").toAbsolutePath();
        port = freePortPair();
        deleteRecursively(servicesDir.resolve("influxdb-" + port));
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (script != null) {
            stop();
            deleteRecursively(servicesDir.resolve("influxdb-" + port));
        }
    }

    /** Starts influxd (a no-op when running); data survives {@link #stop()}/{@link #start()}. */
    public void start() throws IOException, InterruptedException {
        run("start", String.valueOf(port), auth ? "--auth" : "");
    }

    /** Stops influxd by its recorded PID. */
    public void stop() throws IOException, InterruptedException {
        run("stop", String.valueOf(port));
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** An admin client without credentials. */
    public InfluxDbAdmin admin() {
        return InfluxDbAdmin.connect(url(), null, null);
    }

    /** An admin client with credentials. */
    public InfluxDbAdmin admin(String username, String password) {
        return InfluxDbAdmin.connect(url(), username, password);
    }

    private void run(String... args) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("bash", script.toString());
        for (String arg : args) {
            if (!arg.isEmpty()) {
                builder.command().add(arg);
            }
        }
        builder.environment().put("VIGIL_SERVICES_DIR", servicesDir.toString());
        builder.redirectErrorStream(true);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(SCRIPT_TIMEOUT_S, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(
                    SCRIPT + " " + String.join(" ", args) + " failed:\n" + output);
        }
    }

    private static void requireInfluxd() {
        if (onPath("influxd")) {
            return;
        }
        String message =
                "influxd is not installed: run 'bash scripts/services/influxdb.sh install' to run"
                        + " the InfluxDB integration tests";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(message + " (CI=true: integration tests must not be skipped)");
        }
        Assumptions.assumeTrue(false, message);
    }

    private static boolean onPath(String executable) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        return Stream.of(path.split(File.pathSeparator))
                .map(dir -> Paths.get(dir, executable))
                .anyMatch(Files::isExecutable);
    }

    private static Path repoDir() {
        String configured = System.getProperty("vigil.repo.dir");
        if (configured != null && Files.exists(Paths.get(configured, SCRIPT))) {
            return Paths.get(configured);
        }
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(SCRIPT))) {
                return dir;
            }
        }
        throw new IllegalStateException(
                "cannot find " + SCRIPT + " above " + Paths.get("").toAbsolutePath());
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

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
