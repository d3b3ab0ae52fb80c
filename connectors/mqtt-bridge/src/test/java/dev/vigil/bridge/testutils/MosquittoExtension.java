package dev.vigil.bridge.testutils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A Mosquitto broker on a free port for one test class, started and stopped by its script. {@link
 * #secured(String)} makes one that requires a login (a random password, hashed into a {@code
 * mosquitto_passwd} file) and also listens with TLS, with a certificate of a throw-away CA.
 */
public final class MosquittoExtension implements BeforeAllCallback, AfterAllCallback {

    private final String username;
    private ServiceScript script;
    private int port;
    private int tlsPort = -1;
    private String password;
    private TestCertificates certificates;

    public MosquittoExtension() {
        this(null);
    }

    private MosquittoExtension(String username) {
        this.username = username;
    }

    /** Anonymous access off; {@code username} logs in with {@link #password()}; TLS listener. */
    public static MosquittoExtension secured(String username) {
        return new MosquittoExtension(username);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (!ServiceScript.onPath("mosquitto")) {
            throw ServiceScript.missing("mosquitto", "scripts/services/mosquitto.sh install");
        }
        port = ServiceScript.freePort();
        String instance = "mosquitto-" + port;
        Map<String, String> environment = new HashMap<>();
        if (username != null) {
            Path dir = ServiceScript.servicesDir().resolve(instance + "-secrets");
            certificates = TestCertificates.generate(dir);
            password = HexFormat.of().formatHex(SecureRandom.getSeed(12));
            tlsPort = ServiceScript.freePort();
            environment.put("MOSQUITTO_PASSWORD_FILE", passwordFile(dir).toString());
            environment.put("MOSQUITTO_TLS_PORT", Integer.toString(tlsPort));
            environment.put("MOSQUITTO_TLS_CA", certificates.caCert().toString());
            environment.put("MOSQUITTO_TLS_CERT", certificates.serverCert().toString());
            environment.put("MOSQUITTO_TLS_KEY", certificates.serverKey().toString());
        }
        script = new ServiceScript("mosquitto", instance, environment);
        script.run("start", Integer.toString(port));
    }

    /**
     * {@code user:password}, hashed in place by {@code mosquitto_passwd -U} (no password in argv).
     */
    private Path passwordFile(Path dir) {
        Path file = dir.resolve("mosquitto.passwd");
        try {
            Files.writeString(file, username + ":" + password + "\n");
            Process process =
                    new ProcessBuilder("mosquitto_passwd", "-U", file.toString())
                            .redirectErrorStream(true)
                            .start();
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(
                        "mosquitto_passwd -U failed: "
                                + new String(process.getInputStream().readAllBytes()));
            }
            file.toFile().setReadable(true, false);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (script != null) {
            script.run("stop");
        }
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    /** The TLS listener ({@link #secured} brokers only). */
    public String tlsUrl() {
        return "ssl://127.0.0.1:" + tlsPort;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    public Path caCert() {
        return certificates.caCert();
    }
}
