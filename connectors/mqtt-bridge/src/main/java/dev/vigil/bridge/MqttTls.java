package dev.vigil.bridge;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Arrays;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS socket factory of the MQTT connection: trusts the CA certificates of a PEM file (or the
 * JVM's defaults) and presents a client certificate from a PKCS#12 keystore when one is given.
 */
final class MqttTls {

    private MqttTls() {}

    static SSLSocketFactory socketFactory(BridgeConfig.Tls tls, Secrets secrets) {
        try {
            SSLContext context = SSLContext.getInstance("TLSv1.2");
            context.init(
                    tls.keystoreFile == null ? null : keyManagers(tls, secrets).getKeyManagers(),
                    tls.caFile == null
                            ? null
                            : trustManagers(Path.of(tls.caFile)).getTrustManagers(),
                    null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException(
                    "Cannot set up TLS for MQTT (mqtt.tls.*): " + e.getMessage(), e);
        }
    }

    private static TrustManagerFactory trustManagers(Path caFile)
            throws GeneralSecurityException, IOException {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(caFile)) {
            int i = 0;
            for (Certificate ca :
                    CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trusted.setCertificateEntry("ca-" + i++, ca);
            }
            if (i == 0) {
                throw new IOException("no certificate found in " + caFile);
            }
        }
        TrustManagerFactory factory =
                TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trusted);
        return factory;
    }

    private static KeyManagerFactory keyManagers(BridgeConfig.Tls tls, Secrets secrets)
            throws GeneralSecurityException, IOException {
        char[] password = secrets.read(tls.keystorePasswordFile, Secrets.KEYSTORE_PASSWORD_ENV);
        char[] pw = password == null ? new char[0] : password;
        try (InputStream in = Files.newInputStream(Path.of(tls.keystoreFile))) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(in, pw);
            KeyManagerFactory factory =
                    KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(keys, pw);
            return factory;
        } finally {
            Arrays.fill(pw, '\0');
        }
    }
}
