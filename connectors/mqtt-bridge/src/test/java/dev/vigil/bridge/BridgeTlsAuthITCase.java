package dev.vigil.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.bridge.testutils.Await;
import dev.vigil.bridge.testutils.KafkaExtension;
import dev.vigil.bridge.testutils.KafkaTopics;
import dev.vigil.bridge.testutils.LogCapture;
import dev.vigil.bridge.testutils.MosquittoExtension;
import dev.vigil.bridge.testutils.ServiceScript;
import dev.vigil.bridge.testutils.TestConfigs;
import dev.vigil.bridge.testutils.TestPublisher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The bridge on a broker that requires a login, over TLS with a private CA: it logs in with a
 * password read from a file (or the environment), never from its config, and forwards; anonymous
 * clients and wrong passwords are refused, the latter with an error saying what to check. The
 * password appears in no log line and no error message.
 */
class BridgeTlsAuthITCase {

    private static final String USER = "vigil-bridge";

    @RegisterExtension static final MosquittoExtension MQTT = MosquittoExtension.secured(USER);
    @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

    private static LogCapture logs;

    @BeforeAll
    static void captureLogs() {
        logs = new LogCapture();
    }

    @AfterAll
    static void passwordWasNeverLogged() {
        logs.close();
        assertThat(logs.text()).contains("Starting bridge").doesNotContain(MQTT.password());
    }

    @Test
    void logsInOverTlsWithAPasswordFileAndForwards() throws Exception {
        int count = 500;
        String topic = "tls.envelopes";
        BridgeConfig config = securedConfig("tls-bridge", topic);
        config.mqtt.passwordFile = secretFile("bridge.pw", MQTT.password()).toString();
        try (Bridge bridge = new Bridge(config, Map.of(), Clock.systemUTC()).start()) {
            try (TestPublisher publisher =
                    new TestPublisher(MQTT.tlsUrl(), "tls-publisher", publisherOptions())) {
                for (int i = 0; i < count; i++) {
                    publisher.publish(
                            "tls/dev-" + (i % 10) + "/telemetry",
                            ("{\"seq\": " + i + "}").getBytes(StandardCharsets.UTF_8));
                }
            }
            Await.until(
                    Duration.ofSeconds(60),
                    () -> bridge.metrics().forwarded() >= count,
                    bridge.metrics()::render);
            assertThat(bridge.metrics().forwarded()).isEqualTo(count);
        }
        assertThat(
                        KafkaTopics.readUntil(
                                KAFKA.bootstrapServers(),
                                topic,
                                records -> records.size() >= count,
                                Duration.ofSeconds(30)))
                .hasSize(count);
    }

    @Test
    void passwordFromTheEnvironmentWorksToo() {
        BridgeConfig config = securedConfig("env-bridge", "env.envelopes");
        Map<String, String> environment = Map.of(Secrets.MQTT_PASSWORD_ENV, MQTT.password());
        try (Bridge bridge = new Bridge(config, environment, Clock.systemUTC()).start()) {
            assertThat(bridge.metrics().render()).contains("vigil_bridge_mqtt_connected 1\n");
        }
    }

    @Test
    void anonymousClientsAreRefusedOnBothListeners() throws Exception {
        for (String url : List.of(MQTT.url(), MQTT.tlsUrl())) {
            MqttConnectOptions anonymous = new MqttConnectOptions();
            if (url.startsWith("ssl:")) {
                anonymous.setSocketFactory(caOnly());
            }
            assertThat(connectError(url, anonymous))
                    .as(url)
                    .isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED);
        }
    }

    @Test
    void wrongPasswordIsRefusedWithAnErrorThatSaysWhatToCheck() throws Exception {
        String wrong = "not-" + MQTT.password();
        BridgeConfig config = securedConfig("wrong-bridge", "wrong.envelopes");
        config.mqtt.passwordFile = secretFile("wrong.pw", wrong).toString();
        Bridge bridge = new Bridge(config, Map.of(), Clock.systemUTC());
        try {
            assertThatThrownBy(bridge::start)
                    .isInstanceOf(BridgeException.class)
                    .hasMessageContaining("Cannot connect to the MQTT broker at " + MQTT.tlsUrl())
                    .hasMessageContaining("refused the credentials of user '" + USER + "'")
                    .hasMessageContaining("mqtt.password-file")
                    .hasMessageNotContaining(wrong);
        } finally {
            bridge.close();
        }
        assertThat(logs.text()).doesNotContain(wrong);
    }

    @Test
    void aBrokerCertificateFromAnUnknownCaIsRefused() {
        BridgeConfig config = securedConfig("untrusting-bridge", "untrusting.envelopes");
        config.mqtt.tls.caFile = null; // the JVM's default CAs do not know the test CA
        Map<String, String> environment = Map.of(Secrets.MQTT_PASSWORD_ENV, MQTT.password());
        Bridge bridge = new Bridge(config, environment, Clock.systemUTC());
        try {
            assertThatThrownBy(bridge::start)
                    .isInstanceOf(BridgeException.class)
                    .hasMessageContaining("Cannot connect to the MQTT broker at " + MQTT.tlsUrl())
                    .hasMessageContaining("mqtt.tls.ca-file");
        } finally {
            bridge.close();
        }
    }

    // ------------------------------------------------------------------ helpers

    private static BridgeConfig securedConfig(String clientId, String topic) {
        BridgeConfig config =
                TestConfigs.bridge(MQTT.tlsUrl(), KAFKA.bootstrapServers(), clientId, topic);
        config.mqtt.topics = List.of(topic.substring(0, topic.indexOf('.')) + "/#");
        config.mqtt.username = USER;
        config.mqtt.tls.caFile = MQTT.caCert().toString();
        return config.validate();
    }

    private static MqttConnectOptions publisherOptions() {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName(USER);
        options.setPassword(MQTT.password().toCharArray());
        options.setSocketFactory(caOnly());
        return options;
    }

    private static javax.net.ssl.SSLSocketFactory caOnly() {
        BridgeConfig.Tls tls = new BridgeConfig.Tls();
        tls.caFile = MQTT.caCert().toString();
        return MqttTls.socketFactory(tls, new Secrets(Map.of()));
    }

    private static int connectError(String url, MqttConnectOptions options) throws Exception {
        MqttClient client =
                new MqttClient(url, "anonymous-" + url.hashCode(), new MemoryPersistence());
        try {
            client.connect(options);
            client.disconnect();
            return 0;
        } catch (MqttException e) {
            return e.getReasonCode();
        } finally {
            client.close();
        }
    }

    private static Path secretFile(String name, String secret) throws Exception {
        Path file = ServiceScript.servicesDir().resolve("secrets").resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, secret + "\n");
        return file;
    }
}
