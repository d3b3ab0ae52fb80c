package dev.vigil.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What the benchmarks need to run the project's {@code scripts/services/*.sh} themselves: free
 * loopback ports, a script call with its services directory, and removing a service's data.
 */
public final class ServiceScripts {

    private ServiceScripts() {}

    /**
     * Runs {@code bash script args...} with {@code VIGIL_SERVICES_DIR} (and {@code env}) set;
     * returns its output, or throws with the output when it fails or outlives {@code timeoutS}.
     */
    public static String run(
            Path script, Path servicesDir, Map<String, String> env, long timeoutS, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("VIGIL_SERVICES_DIR", servicesDir.toString());
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(timeoutS, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(
                    script + " " + String.join(" ", args) + " failed:\n" + output);
        }
        return output;
    }

    /** A free port P with P+1 also free (Kafka's controller, influxd's RPC service). */
    public static int freePortPair() throws IOException {
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

    /** Deletes {@code dir} and everything under it; nothing when it does not exist. */
    public static void deleteRecursively(Path dir) throws IOException {
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
