package dev.vigil.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetConfigTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        FleetConfig c = FleetConfig.defaults();

        assertThat(c.seed()).isEqualTo(42L);
        assertThat(c.start()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(c.duration()).isEqualTo(Duration.ofHours(2));
        assertThat(c.tickInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.totalTicks()).isEqualTo(720);
        assertThat(c.sensors()).isEqualTo(12);
        assertThat(c.cities()).startsWith("Mumbai", "Delhi", "Chennai", "Kolkata");
        assertThat(c.servers()).isEqualTo(6);
        assertThat(c.collectdServers()).isEqualTo(2);
        assertThat(c.lineProtocolServers()).isEqualTo(4);
        assertThat(c.warmupTicks()).isEqualTo(60);
        assertThat(c.anomalies(InjectionKind.SPIKE)).isEqualTo(2);
        assertThat(c.anomalies(InjectionKind.SILENCE)).isEqualTo(2);
        assertThat(c.anomalies(InjectionKind.DRIFT)).isZero();
        assertThat(c.malformedRate()).isEqualTo(0.005);
        assertThat(c.outOfOrderRate()).isZero();
        assertThat(c.duplicateRate()).isZero();
        assertThat(c.maxReceiveDelay()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.tickTimeMs(3)).isEqualTo(1_767_225_630_000L);
    }

    @Test
    void disabledInjectionMeansNoAnomalies() {
        FleetConfig c = FleetConfig.builder().anomaliesEnabled(false).build();

        for (InjectionKind kind : InjectionKind.values()) {
            assertThat(c.anomalies(kind)).isZero();
        }
        assertThat(new FleetSimulator(c).groundTruth().entries()).isEmpty();
    }

    @Test
    void readsNestedYaml(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("fleet.yaml");
        Files.writeString(
                file,
                String.join(
                        "\n",
                        "seed: 7",
                        "start: 2026-03-01T06:00:00Z",
                        "duration: 6h",
                        "tick-interval: PT5S",
                        "sensors: 4",
                        "cities: [Pune, Jaipur]",
                        "servers: 3",
                        "collectd-servers: 1",
                        "anomalies:",
                        "  enabled: true",
                        "  warmup-ticks: 100",
                        "  spike: 5",
                        "  sustained-deviation: 0",
                        "  drift: 1",
                        "malformed-rate: 0.01",
                        "out-of-order-rate: 0.02",
                        "out-of-order-max-delay: 20s",
                        "duplicate-rate: 0.03",
                        "max-receive-delay: 200ms",
                        ""));

        FleetConfig c = FleetConfig.fromYaml(file);

        assertThat(c.seed()).isEqualTo(7L);
        assertThat(c.start()).isEqualTo(Instant.parse("2026-03-01T06:00:00Z"));
        assertThat(c.duration()).isEqualTo(Duration.ofHours(6));
        assertThat(c.tickInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.totalTicks()).isEqualTo(6 * 720);
        assertThat(c.sensors()).isEqualTo(4);
        assertThat(c.cities()).containsExactly("Pune", "Jaipur");
        assertThat(c.lineProtocolServers()).isEqualTo(2);
        assertThat(c.warmupTicks()).isEqualTo(100);
        assertThat(c.anomalies(InjectionKind.SPIKE)).isEqualTo(5);
        assertThat(c.anomalies(InjectionKind.SUSTAINED_DEVIATION)).isZero();
        assertThat(c.anomalies(InjectionKind.LEVEL_SHIFT)).isEqualTo(2);
        assertThat(c.anomalies(InjectionKind.DRIFT)).isEqualTo(1);
        assertThat(c.malformedRate()).isEqualTo(0.01);
        assertThat(c.outOfOrderRate()).isEqualTo(0.02);
        assertThat(c.outOfOrderMaxDelay()).isEqualTo(Duration.ofSeconds(20));
        assertThat(c.duplicateRate()).isEqualTo(0.03);
        assertThat(c.maxReceiveDelay()).isEqualTo(Duration.ofMillis(200));
        assertThat(new Fleet(c).devices())
                .extracting(SimDevice::name)
                .containsExactly(
                        "dev-pun-1",
                        "dev-jai-1",
                        "dev-pun-2",
                        "dev-jai-2",
                        "web-1",
                        "web-2",
                        "db-1");
    }

    @Test
    void readsFlatPropertiesLikeMaps() {
        FleetConfig c =
                FleetConfig.fromMap(
                        Map.of(
                                "duration", "90m",
                                "anomalies.flatline", "3",
                                "anomalies.enabled", "false",
                                "cities", "Delhi, Lucknow"));

        assertThat(c.duration()).isEqualTo(Duration.ofMinutes(90));
        assertThat(c.anomaliesEnabled()).isFalse();
        assertThat(c.anomalies(InjectionKind.FLATLINE)).isZero();
        assertThat(c.toBuilder().anomaliesEnabled(true).build().anomalies(InjectionKind.FLATLINE))
                .isEqualTo(3);
        assertThat(c.cities()).containsExactly("Delhi", "Lucknow");
    }

    @Test
    void parsesDurations() {
        assertThat(FleetConfig.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(FleetConfig.parseDuration("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(FleetConfig.parseDuration("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(FleetConfig.parseDuration("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(FleetConfig.parseDuration("1d")).isEqualTo(Duration.ofDays(1));
        assertThat(FleetConfig.parseDuration("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
        assertThatThrownBy(() -> FleetConfig.parseDuration("ten seconds"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ten seconds");
    }

    @Test
    void rejectsUnknownKeysAndInvalidValues() {
        assertThatThrownBy(() -> FleetConfig.fromMap(Map.of("sensor", "3")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Unknown simulator setting 'sensor'");
        assertThatThrownBy(() -> FleetConfig.builder().collectdServers(7).build())
                .hasMessageContaining("collectd-servers");
        assertThatThrownBy(() -> FleetConfig.builder().malformedRate(1.5).build())
                .hasMessageContaining("malformed-rate");
        assertThatThrownBy(
                        () -> FleetConfig.builder().maxReceiveDelay(Duration.ofSeconds(10)).build())
                .hasMessageContaining("max-receive-delay");
        assertThatThrownBy(() -> FleetConfig.fromMap(Map.of("anomalies.enabled", "yes")))
                .hasMessageContaining("expected true or false");
        assertThatThrownBy(() -> FleetConfig.builder().cities(List.of()).build())
                .hasMessageContaining("cities");
    }

    @Test
    void shortRunsSkipAnomaliesThatDoNotFit() {
        FleetConfig c = FleetConfig.builder().duration(Duration.ofMinutes(15)).build(); // 90 ticks

        GroundTruth truth = new FleetSimulator(c).groundTruth();

        assertThat(truth.ofKind("SILENCE")).isEmpty(); // needs 60 ticks after the 60-tick warm-up
        assertThat(truth.ofKind("SPIKE")).hasSize(2);
        assertThat(truth.entries())
                .allSatisfy(e -> assertThat(e.getEnd()).isLessThanOrEqualTo(c.tickTimeMs(89)));
    }
}
