package dev.vigil.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BridgeConfigTest {

    @TempDir Path dir;

    @Test
    void theExampleConfigLoads() {
        BridgeConfig config = BridgeConfig.load(Path.of("bridge.example.yaml"));
        assertThat(config.mqtt.url).isEqualTo("tcp://127.0.0.1:11883");
        assertThat(config.mqtt.topics).containsExactly("sensors/#", "telegraf/#", "collectd/#");
        assertThat(config.kafka.topic).isEqualTo("vigil.envelopes");
        assertThat(config.bridge.maxInFlight).isEqualTo(1000);
        assertThat(config.metrics.port).isEqualTo(9464);
    }

    @Test
    void kinesisModeReadsItsSectionAndChecksIt() throws Exception {
        BridgeConfig config =
                BridgeConfig.load(
                        yaml(
                                "forward-to: kinesis\nkinesis:\n  stream: s\n"
                                        + "  dead-letter-stream: s-dead\n"
                                        + "  endpoint: http://127.0.0.1:14567\n"));
        assertThat(config.forwardsToKinesis()).isTrue();
        assertThat(config.kinesis.stream).isEqualTo("s");
        assertThat(config.toString()).contains("kinesis http://127.0.0.1:14567 stream s");
        assertThatThrownBy(() -> BridgeConfig.load(yaml("forward-to: pigeon\n")))
                .hasMessageContaining("forward-to");
        assertThatThrownBy(
                        () ->
                                BridgeConfig.load(
                                        yaml(
                                                "forward-to: kinesis\nkinesis:\n"
                                                        + "  max-record-bytes: 2000000\n")))
                .hasMessageContaining("kinesis.max-record-bytes");
    }

    @Test
    void sharedGroupPrefixesEveryFilter() throws Exception {
        BridgeConfig config =
                BridgeConfig.load(yaml("mqtt:\n  topics: [a/#, b/+/c]\n  shared-group: vigil\n"));
        assertThat(config.mqtt.subscriptions())
                .containsExactly("$share/vigil/a/#", "$share/vigil/b/+/c");
    }

    @Test
    void unknownKeysAndPasswordsInTheFileAreErrors() throws Exception {
        assertThatThrownBy(() -> BridgeConfig.load(yaml("mqtt:\n  urll: tcp://x:1\n")))
                .hasMessageContaining("Unknown setting 'urll'");
        assertThatThrownBy(() -> BridgeConfig.load(yaml("mqtt:\n  password: secret\n")))
                .hasMessageContaining("Passwords are never read from the config")
                .hasMessageNotContaining("secret\n");
    }

    @Test
    void invalidValuesNameTheSetting() throws Exception {
        assertThatThrownBy(() -> BridgeConfig.load(yaml("mqtt:\n  url: http://x:1\n")))
                .hasMessageContaining("mqtt.url");
        assertThatThrownBy(() -> BridgeConfig.load(yaml("mqtt:\n  qos: 2\n")))
                .hasMessageContaining("mqtt.qos");
        assertThatThrownBy(() -> BridgeConfig.load(yaml("bridge:\n  max-in-flight: 0\n")))
                .hasMessageContaining("bridge.max-in-flight");
        assertThatThrownBy(
                        () ->
                                BridgeConfig.load(
                                        yaml("kafka:\n  topic: t\n  dead-letter-topic: t\n")))
                .hasMessageContaining("kafka.dead-letter-topic");
        assertThatThrownBy(() -> BridgeConfig.load(dir.resolve("missing.yaml")))
                .hasMessageContaining("does not exist");
    }

    @Test
    void secretsComeFromFileFirstThenEnvironment() throws Exception {
        Path file = dir.resolve("pw");
        Files.writeString(file, "from-file\n");
        Secrets secrets = new Secrets(Map.of(Secrets.MQTT_PASSWORD_ENV, "from-env"));
        assertThat(secrets.read(file.toString(), Secrets.MQTT_PASSWORD_ENV))
                .containsExactly("from-file".toCharArray());
        assertThat(secrets.read(null, Secrets.MQTT_PASSWORD_ENV))
                .containsExactly("from-env".toCharArray());
        assertThat(new Secrets(Map.of()).read(null, Secrets.MQTT_PASSWORD_ENV)).isNull();
        assertThatThrownBy(() -> secrets.read(dir.resolve("nope").toString(), "X"))
                .hasMessageContaining("Cannot read the secret file");
    }

    @Test
    void toStringShowsNoSecretSources() throws Exception {
        BridgeConfig config = new BridgeConfig();
        config.mqtt.username = "vigil";
        config.mqtt.passwordFile = "/etc/secret";
        config.mqtt.topics = List.of("x/#");
        assertThat(config.toString()).doesNotContain("/etc/secret").contains("x/#");
    }

    private Path yaml(String text) throws Exception {
        Path file = dir.resolve("bridge.yaml");
        Files.writeString(file, text);
        return file;
    }
}
