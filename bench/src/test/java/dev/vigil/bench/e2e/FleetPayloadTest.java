package dev.vigil.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class FleetPayloadTest {

    @Test
    void payloadCarriesTheTimestampAndTheSpike() throws Exception {
        byte[] normal = FleetPayload.payload(1_764_000_000_123L, 7, 2, 3, -1);
        byte[] spiked = FleetPayload.payload(1_764_000_000_123L, 7, 2, 3, 1);
        String n = new String(normal, StandardCharsets.UTF_8);
        String s = new String(spiked, StandardCharsets.UTF_8);
        assertThat(n).startsWith("{\"timestamp\":1764000000123,\"f0\":").contains(",\"f1\":");
        assertThat(value(s, "f0")).isEqualTo(value(n, "f0"));
        assertThat(value(s, "f1") - value(n, "f1")).isCloseTo(100.0, within());
        assertThat(FleetPayload.timestampOf(spiked)).isEqualTo(1_764_000_000_123L);
    }

    @Test
    void timestampOfSomethingElseIsMinusOne() {
        assertThat(FleetPayload.timestampOf("{\"t\":1}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(-1);
        assertThat(FleetPayload.timestampOf("{\"timestamp\":x".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(-1);
        assertThat(FleetPayload.timestampOf(null)).isEqualTo(-1);
    }

    @Test
    void topicsAndDevices() {
        assertThat(FleetPayload.topic(42)).isEqualTo("sensors/dev-0042/telemetry");
        assertThat(FleetPayload.deviceOfTopic("sensors/dev-0042/telemetry")).isEqualTo("dev-0042");
        assertThat(FleetPayload.deviceOfTopic("telegraf/h1")).isNull();
    }

    @Test
    void noiseStaysWithinOne() {
        for (int r = 0; r < 10_000; r++) {
            assertThat(Math.abs(FleetPayload.noise(r % 13, r % 2, r))).isLessThanOrEqualTo(1.0);
        }
    }

    private static Offset<Double> within() {
        return Offset.offset(0.0011);
    }

    private static double value(String json, String field) throws Exception {
        return new ObjectMapper().readTree(json).path(field).asDouble();
    }
}
