package dev.vigil.bridge.testutils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away CA and a server certificate it signed (for 127.0.0.1 and localhost), made with the
 * {@code openssl} command line: PEM files for Mosquitto's TLS listener and the bridge's {@code
 * mqtt.tls.ca-file}.
 */
public final class TestCertificates {

    private final Path caCert;
    private final Path serverCert;
    private final Path serverKey;

    private TestCertificates(Path dir) {
        this.caCert = dir.resolve("ca.pem");
        this.serverCert = dir.resolve("server.pem");
        this.serverKey = dir.resolve("server.key");
    }

    /** Generates the files into {@code dir} (readable by the broker's user). */
    public static TestCertificates generate(Path dir) {
        if (!ServiceScript.onPath("openssl")) {
            throw ServiceScript.missing("openssl", "apt-get install openssl");
        }
        TestCertificates certs = new TestCertificates(dir);
        try {
            Files.createDirectories(dir);
            Path ext = dir.resolve("server.ext");
            Files.writeString(
                    ext,
                    "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                            + "basicConstraints=CA:FALSE\n"
                            + "extendedKeyUsage=serverAuth\n");
            Path caKey = dir.resolve("ca.key");
            Path csr = dir.resolve("server.csr");
            openssl(
                    dir,
                    "req",
                    "-x509",
                    "-newkey",
                    "ec",
                    "-pkeyopt",
                    "ec_paramgen_curve:prime256v1",
                    "-nodes",
                    "-keyout",
                    caKey.toString(),
                    "-out",
                    certs.caCert.toString(),
                    "-days",
                    "2",
                    "-subj",
                    "/CN=vigil-test-ca");
            openssl(
                    dir,
                    "req",
                    "-newkey",
                    "ec",
                    "-pkeyopt",
                    "ec_paramgen_curve:prime256v1",
                    "-nodes",
                    "-keyout",
                    certs.serverKey.toString(),
                    "-out",
                    csr.toString(),
                    "-subj",
                    "/CN=localhost");
            openssl(
                    dir,
                    "x509",
                    "-req",
                    "-in",
                    csr.toString(),
                    "-CA",
                    certs.caCert.toString(),
                    "-CAkey",
                    caKey.toString(),
                    "-CAcreateserial",
                    "-out",
                    certs.serverCert.toString(),
                    "-days",
                    "2",
                    "-extfile",
                    ext.toString());
            // Mosquitto drops root for user 'mosquitto' before it reads the key.
            certs.serverKey.toFile().setReadable(true, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return certs;
    }

    private static void openssl(Path dir, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Path log = dir.resolve("openssl.log");
        Process process =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(
                        "openssl "
                                + args[0]
                                + " failed:\n"
                                + Files.readString(log, StandardCharsets.UTF_8));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Path caCert() {
        return caCert;
    }

    public Path serverCert() {
        return serverCert;
    }

    public Path serverKey() {
        return serverKey;
    }
}
