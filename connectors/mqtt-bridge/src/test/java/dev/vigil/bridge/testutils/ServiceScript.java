package dev.vigil.bridge.testutils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.opentest4j.TestAbortedException;

/**
 * Runs one of {@code scripts/services/*.sh} — the same scripts developers and CI use — with its
 * state in a folder of its own under {@code target/services}.
 */
public final class ServiceScript {

    private final Path script;
    private final Path stateDir;
    private final Map<String, String> environment;

    public ServiceScript(String name, String instance, Map<String, String> environment) {
        this.script = repoDir().resolve("scripts/services/" + name + ".sh");
        this.stateDir = servicesDir().resolve(instance);
        this.environment = environment;
    }

    public static Path repoDir() {
        String dir = System.getProperty("vigil.repo.dir");
        return dir != null ? Path.of(dir) : Path.of("../..").toAbsolutePath().normalize();
    }

    public static Path servicesDir() {
        String dir = System.getProperty("vigil.services.dir");
        return dir != null ? Path.of(dir) : Path.of("target/services").toAbsolutePath();
    }

    /** Runs {@code script args...}; returns its output, throws with the output when it fails. */
    public String run(String... args) {
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(args));
        try {
            Files.createDirectories(stateDir);
            Path log = Files.createTempFile(stateDir, "script", ".log");
            ProcessBuilder builder =
                    new ProcessBuilder(command)
                            .redirectErrorStream(true)
                            .redirectOutput(log.toFile());
            builder.environment().put("VIGIL_SERVICES_DIR", stateDir.toString());
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(180, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(script + " " + args[0] + " took over 180 s");
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            Files.delete(log);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(
                        script.getFileName()
                                + " "
                                + String.join(" ", args)
                                + " failed:\n"
                                + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** True when {@code command -v name} finds the program. */
    public static boolean onPath(String program) {
        try {
            return new ProcessBuilder("bash", "-c", "command -v " + program).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * A service that is not installed: on CI ({@code CI=true}) the test fails, elsewhere it is
     * skipped with the command that installs it.
     */
    public static RuntimeException missing(String what, String installCommand) {
        String message = what + " is not installed: run '" + installCommand + "'.";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            return new IllegalStateException(message + " (CI=true: this is a failure, not a skip)");
        }
        return new TestAbortedException(message);
    }

    /** A free TCP port on loopback whose successor is free too (Kafka uses PORT and PORT+1). */
    public static int freePortPair() {
        for (int i = 0; i < 50; i++) {
            int port = freePort();
            if (port < 65535 && isFree(port + 1)) {
                return port;
            }
        }
        throw new IllegalStateException("no two consecutive free ports found");
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
