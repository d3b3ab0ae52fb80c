package dev.vigil.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TopicAllowListTest {

    @Test
    void emptyAllowsEveryTopic() {
        assertThat(new TopicAllowList(List.of()).allows("anything/at/all")).isTrue();
    }

    @Test
    void onlyMatchingTopicsAreAllowed() {
        TopicAllowList allowList = new TopicAllowList(List.of("sensors/+/telemetry", "telegraf/#"));

        assertThat(allowList.allows("sensors/d1/telemetry")).isTrue();
        assertThat(allowList.allows("telegraf/h1")).isTrue();
        assertThat(allowList.allows("telegraf/h1/cpu")).isTrue();
        assertThat(allowList.allows("sensors/d1/telemetry/extra")).isFalse();
        assertThat(allowList.allows("collectd/h1/load/load")).isFalse();
        assertThat(allowList.allows("admin/reset")).isFalse();
    }

    @Test
    void anInvalidFilterIsAConfigurationError() {
        BridgeConfig config = new BridgeConfig();
        config.mqtt.allowedTopics = List.of("sensors/#/x");

        assertThatThrownBy(config::validate)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mqtt.allowed-topics");
    }
}
