package dev.vigil.bridge.testutils;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Image versions for the Testcontainers variants, read from {@code docker/.env}: the one place the
 * project pins them (the compose stack uses the same file).
 */
public final class DockerImages {

    private DockerImages() {}

    public static String mosquitto() {
        return get("MOSQUITTO_IMAGE");
    }

    public static String kafka() {
        return get("KAFKA_IMAGE");
    }

    private static String get(String name) {
        Path env = ServiceScript.repoDir().resolve("docker/.env");
        Properties values = new Properties();
        try (Reader reader = Files.newBufferedReader(env)) {
            values.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String image = values.getProperty(name);
        if (image == null) {
            throw new IllegalStateException(name + " is not set in " + env);
        }
        return image;
    }
}
