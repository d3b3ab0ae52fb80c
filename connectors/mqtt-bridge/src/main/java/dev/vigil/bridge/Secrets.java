package dev.vigil.bridge;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads secrets from a file (first line, trailing newline removed) or else from an environment
 * variable. Values are returned as {@code char[]} and never logged; errors name the source only.
 */
final class Secrets {

    static final String MQTT_PASSWORD_ENV = "VIGIL_MQTT_PASSWORD";
    static final String KEYSTORE_PASSWORD_ENV = "VIGIL_MQTT_KEYSTORE_PASSWORD";

    private final Map<String, String> environment;

    Secrets(Map<String, String> environment) {
        this.environment = environment;
    }

    /**
     * @return the secret, or {@code null} when neither the file nor the variable is set
     */
    char[] read(String file, String environmentVariable) {
        if (file != null && !file.isBlank()) {
            return fromFile(Path.of(file));
        }
        String value = environment.get(environmentVariable);
        return value == null || value.isEmpty() ? null : value.toCharArray();
    }

    private static char[] fromFile(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            int end = text.indexOf('\n');
            String line = end < 0 ? text : text.substring(0, end);
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            return line.toCharArray();
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "Cannot read the secret file "
                            + file.toAbsolutePath()
                            + " ("
                            + e.getClass().getSimpleName()
                            + "): check that it exists and is readable by this user.",
                    e);
        }
    }
}
